"""Inviting someone by e-mail, and their accepting the invitation.

The invitee gets a link (``/people/invitations/<token>/``) that works once and until it
expires (``settings.PEOPLE_INVITATION_DAYS``). Only the token's SHA-256 is stored; the link
itself travels in the e-mail, through the outbox. Accepting creates the person (or switches a
deactivated account on again) with the invitation's team and roles, as the system acting on
the inviter's word: each change is audited and names the invitation.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleName, Team, TeamRole, User
from portal.errors import Conflict, InvalidInput, NotPermitted
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.notifications.services import notify
from programs.people import notices
from programs.people import services as people
from programs.people.access import may_manage_people
from programs.people.models import PersonInvitation, hash_secret, new_secret


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: PersonInvitation
    # The secret of the link: in the e-mail, and nowhere else once this is dropped.
    token: str


def check_may_invite(*, actor: User | None, roles: list[str]) -> None:
    """Refuse unless ``actor`` may invite, and grant each of ``roles``."""
    if actor is not None and not may_manage_people(actor):
        raise NotPermitted("Only administrators and people managers invite people.")
    for role in roles:
        people.check_may_change_role(actor=actor, role=role, grant=True)


@transaction.atomic
def invite_person(
    *,
    email: str,
    name: str,
    team: Team | None = None,
    team_role: str = "",
    roles: list[str] | tuple[str, ...] = (),
    actor: User | None,
) -> IssuedInvitation:
    """Send an invitation; an earlier one still pending for the address is revoked."""
    roles = sorted(set(roles))
    check_may_invite(actor=actor, roles=roles)
    email = User.objects.normalize_email(email).strip().lower()
    unknown = [role for role in roles if role not in RoleName.values]
    if unknown:
        raise InvalidInput("Unknown role.", field_errors={"roles": ["Unknown role."]})
    if team is not None and team_role not in TeamRole.values:
        message = "Choose agent or manager for the team."
        raise InvalidInput(message, field_errors={"team_role": [message]})
    if team is None:
        team_role = ""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and existing.is_active:
        message = "This person already has an account: give them teams and roles on their page."
        raise Conflict(message, field_errors={"email": [message]})
    if existing is not None and actor is not None:
        people.check_may_reactivate(actor=actor, person=existing)
    for earlier in (
        PersonInvitation.objects.select_for_update().pending().filter(email__iexact=email)
    ):
        _revoke(earlier, actor=actor)
    token = new_secret()
    now = timezone.now()
    invitation = PersonInvitation.objects.create(
        email=email,
        name=name,
        team=team,
        team_role=team_role,
        roles=roles,
        invited_by=actor,
        token_hash=hash_secret(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.PEOPLE_INVITATION_DAYS),
    )
    notify(
        notice=notices.invited(invitation, token=token),
        recipients=[email],
        subject=invitation,
        event="invited",
    )
    trail.record(
        action=AuditAction.PERSON_INVITED,
        actor=actor,
        subject=invitation,
        data={
            "email": email,
            "team": team.pk if team else None,
            "team_role": team_role,
            "roles": roles,
            "expires_at": invitation.expires_at,
        },
    )
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def revoke_invitation(*, invitation: PersonInvitation, actor: User) -> PersonInvitation:
    if not may_manage_people(actor):
        raise NotPermitted("Only administrators and people managers revoke invitations.")
    locked = PersonInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise Conflict("This invitation has already been accepted.")
    if locked.revoked_at is None:
        _revoke(locked, actor=actor)
    return locked


def _revoke(invitation: PersonInvitation, *, actor: User | None) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    trail.record(
        action=AuditAction.PERSON_INVITATION_REVOKED,
        actor=actor,
        subject=invitation,
        data={"email": invitation.email},
    )


class InvitationUnusable(Conflict):
    """The link is unknown, expired, revoked or already used; ``reason`` says which."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def invitation_for_token(token: str) -> PersonInvitation:
    """The invitation this link opens, or ``InvitationUnusable`` saying why it does not."""
    invitation = (
        PersonInvitation.objects.select_related("team")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: PersonInvitation | None) -> None:
    if invitation is None:
        raise InvitationUnusable("unknown", "This invitation link is not valid.")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used", "This invitation has already been used.")
    if invitation.revoked_at is not None:
        raise InvitationUnusable("revoked", "This invitation was withdrawn.")
    if invitation.is_expired:
        raise InvitationUnusable("expired", "This invitation has expired.")


@transaction.atomic
def accept_invitation(*, token: str, password: str | None) -> User:
    """Create (or switch on again) the invited person, with the invitation's team and roles.

    ``password`` is already checked against the password validators; ``None`` (signing in with
    SSO instead) leaves them without one. The link works once: a second use, even at the same
    moment, finds the invitation used.
    """
    invitation = (
        PersonInvitation.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    _check_usable(invitation)
    via = {"invitation": invitation.pk}
    person = User.objects.filter(email__iexact=invitation.email).first()
    if person is None:
        person = people.create_person(
            email=invitation.email, name=invitation.name, password=password, actor=None, via=via
        )
    else:
        if person.is_active:
            raise InvitationUnusable("used", "This person already has an account.")
        people.reactivate_person(person=person, actor=None, via=via)
        if password is not None:
            people.set_password(person=person, password=password, actor=person)
    if invitation.team is not None:
        people.set_membership(
            user=person, team=invitation.team, role=invitation.team_role, actor=None, via=via
        )
    for role in invitation.roles:
        people.grant_role(user=person, role=role, actor=None, via=via)
    invitation.accepted_at = timezone.now()
    invitation.person = person
    invitation.save(update_fields=["accepted_at", "person"])
    trail.record(
        action=AuditAction.PERSON_INVITATION_ACCEPTED,
        actor=person,
        subject=invitation,
        data={"email": invitation.email, "invited_by": invitation.invited_by_id},
    )
    return person
