"""Teams as the money side sees them: the ones people work or spend in."""

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import Membership, Team
from programs.empowerment.models import Budget


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
