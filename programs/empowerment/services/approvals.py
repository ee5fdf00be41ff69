"""Approval steps: opening them, deciding them, escalating and reassigning them.

A waiting gesture first goes to its team's managers (level 1); above the programme's second-tier
threshold an approval there opens a finance step (level 2). Managers' budget top-ups go straight
to finance. Money moves only on the final approval, under the budget's row lock.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Delegation, TeamRole, User
from portal import locking
from portal.errors import Conflict
from portal.formatting import day_label, money
from portal.validation import clean_text
from portal.validators import TEXT_LIMIT, TextKind
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment import notices
from programs.empowerment.models import (
    ApprovalKind,
    ApprovalLevel,
    ApprovalRequest,
    ApprovalStatus,
    Budget,
    BudgetRequest,
    BudgetRequestStatus,
    DecisionOutcome,
    Gesture,
    GestureStatus,
)
from programs.empowerment.selectors.approvals import decision_right
from programs.empowerment.services import ledger
from programs.empowerment.services.approval_asks import (
    announce_decision,
    announce_step,
    settle_asks,
)


def open_gesture_approval(*, gesture: Gesture, now: datetime | None = None) -> ApprovalRequest:
    """The first step for a gesture waiting for approval: its team's managers, or finance when
    the team has no manager who could decide it. Call inside the logging transaction."""
    now = now or timezone.now()
    assignee, note = team_approver(
        team_id=gesture.team_id, exclude=gesture.agent_id, day=timezone.localdate(now)
    )
    level = ApprovalLevel.MANAGER
    if assignee is None:
        level = ApprovalLevel.FINANCE
        note = f"{gesture.team} has no manager who can decide it, so it went to finance."
    step = open_step(
        kind=ApprovalKind.GESTURE,
        gesture=gesture,
        level=level,
        team=gesture.team,
        assignee=assignee,
        amount=gesture.cost,
        requested_by=gesture.agent,
        note=note,
        due_at=now + timedelta(hours=gesture.programme.escalate_after_hours),
    )
    return step


def open_budget_request_approval(*, budget_request: BudgetRequest) -> ApprovalRequest:
    """A manager's top-up goes to finance: a manager never decides money for their own team."""
    budget = budget_request.budget
    step = open_step(
        kind=ApprovalKind.BUDGET_REQUEST,
        budget_request=budget_request,
        level=ApprovalLevel.FINANCE,
        team=budget.team,
        amount=budget_request.amount,
        requested_by=budget_request.requested_by,
        due_at=timezone.now() + timedelta(hours=budget.programme.escalate_after_hours),
    )
    return step


def cancel_open_approvals(*, gesture: Gesture, actor: User) -> None:
    """The gesture was withdrawn: its open step closes. Call inside that transaction."""
    now = timezone.now()
    open_steps = list(ApprovalRequest.objects.pending().filter(gesture=gesture).order_by("pk"))
    ApprovalRequest.objects.filter(pk__in=[step.pk for step in open_steps]).update(
        status=ApprovalStatus.CANCELLED, decided_at=now, note="Withdrawn by the agent."
    )
    for step in open_steps:
        settle_asks(step, resolution=f"Withdrawn by {actor}", now=now)


@dataclass(frozen=True)
class Decision:
    """The decided step and what the decision did, so callers never guess it afterwards."""

    step: ApprovalRequest
    outcome: DecisionOutcome


