"""Budgets, allowances and customer limits under concurrent requests, on PostgreSQL.

Each test starts many threads at one barrier, each with its own database connection, and then
checks the invariant and that the budget's numbers equal the sum of its gestures.
"""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import TeamRole
from programs.audit.models import AuditEntry
from programs.audit.trail import verify_chain
from programs.empowerment.models import Gesture, GestureStatus
from programs.empowerment.services.gestures import log_gesture, withdraw_gesture
from tests.factories import TeamFactory, UserFactory, allocated_budget, gesture_input, place
from tests.support.concurrency import (
    assert_budget_matches_its_gestures,
    run_at_once,
    run_in_pool,
)
from tests.support.postgresql import only_on_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    only_on_postgresql("row locks need PostgreSQL"),
    pytest.mark.usefixtures("category", "patient_locks"),
]


def logging_calls(agents, *, cost: str, ref: str = "C") -> list:
    """A call per agent (an agent may come more than once) that logs a gesture costing ``cost``,
    each for a customer of its own: ``{ref}-0``, ``{ref}-1``..."""
    return [
        (
            lambda a=a, n=n: (
                log_gesture(agent=a, **gesture_input(cost=cost, customer_ref=f"{ref}-{n}")).gesture
            )
        )
        for n, a in enumerate(agents)
    ]


def test_forty_agents_at_once_against_a_budget_that_fits_ten(team, programme):
    assert connection.vendor == "postgresql"
    budget = allocated_budget(team, programme, amount="100.00")
    agents = [place(UserFactory(), team, TeamRole.AGENT) for _ in range(40)]
    calls = logging_calls(agents, cost="10.00")
    results = run_at_once(calls)

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    outcome = Counter((g.status, g.over_budget) for g in results)
    assert outcome == {("approved", False): 10, ("pending", True): 30}
    assert_budget_matches_its_gestures(budget)
    assert budget.spent == Decimal("100.00") and budget.committed == 0
    chain = verify_chain()
    assert chain.ok, chain
    assert AuditEntry.objects.filter(action="gesture.logged").count() == 40


def test_pending_commitments_at_once_never_exceed_the_budget(team, programme):
    budget = allocated_budget(team, programme, amount="600.00")
    agents = [place(UserFactory(), team, TeamRole.AGENT) for _ in range(20)]
    # £60 is over the gesture limit: every one waits, committing while the budget lasts.
    calls = logging_calls(agents, cost="60.00")
    results = run_at_once(calls)
    assert all(isinstance(r, Gesture) for r in results)
    assert sum(1 for g in results if g.committed_amount) == 10
    assert sum(1 for g in results if g.over_budget) == 10
    assert_budget_matches_its_gestures(budget)
    assert budget.committed == Decimal("600.00")


def test_one_agent_racing_themselves_cannot_exceed_their_allowance(agent, team, programme):
    budget = allocated_budget(team, programme, amount="5000.00")
    calls = logging_calls([agent] * 12, cost="40.00")
    results = run_at_once(calls)
    approved = [g for g in results if g.status == GestureStatus.APPROVED]
    assert len(approved) == 5  # £200 allowance / £40
    assert_budget_matches_its_gestures(budget)


def test_agents_of_two_teams_racing_for_one_customer_keep_the_daily_limit(team, programme):
    south = TeamFactory(name="Care South")
    budgets = [allocated_budget(team, programme), allocated_budget(south, programme)]
    agents = [place(UserFactory(), t, TeamRole.AGENT) for t in (team, south) for _ in range(8)]
    calls = [
        (
            lambda a=a: (
                log_gesture(agent=a, **gesture_input(cost="25.00", customer_ref="VIP-1")).gesture
            )
        )
        for a in agents
    ]
    results = run_at_once(calls)
    approved = [g for g in results if g.status == GestureStatus.APPROVED]
    assert len(approved) == 4  # £100 a day / £25
    for budget in budgets:
        assert_budget_matches_its_gestures(budget)


