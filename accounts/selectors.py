"""Read-side queries about people and teams, shaped for pages and the API."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.models import Membership, Team, TeamRole
from accounts.permissions import Access
from programs.models import Budget


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


def all_teams_overview() -> QuerySet[Team]:
    """The teams people work or spend in: those with an active member or a budget.

    A department that only groups other teams (no people of its own, never a budget) is left
    out, so it never shows as an empty team or a team waiting for a budget.
    """
    people = Membership.objects.filter(team=OuterRef("pk"), user__is_active=True)
    money = Budget.objects.filter(team=OuterRef("pk"))
    return (
        Team.objects.filter(Exists(people) | Exists(money))
        .select_related("parent")
        .with_member_counts()
        .order_by("name")
    )


def managers_of(team: Team) -> list:
    return [m.user for m in getattr(team, "people", []) if m.role == TeamRole.MANAGER]
