"""The lock order (portal/locking.py) under real concurrency, on PostgreSQL.

Top-up requests, allocations, top-up approvals and gesture approvals all move one budget at
the same moment; escalations and a deactivation race decisions on the same steps. Before the
one lock order these deadlocked (PostgreSQL aborted one side: a 500); the control case puts
the old order back and watches the deadlocks return.
"""

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.db import OperationalError
from django.utils import timezone

from accounts.models import RoleName, TeamRole
from portal import locking
from portal.errors import Conflict
from programs.audit.models import AuditEntry
from programs.audit.trail import AuditAction, verify_chain
from programs.empowerment.models import ApprovalRequest, Budget, BudgetRequest, Gesture
from programs.empowerment.services.approvals import Decision, decide_approval
from programs.empowerment.services.budgets import allocate_budget, request_topup
from programs.empowerment.services.delegations import deactivate_person
from programs.empowerment.services.escalations import escalate_overdue
from programs.empowerment.services.gestures import log_gesture
from tests.factories import UserFactory, allocated_budget, gesture_input, grant, place
from tests.support.concurrency import (
    assert_budget_matches_its_gestures,
    run_in_pool,
)
from tests.support.postgresql import only_on_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    only_on_postgresql("row locks need PostgreSQL"),
    pytest.mark.usefixtures("category", "patient_locks"),
]


def money_on_one_budget(team, programme) -> tuple[Budget, list]:
    """Twenty waiting gestures and eight waiting top-ups on one budget, and the calls that
    then hit it at once: decisions on all of them, new top-ups, new gestures and allocations."""
    budget = allocated_budget(team, programme, amount="3000.00")
    manager = place(UserFactory(), team, TeamRole.MANAGER)
    finance = grant(UserFactory(), RoleName.FINANCE)
    agents = [place(UserFactory(), team, TeamRole.AGENT) for _ in range(30)]
    waiting = [
        log_gesture(agent=a, **gesture_input(cost="60.00", customer_ref=f"W-{n}")).gesture
        for n, a in enumerate(agents[:20])
    ]
    topups = [
        request_topup(budget=budget, amount="25.00", reason=f"Rush {n}", actor=manager)
        for n in range(8)
    ]
    gesture_steps = ApprovalRequest.objects.filter(gesture__in=waiting)
    topup_steps = ApprovalRequest.objects.filter(budget_request__in=topups)

    calls = [
        (
            lambda s=s, n=n: decide_approval(
                request=s, actor=manager, approve=n % 4 != 0, comment="Not now"
            )
        )
        for n, s in enumerate(gesture_steps)
    ]
    calls += [
        (lambda s=s: decide_approval(request=s, actor=finance, approve=True)) for s in topup_steps
    ]
    calls += [
        (
            lambda n=n: request_topup(
                budget=budget, amount="10.00", reason=f"More {n}", actor=manager
            )
        )
        for n in range(20)
    ]
    calls += [
        (
            lambda a=a, n=n: (
                log_gesture(agent=a, **gesture_input(cost="60.00", customer_ref=f"N-{n}")).gesture
            )
        )
        for n, a in enumerate(agents[20:])
    ]
    calls += [
        (
            lambda n=n: allocate_budget(
                team=team,
                programme=programme,
                period_start=budget.period_start,
                amount=Decimal("4000.00") + n,
                actor=finance,
            )
        )
        for n in range(12)
    ]
    random.Random(7).shuffle(calls)
    return budget, calls


def deadlocks(results) -> list:
    return [r for r in results if isinstance(r, OperationalError) and "deadlock" in str(r)]


def assert_the_amount_history_adds_up(budget: Budget) -> None:
    """Replaying the audit trail's allocations and top-up approvals, in order, gives the
    budget's amount: each change started from what the one before left, none was lost."""
    budget.refresh_from_db()
    amount = None
    for entry in AuditEntry.objects.order_by("seq"):
        data = entry.data
        if entry.subject_type == "budget" and entry.subject_id == str(budget.pk):
            before = None if entry.action == AuditAction.BUDGET_ALLOCATED else data["before"]
            assert before == amount, entry
            amount = data.get("after", data.get("amount"))
        elif entry.action.startswith("approval.") and data["budget"]["id"] == budget.pk:
            assert data["budget"]["before"]["amount"] == amount, entry
            amount = data["budget"]["after"]["amount"]
    assert Decimal(amount) == budget.amount


def test_topups_allocations_and_approvals_at_once_on_one_budget(team, programme):
    budget, calls = money_on_one_budget(team, programme)
    before = AuditEntry.objects.count()

    results = run_in_pool(calls, workers=16)

    failures = [r for r in results if isinstance(r, Exception)]
    assert failures == []
    assert AuditEntry.objects.count() == before + len(calls)
    assert_budget_matches_its_gestures(budget)
    assert budget.committed + budget.spent <= budget.amount
    assert BudgetRequest.objects.filter(budget=budget, status="approved").count() == 8
    assert BudgetRequest.objects.filter(budget=budget, status="pending").count() == 20
    assert_the_amount_history_adds_up(budget)
    chain = verify_chain()
    assert chain.ok, chain


def test_control_with_the_old_order_the_same_rush_deadlocks(team, programme, monkeypatch):
    """Proves the test above tests something: put back the old order, in which a top-up (and
    every change) took the audit chain before the locks its foreign keys need at COMMIT, and
    PostgreSQL aborts transactions as deadlocked."""
    monkeypatch.setattr(locking, "run_deferred_checks", lambda: None)
    _, calls = money_on_one_budget(team, programme)

    results = run_in_pool(calls, workers=16)

    assert deadlocks(results), Counter(type(r).__name__ for r in results)
    # Each side PostgreSQL picked was rolled back whole; the chain itself stays intact.
    chain = verify_chain()
    assert chain.ok, chain


def test_escalations_and_a_deactivation_racing_decisions_on_the_same_steps(team, programme):
    budget = allocated_budget(team, programme, amount="3000.00")
    leaving = place(UserFactory(name="Aaron Leaving"), team, TeamRole.MANAGER)
    staying = place(UserFactory(name="Zoe Staying"), team, TeamRole.MANAGER)
    admin = grant(UserFactory(), RoleName.ADMIN)
    agents = [place(UserFactory(), team, TeamRole.AGENT) for _ in range(24)]
    for n, agent in enumerate(agents):
        log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref=f"W-{n}"))
    steps = list(ApprovalRequest.objects.filter(assignee=leaving, status="pending"))
    assert len(steps) == 24
    # Half of them are overdue: the escalation job takes them while managers decide them.
    overdue = [s.pk for s in steps[::2]]
    ApprovalRequest.objects.filter(pk__in=overdue).update(due_at=timezone.now())

    calls = [(lambda s=s: decide_approval(request=s, actor=staying, approve=True)) for s in steps]
    calls += [escalate_overdue for _ in range(4)]
    calls += [lambda: deactivate_person(person=leaving, actor=admin)]
    random.Random(3).shuffle(calls)

    results = run_in_pool(calls, workers=16)

    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)]
    assert unexpected == []
    # Every step was decided, or escalated first (and that decision refused), never both.
    decided = [r.step for r in results if isinstance(r, Decision)]
    escalated = ApprovalRequest.objects.filter(pk__in=[s.pk for s in steps], status="escalated")
    assert len(decided) + escalated.count() == 24
    assert set(escalated.values_list("pk", flat=True)) <= set(overdue)
    assert Gesture.objects.filter(status="approved").count() == len(decided)
    assert_budget_matches_its_gestures(budget)
    chain = verify_chain()
    assert chain.ok, chain