def test_withdrawals_racing_new_gestures_keep_the_books_straight(team, programme):
    budget = allocated_budget(team, programme, amount="300.00")
    agents = [place(UserFactory(), team, TeamRole.AGENT) for _ in range(10)]
    waiting = [
        log_gesture(agent=a, **gesture_input(cost="60.00", customer_ref=f"W-{n}")).gesture
        for n, a in enumerate(agents[:5])
    ]
    calls = [(lambda g=g: withdraw_gesture(gesture=g, actor=g.agent)) for g in waiting]
    calls += logging_calls(agents[5:], cost="60.00", ref="N")
    calls += [(lambda g=waiting[0]: withdraw_gesture(gesture=g, actor=g.agent))]
    results = run_at_once(calls)
    conflicts = [r for r in results if isinstance(r, Exception)]
    assert len(conflicts) == 1 and type(conflicts[0]).__name__ == "Conflict"
    assert_budget_matches_its_gestures(budget)


def test_control_without_the_locks_the_race_is_real(team, programme, monkeypatch):
    """Proves the tests above test something: switch the locks off and the books go wrong."""
    from django.db.models import QuerySet

    from portal import locking

    monkeypatch.setattr(locking, "lock_keys", lambda *keys: None)
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)
    budget = allocated_budget(team, programme, amount="100.00")
    agents = [place(UserFactory(), team, TeamRole.AGENT) for _ in range(40)]
    calls = logging_calls(agents, cost="10.00")
    results = run_at_once(calls)

    budget.refresh_from_db()
    approved = Gesture.objects.filter(budget=budget, status=GestureStatus.APPROVED).count()
    refused_by_the_database = [r for r in results if isinstance(r, Exception)]
    lost_updates = budget.spent != approved * Decimal("10.00")
    assert refused_by_the_database or lost_updates or approved > 10


def test_two_approvers_at_the_same_moment_exactly_one_wins(agent, manager, team, programme):
    from portal.errors import Conflict
    from programs.empowerment.models import ApprovalRequest
    from programs.empowerment.services.approvals import Decision, decide_approval

    budget = allocated_budget(team, programme)
    second = place(UserFactory(), team, TeamRole.MANAGER)
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    step = ApprovalRequest.objects.get(gesture=gesture)
    results = run_at_once(
        [
            lambda: decide_approval(request=step, actor=manager, approve=True),
            lambda: decide_approval(
                request=step, actor=second, approve=False, comment="Not this time"
            ),
        ]
    )
    winners = [r.step for r in results if isinstance(r, Decision)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1
    gesture.refresh_from_db()
    assert gesture.status == ("approved" if winners[0].status == "approved" else "declined")
    assert_budget_matches_its_gestures(budget)


def test_two_hundred_concurrent_actions_leave_the_audit_chain_intact(team, programme):
    from programs.empowerment.models import ApprovalRequest
    from programs.empowerment.services.approvals import decide_approval

    budget = allocated_budget(team, programme, amount="100000.00")
    manager = place(UserFactory(), team, TeamRole.MANAGER)
    agents = [place(UserFactory(), team, TeamRole.AGENT) for _ in range(100)]
    waiting = [
        log_gesture(agent=a, **gesture_input(cost="60.00", customer_ref=f"W-{n}")).gesture
        for n, a in enumerate(agents[:50])
    ]
    steps = list(ApprovalRequest.objects.filter(gesture__in=waiting))
    before = AuditEntry.objects.count()
    calls = [(lambda s=s: decide_approval(request=s, actor=manager, approve=True)) for s in steps]
    calls += logging_calls(agents, cost="5.00", ref="N")
    calls += [
        (lambda a=a: log_gesture(agent=a, **gesture_input(cost="0")).gesture) for a in agents[:50]
    ]
    assert len(calls) == 200
    results = run_in_pool(calls)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert AuditEntry.objects.count() == before + 200
    chain = verify_chain()
    assert chain.ok, chain
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert_budget_matches_its_gestures(budget)
