from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from accounts.permissions import Access, access_for
from programs.empowerment.models import Budget, Programme


def visible_budgets(access: Access) -> QuerySet[Budget]:
    """Finance and admins see every budget; managers those of the teams they manage."""
    budgets = Budget.objects.with_context()
    if access.sees_every_team:
        return budgets
    return budgets.filter(team_id__in=access.managed_team_ids)


def budget_for(user, budget_id: int) -> Budget:
    try:
        return visible_budgets(access_for(user)).get(pk=budget_id)
    except (Budget.DoesNotExist, ValueError, TypeError):
        raise Http404("No such budget.") from None


def current_budgets(*, programme: Programme, team_ids, day: date) -> dict[int, Budget]:
    """Each team's budget for the period containing ``day``, keyed by team id."""
    start, _ = programme.period_bounds(day)
    return {
        b.team_id: b
        for b in Budget.objects.with_context().filter(
            programme=programme, team_id__in=team_ids, period_start=start
        )
    }
