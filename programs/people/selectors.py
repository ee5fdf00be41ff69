"""What the people pages read: each list in a fixed number of queries, whatever its length."""

from django.contrib.auth.models import Group
from django.db.models import F, Prefetch, Q, QuerySet

from accounts.models import Membership, OrgRole, User
from programs.people.access import PEOPLE_GROUP
from programs.people.models import ImportRun, PersonInvitation, ProvisioningToken


def people_list(*, search: str = "", status: str = "") -> QuerySet[User]:
    """People by name, with their teams, organisation roles and people capability prefetched."""
    people = User.objects.order_by("name", "email").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("team").order_by("team__name"),
        ),
        Prefetch("org_roles", queryset=OrgRole.objects.order_by("role")),
        Prefetch(
            "groups", to_attr="people_groups", queryset=Group.objects.filter(name=PEOPLE_GROUP)
        ),
    )
    if search:
        people = people.filter(Q(name__icontains=search) | Q(email__icontains=search))
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "inactive":
        people = people.filter(is_active=False)
    return people


def pending_invitations() -> QuerySet[PersonInvitation]:
    return PersonInvitation.objects.pending().select_related("team", "invited_by")


def provisioning_tokens() -> QuerySet[ProvisioningToken]:
    """Every provisioning token, the live ones first, newest first within each."""
    return ProvisioningToken.objects.select_related("created_by").order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at"
    )


def recent_imports(limit: int = 10) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("created_by").defer("lines")[:limit]