def decide_approval(
    *,
    request: ApprovalRequest,
    actor: User,
    approve: bool,
    comment: str = "",
    now: datetime | None = None,
) -> Decision:
    """Approve or decline one step, in one transaction under the budget's row lock.

    Refuses the requester (and their delegate acting as them), anyone outside the step's scope,
    a step already decided (409), a decline without a reason, and an approval the budget can no
    longer cover (409, with the numbers). A final approval turns the commitment into spend; a
    decline releases it.
    """
    now = now or timezone.now()
    # Someone outside the step's scope hears "not allowed" before anything about their input;
    # the same check runs again below, under the locks.
    decision_right(actor, request, day=timezone.localdate(now))
    field = "comment" if approve else "reason"
    comment = clean_text(
        comment, field=field, max_length=TEXT_LIMIT, required=not approve, kind=TextKind.TEXT
    )
    with transaction.atomic():
        # The lock order (portal/locking.py): the budget row, the gesture, the step, the
        # top-up request; the audit chain last.
        budget_id = _budget_id_of(request)
        budget = locking.lock_row(Budget.objects, budget_id) if budget_id else None
        gesture = (
            locking.lock_row(Gesture.objects.select_related("programme"), request.gesture_id)
            if request.gesture_id
            else None
        )
        step = locking.lock_row(ApprovalRequest.objects, request.pk)
        on_behalf_of = decision_right(actor, step, day=timezone.localdate(now))
        if step.status != ApprovalStatus.PENDING:
            raise Conflict(f"This request has already been {step.status}.")
        before = _money_state(budget)
        # The step closes first: a second-tier approval opens the next step for the same gesture.
        step.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.DECLINED
        step.decided_at = now
        step.decided_by = actor
        step.on_behalf_of = on_behalf_of
        step.comment = comment
        step.save(update_fields=["status", "decided_at", "decided_by", "on_behalf_of", "comment"])
        if step.kind == ApprovalKind.GESTURE:
            outcome = _decide_gesture(step, gesture, budget, approve, comment, now)
        else:
            outcome = _decide_budget_request(step, budget, approve=approve, now=now)
        if outcome != DecisionOutcome.SENT_TO_FINANCE:
            announce_decision(step, gesture=gesture, approved=approve)
        settle_asks(
            step,
            resolution=notices.decision_in_words(
                actor, on_behalf_of, approve=approve, outcome=outcome
            ),
            now=now,
        )
        trail.record(
            action=AuditAction.APPROVAL_APPROVED if approve else AuditAction.APPROVAL_DECLINED,
            actor=actor,
            on_behalf_of=on_behalf_of,
            subject=step,
            data={
                "kind": step.kind,
                "subject": f"{step.kind}:{step.subject_id}",
                "level": step.level,
                "amount": str(step.amount),
                "comment": comment,
                "outcome": outcome.value,
                "budget": {"id": budget_id, "before": before, "after": _money_state(budget)},
            },
        )
    return Decision(step=step, outcome=outcome)


def _decide_gesture(step, gesture, budget, approve, comment, now) -> DecisionOutcome:
    if not approve:
        if gesture.committed_amount and budget is not None:
            ledger.release(budget, gesture.committed_amount)
        gesture.status = GestureStatus.DECLINED
        gesture.committed_amount = 0
        gesture.decided_at = now
        gesture.decision_reason = comment
        gesture.save(
            update_fields=[
                "status",
                "committed_amount",
                "decided_at",
                "decision_reason",
                "updated_at",
            ]
        )
        return DecisionOutcome.GESTURE_DECLINED
    if not gesture.committed_amount:
        _make_room(budget, gesture)
    needs_finance = (
        step.level == ApprovalLevel.MANAGER
        and gesture.cost > gesture.programme.second_tier_threshold
    )
    if needs_finance:
        if not gesture.committed_amount:
            ledger.reserve(budget, gesture.cost)
            gesture.committed_amount = gesture.cost
            gesture.over_budget = False
            gesture.save(update_fields=["committed_amount", "over_budget", "updated_at"])
        open_step(
            kind=ApprovalKind.GESTURE,
            gesture=gesture,
            level=ApprovalLevel.FINANCE,
            team=gesture.team,
            amount=gesture.cost,
            requested_by=gesture.agent,
            note=(
                "Approved by the team's manager; above the "
                f"{money(gesture.programme.second_tier_threshold, gesture.currency)} second-tier "
                "threshold, so finance approves too."
            ),
            due_at=now + timedelta(hours=gesture.programme.escalate_after_hours),
        )
        return DecisionOutcome.SENT_TO_FINANCE
    ledger.spend(budget, gesture.cost, held=gesture.committed_amount)
    gesture.status = GestureStatus.APPROVED
    gesture.committed_amount = 0
    gesture.over_budget = False
    gesture.decided_at = now
    gesture.decision_reason = comment
    gesture.save(
        update_fields=[
            "status",
            "committed_amount",
            "over_budget",
            "decided_at",
            "decision_reason",
            "updated_at",
        ]
    )
    return DecisionOutcome.GESTURE_APPROVED


