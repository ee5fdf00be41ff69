"""Read-side queries about people and teams, shaped for pages and the API."""

from django.db.models import Prefetch, QuerySet

from accounts.models import Membership, Team, TeamRole
from accounts.permissions import Access


def _with_people(teams: QuerySet[Team]) -> QuerySet[Team]:
    """Teams with the people still working in them: deactivated people leave every list."""
    people = (
        Membership.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("role", "user__name")
    )
    return teams.select_related("parent").prefetch_related(
        Prefetch("memberships", queryset=people, to_attr="people")
    )


def teams_of_member(access: Access) -> QuerySet[Team]:
    """The teams a person works in as an agent, with who is in them."""
    return _with_people(Team.objects.filter(id__in=access.agent_team_ids))


def teams_managed(access: Access) -> QuerySet[Team]:
    return _with_people(Team.objects.filter(id__in=access.managed_team_ids))


def managers_of(team: Team) -> list:
    return [m.user for m in getattr(team, "people", []) if m.role == TeamRole.MANAGER]
