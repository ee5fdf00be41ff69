"""What people are told about joining the portal (see programs/notifications/notices.py)."""

from django.urls import reverse
from django.utils import timezone

from portal.formatting import day_label
from programs.notifications.notices import Notice
from programs.people.models import PersonInvitation


def invited(invitation: PersonInvitation, *, token: str) -> Notice:
    inviter = invitation.invited_by
    return Notice(
        kind="person_invited",
        title="You’re invited to the Appreciation Portal",
        link=reverse("people:accept-invitation", args=[token]),
        context={
            "name": invitation.name,
            "inviter": inviter.name if inviter else "",
            "team": invitation.team.name if invitation.team else "",
            "team_role": invitation.get_team_role_display() if invitation.team else "",
            "roles": invitation.role_labels,
            "expires": day_label(timezone.localdate(invitation.expires_at)),
        },
    )
