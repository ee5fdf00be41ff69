from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from portal.money import as_money
from programs.empowerment.models import AllowanceOverride, Gesture, GestureStatus, Programme

ZERO = Decimal("0.00")
AMOUNT = DecimalField(max_digits=12, decimal_places=2)


@dataclass(frozen=True)
class AllowanceSummary:
    """One agent's allowance for one period, as every page and the API show it.

    ``approved_above`` is the part of ``spent`` beyond the allowance. Only a manager's approval
    puts it there (a gesture approved at once always fits), and it stays counted as spent: the
    documented rule, which this figure makes visible instead of leaving people to wonder why
    "used" is larger than the allowance.
    """

    programme: Programme
    period_start: date
    period_end: date
    allowance: Decimal
    spent: Decimal
    committed: Decimal
    approved_above: Decimal = ZERO

    @property
    def used(self) -> Decimal:
        return self.spent + self.committed

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.allowance - self.used)

    def counting(self, gesture: Gesture) -> "AllowanceSummary":
        """These figures once ``gesture``, logged against them, counts: spent when approved,
        waiting when pending (whether or not the team budget holds it)."""
        if gesture.status == GestureStatus.APPROVED:
            spent = self.spent + gesture.cost
            return replace(self, spent=spent, approved_above=max(ZERO, spent - self.allowance))
        if gesture.status == GestureStatus.PENDING:
            return replace(self, committed=self.committed + gesture.cost)
        return self

    @property
    def used_percent(self) -> int:
        if not self.allowance:
            return 100 if self.used else 0
        return min(100, round(self.used * 100 / self.allowance))


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
    """The same for several agents at once, in one query whatever their number.

    The agent's own pages, the team page and the API all read these figures, so a manager and
    the agent always see the same amounts, to the penny.
    """
    agent_ids = list(agent_ids)
    start, end = programme.period_bounds(day)
    gestures = Gesture.objects.filter(
        programme=programme, agent=OuterRef("pk"), occurred_on__range=(start, end)
    ).order_by()

    def total(status: str) -> Coalesce:
        sums = gestures.filter(status=status).values("agent").annotate(total=Sum("cost"))
        return Coalesce(Subquery(sums.values("total")), Value(ZERO), output_field=AMOUNT)

    in_force = AllowanceOverride.objects.filter(
        programme=programme, agent=OuterRef("pk"), period_start=start
    ).order_by("-created_at", "-id")
    rows = (
        get_user_model()
        .objects.filter(pk__in=agent_ids)
        .annotate(
            allowance=Coalesce(
                Subquery(in_force.values("amount")[:1]),
                Value(programme.agent_allowance),
                output_field=AMOUNT,
            ),
            spent=total(GestureStatus.APPROVED),
            committed=total(GestureStatus.PENDING),
        )
        .annotate(
            approved_above=Greatest(F("spent") - F("allowance"), Value(ZERO), output_field=AMOUNT)
        )
        .values_list("pk", "allowance", "spent", "committed", "approved_above")
    )
    return {
        pk: AllowanceSummary(
            programme=programme,
            period_start=start,
            period_end=end,
            allowance=as_money(allowance),
            spent=as_money(spent),
            committed=as_money(committed),
            approved_above=as_money(approved_above),
        )
        for pk, allowance, spent, committed, approved_above in rows
    }