def _make_room(budget: Budget | None, gesture: Gesture) -> None:
    """An over-budget gesture can be approved only once a top-up has made room for it."""
    if budget is None:
        raise Conflict(
            f"{gesture.team} has no budget for this period, so nothing can be approved yet. "
            "Ask finance to allocate one."
        )
    if budget.available < gesture.cost:
        raise Conflict(
            f"{gesture.team}'s budget has {money(budget.available, gesture.currency)} "
            f"available ({money(budget.amount, gesture.currency)} allocated, "
            f"{money(budget.committed, gesture.currency)} committed, "
            f"{money(budget.spent, gesture.currency)} spent), which cannot cover "
            f"{money(gesture.cost, gesture.currency)}. "
            "Ask finance for a top-up first."
        )


def _decide_budget_request(step, budget, *, approve: bool, now) -> DecisionOutcome:
    # The decision's comment is kept on the step (and in its audit entry and the manager's
    # notification); the top-up itself records only the outcome.
    topup = locking.lock_row(BudgetRequest.objects, step.budget_request_id)
    if approve:
        ledger.top_up(budget, topup.amount)
    topup.status = BudgetRequestStatus.APPROVED if approve else BudgetRequestStatus.DECLINED
    topup.decided_at = now
    topup.save(update_fields=["status", "decided_at"])
    return DecisionOutcome.TOPUP_APPROVED if approve else DecisionOutcome.TOPUP_DECLINED


def _budget_id_of(request: ApprovalRequest) -> int | None:
    if request.kind == ApprovalKind.GESTURE:
        return Gesture.objects.values_list("budget_id", flat=True).get(pk=request.gesture_id)
    return BudgetRequest.objects.values_list("budget_id", flat=True).get(
        pk=request.budget_request_id
    )


def _money_state(budget: Budget | None) -> dict | None:
    if budget is None:
        return None
    return {
        "amount": str(budget.amount),
        "committed": str(budget.committed),
        "spent": str(budget.spent),
    }


def team_approver(
    *, team_id: int, exclude: int, day, skip: int | None = None
) -> tuple[User | None, str]:
    """The manager expected to decide for a team, or their delegate while they are away."""
    day = (
        day if isinstance(day, date) and not isinstance(day, datetime) else timezone.localdate(day)
    )
    managers = (
        User.objects.active()
        .filter(memberships__team_id=team_id, memberships__role=TeamRole.MANAGER)
        .exclude(pk=exclude)
        .order_by("name", "pk")
    )
    if skip is not None:
        managers = managers.exclude(pk=skip)
    for manager in managers:
        away = (
            Delegation.objects.active_on(day)
            .filter(delegator=manager, delegate__is_active=True)
            .exclude(delegate_id=exclude)
            .select_related("delegate")
            .first()
        )
        if away is None:
            return manager, ""
        return away.delegate, (
            f"{manager} is away until {day_label(away.ends_on)}; {away.delegate} decides meanwhile."
        )
    return None, ""


def open_step(**fields) -> ApprovalRequest:
    """Create a step and tell the people who can decide it."""
    step = ApprovalRequest.objects.create(**fields)
    announce_step(step)
    return step
