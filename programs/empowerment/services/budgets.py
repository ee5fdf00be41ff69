"""Allocating team budgets and asking finance for more."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Team, User
from accounts.permissions import access_for
from portal.errors import Conflict, InvalidInput, NotPermitted
from portal.formatting import day_label, money
from portal.validation import clean_amount, clean_text
from portal.validators import TEXT_LIMIT, TextKind
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.models import Budget, BudgetRequest, Programme
from programs.empowerment.selectors.programmes import active_programme
from programs.empowerment.services.approvals import open_budget_request_approval


def allocate_budget(
    *, team: Team, programme: Programme, period_start: date, amount: Decimal | str, actor: User
) -> tuple[Budget, bool]:
    """Set a team's budget for one period; returns the budget and whether it was created.

    Only finance and admins allocate. The period must start where the programme's periods
    start and lie within the programme's dates, and an amount may never drop below what the
    team has already committed and spent.
    """
    if not access_for(actor).can_allocate_budgets:
        raise NotPermitted("Only finance can allocate budgets.")
    amount = clean_amount(amount, field="amount")
    if not programme.is_period_start(period_start):
        start, _ = programme.period_bounds(period_start)
        message = f"A {programme.get_period_display().lower()} period starts on {day_label(start)}."
        raise InvalidInput(message, field_errors={"period_start": [message]})
    if not programme.has_period(period_start):
        first, last = programme.period_range()
        message = (
            f"{programme} has budgets from {programme.period_label(first)} to "
            f"{programme.period_label(last)}: choose a period inside them."
        )
        raise InvalidInput(message, field_errors={"period_start": [message]})
    _, period_end = programme.period_bounds(period_start)
    with transaction.atomic():
        budget = (
            # The budget's row only: its ordering joins the team, which must stay unlocked.
            Budget.objects.select_for_update(of=("self",))
            .filter(team=team, programme=programme, period_start=period_start)
            .first()
        )
        if budget is None:
            try:
                with transaction.atomic():
                    budget = Budget.objects.create(
                        team=team,
                        programme=programme,
                        period_start=period_start,
                        period_end=period_end,
                        amount=amount,
                        allocated_by=actor,
                    )
            except IntegrityError:
                raise Conflict(
                    "Someone allocated this budget at the same moment; reload and try again."
                ) from None
            trail.record(
                action=AuditAction.BUDGET_ALLOCATED,
                actor=actor,
                subject=budget,
                data={"team": team.pk, "period_start": period_start, "amount": str(amount)},
            )
            return budget, True
        floor = budget.committed + budget.spent
        if amount < floor:
            raise Conflict(
                f"{team} has already committed {money(budget.committed, programme.currency)} "
                f"and spent {money(budget.spent, programme.currency)} this period, so the "
                f"budget cannot be less than {money(floor, programme.currency)}."
            )
        before = budget.amount
        budget.amount = amount
        budget.allocated_by = actor
        budget.save(update_fields=["amount", "allocated_by", "updated_at"])
        trail.record(
            action=AuditAction.BUDGET_CHANGED,
            actor=actor,
            subject=budget,
            data={"before": str(before), "after": str(amount)},
        )
        return budget, False


@transaction.atomic
def request_topup(
    *,
    budget: Budget,
    amount: Decimal | str,
    reason: str,
    actor: User,
    today: date | None = None,
) -> BudgetRequest:
    """A manager asks finance to add to one of their team's budgets, for the current period or
    a later one (a period that is over spends nothing more); finance decides later."""
    if not access_for(actor).manages(budget.team_id):
        raise NotPermitted("Only a manager of the team can ask for a top-up.")
    today = today or timezone.localdate()
    if budget.period_end < today:
        message = (
            f"{budget.programme.period_label(budget.period_start)} is over: ask for a top-up "
            "of the current period's budget or a later one."
        )
        raise InvalidInput(message, field_errors={"budget": [message]})
    amount = clean_amount(amount, field="amount", allow_zero=False)
    reason = clean_text(reason, field="reason", max_length=TEXT_LIMIT, kind=TextKind.TEXT)
    # Its one row lock is the budget's KEY SHARE, through the new request's foreign key, which
    # trail.record takes before the audit chain (portal/locking.py): taken at COMMIT, after
    # the chain, it deadlocked against approvals holding the budget's row.
    request = BudgetRequest.objects.create(
        budget=budget, amount=amount, reason=reason, requested_by=actor
    )
    open_budget_request_approval(budget_request=request)
    trail.record(
        action=AuditAction.BUDGET_TOPUP_REQUESTED,
        actor=actor,
        subject=request,
        data={"budget": budget.pk, "amount": str(amount), "reason": reason},
    )
    return request


def roll_over_budgets(*, today: date | None = None) -> int:
    """Open the current period's budget for every team that had one last period and has none
    now, with last period's amount. Idempotent: a team with a budget is left alone."""
    today = today or timezone.localdate()
    programme = active_programme()
    if programme is None:
        return 0
    start, end = programme.period_bounds(today)
    if not programme.has_period(start):
        return 0
    previous_start, _ = programme.period_bounds(start - timedelta(days=1))
    opened = 0
    for previous in Budget.objects.filter(programme=programme, period_start=previous_start):
        with transaction.atomic():
            budget, created = Budget.objects.get_or_create(
                team_id=previous.team_id,
                programme=programme,
                period_start=start,
                defaults={"period_end": end, "amount": previous.amount},
            )
            if created:
                trail.record(
                    action=AuditAction.BUDGET_ALLOCATED,
                    actor=None,
                    subject=budget,
                    data={
                        "team": budget.team_id,
                        "period_start": start,
                        "amount": str(budget.amount),
                        "rolled_over_from": previous.pk,
                    },
                )
                opened += 1
    return opened
