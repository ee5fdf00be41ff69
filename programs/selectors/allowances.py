from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from programs.models import AllowanceOverride, Gesture, GestureStatus, Programme
from programs.models.money import as_money

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AllowanceSummary:
    programme: Programme
    period_start: date
    period_end: date
    allowance: Decimal
    spent: Decimal
    committed: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.allowance - self.spent - self.committed)

    @property
    def used_percent(self) -> int:
        if not self.allowance:
            return 100 if (self.spent or self.committed) else 0
        return min(100, round((self.spent + self.committed) * 100 / self.allowance))


def effective_allowance(*, programme: Programme, agent_id: int, period_start: date) -> Decimal:
    """The programme's allowance, unless a manager set another for this agent and period."""
    latest = (
        AllowanceOverride.objects.filter(
            programme=programme, agent_id=agent_id, period_start=period_start
        )
        .values_list("amount", flat=True)
        .first()
    )
    return programme.agent_allowance if latest is None else latest


def allowance_summary(*, programme: Programme, agent_id: int, day: date) -> AllowanceSummary:
    """What the agent has spent and has waiting in the period containing ``day``: one query
    for the money, one for the allowance."""
    start, end = programme.period_bounds(day)
    totals = Gesture.objects.filter(
        programme=programme, agent_id=agent_id, occurred_on__range=(start, end)
    ).aggregate(
        spent=Coalesce(Sum("cost", filter=Q(status=GestureStatus.APPROVED)), ZERO),
        committed=Coalesce(Sum("cost", filter=Q(status=GestureStatus.PENDING)), ZERO),
    )
    return AllowanceSummary(
        programme=programme,
        period_start=start,
        period_end=end,
        allowance=effective_allowance(programme=programme, agent_id=agent_id, period_start=start),
        spent=as_money(totals["spent"]),
        committed=as_money(totals["committed"]),
    )
