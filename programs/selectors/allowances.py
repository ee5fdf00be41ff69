from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

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
    """What the agent has spent and has waiting in the period containing ``day``."""
    return allowance_summaries(programme=programme, agent_ids=[agent_id], day=day)[agent_id]


def allowance_summaries(
    *, programme: Programme, agent_ids: Iterable[int], day: date
) -> dict[int, AllowanceSummary]:
    """The same for several agents at once, in two queries whatever their number."""
    agent_ids = list(agent_ids)
    start, end = programme.period_bounds(day)
    totals = {
        row["agent_id"]: row
        for row in Gesture.objects.filter(
            programme=programme, agent_id__in=agent_ids, occurred_on__range=(start, end)
        )
        .values("agent_id")
        .annotate(
            spent=Sum("cost", filter=Q(status=GestureStatus.APPROVED)),
            committed=Sum("cost", filter=Q(status=GestureStatus.PENDING)),
        )
    }
    overrides: dict[int, Decimal] = {}
    for agent_id, amount in AllowanceOverride.objects.filter(
        programme=programme, agent_id__in=agent_ids, period_start=start
    ).values_list("agent_id", "amount"):
        overrides.setdefault(agent_id, amount)  # newest first: the first one is in force
    return {
        agent_id: AllowanceSummary(
            programme=programme,
            period_start=start,
            period_end=end,
            allowance=overrides.get(agent_id, programme.agent_allowance),
            spent=as_money(totals.get(agent_id, {}).get("spent")),
            committed=as_money(totals.get(agent_id, {}).get("committed")),
        )
        for agent_id in agent_ids
    }
