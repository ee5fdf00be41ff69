from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import TeamRole
from portal.errors import Conflict, InvalidInput, NotPermitted
from programs.audit import AuditAction
from programs.models import AuditEntry, Budget, Gesture, GestureStatus
from programs.selectors.allowances import allowance_summary
from programs.services.allowances import set_allowance
from programs.services.gestures import log_gesture, record_outcome, withdraw_gesture
from tests.factories import TeamFactory, UserFactory, allocated_budget, gesture_input, place

pytestmark = pytest.mark.usefixtures("category")


@pytest.fixture
def log(agent, programme, budget):
    def _log(**overrides) -> Gesture:
        return log_gesture(agent=overrides.pop("agent", agent), **gesture_input(**overrides))

    return _log


def _money(budget: Budget) -> tuple[Decimal, Decimal, Decimal]:
    budget.refresh_from_db()
    return budget.committed, budget.spent, budget.available


# The policy table: programme limits are £50 per gesture, £200 allowance, £100 per customer a day.


def test_zero_cost_gesture_is_approved_and_spends_nothing(log, budget):
    gesture = log(cost="0.00")
    assert gesture.status == GestureStatus.APPROVED
    assert _money(budget) == (0, 0, Decimal("1000.00"))


def test_zero_cost_gesture_is_approved_even_without_a_budget(agent, programme):
    gesture = log_gesture(agent=agent, **gesture_input(cost="0"))
    assert gesture.status == GestureStatus.APPROVED
    assert gesture.budget is None


def test_gesture_at_the_limit_is_approved_and_spent(log, budget):
    gesture = log(cost="50.00")
    assert gesture.status == GestureStatus.APPROVED
    assert gesture.committed_amount == 0
    assert _money(budget) == (0, Decimal("50.00"), Decimal("950.00"))


def test_one_penny_over_the_limit_waits_with_its_cost_committed(log, budget):
    gesture = log(cost="50.01")
    assert gesture.status == GestureStatus.PENDING
    assert gesture.committed_amount == Decimal("50.01")
    assert gesture.policy_snapshot["reasons"] == ["over_gesture_limit"]
    assert _money(budget) == (Decimal("50.01"), 0, Decimal("949.99"))


def test_over_the_remaining_allowance_waits(log, budget):
    for n in range(4):
        log(cost="45.00", customer_ref=f"TCK-{n}")
    gesture = log(cost="25.00", customer_ref="TCK-9")  # 180 used, 20 left
    assert gesture.status == GestureStatus.PENDING
    assert gesture.policy_snapshot["reasons"] == ["over_allowance"]
    assert gesture.policy_snapshot["allowance_remaining_before"] == "20.00"


def test_a_boosted_allowance_lets_more_through(log, agent, manager, programme, budget):
    for n in range(4):
        log(cost="45.00", customer_ref=f"TCK-{n}")
    set_allowance(
        programme=programme,
        agent=agent,
        day=timezone.localdate(),
        amount="300.00",
        reason="Covering the Christmas rush",
        actor=manager,
    )
    assert log(cost="25.00", customer_ref="TCK-9").status == GestureStatus.APPROVED


def test_over_the_team_budget_waits_over_budget_with_nothing_committed(agent, team, programme):
    small = allocated_budget(team, programme, amount="30.00")
    gesture = log_gesture(agent=agent, **gesture_input(cost="40.00"))
    assert gesture.status == GestureStatus.PENDING
    assert gesture.over_budget and gesture.flags == ["over_budget"]
    assert gesture.committed_amount == 0
    assert gesture.policy_snapshot["reasons"] == ["over_team_budget"]
    assert _money(small) == (0, 0, Decimal("30.00"))


def test_without_a_budget_a_paid_gesture_waits_over_budget(agent, programme):
    gesture = log_gesture(agent=agent, **gesture_input(cost="5.00"))
    assert gesture.status == GestureStatus.PENDING
    assert gesture.over_budget
    assert gesture.budget is None


def test_customer_daily_limit_counts_every_agent_and_team(log, programme, budget):
    south = TeamFactory(name="Care South")
    allocated_budget(south, programme)
    colleague = place(UserFactory(), south, TeamRole.AGENT)
    assert log(cost="50.00", customer_ref="CRM-77").status == GestureStatus.APPROVED
    assert (
        log(agent=colleague, cost="45.00", customer_ref="crm-77").status == GestureStatus.APPROVED
    )
    third = log(agent=colleague, cost="10.00", customer_ref="CRM 77")
    assert third.status == GestureStatus.PENDING
    assert third.policy_snapshot["reasons"] == ["over_customer_daily_limit"]
    assert third.policy_snapshot["customer_spent_today_before"] == "95.00"


def test_customer_daily_limit_is_per_day(log, budget):
    yesterday = timezone.localdate() - timedelta(days=1)
    log(cost="50.00", customer_ref="CRM-5", occurred_on=yesterday)
    log(cost="50.00", customer_ref="CRM-5", occurred_on=yesterday, action="Called back.")
    assert log(cost="50.00", customer_ref="CRM-5").status == GestureStatus.APPROVED


def test_several_reasons_are_all_kept(agent, team, programme):
    allocated_budget(team, programme, amount="20.00")
    gesture = log_gesture(agent=agent, **gesture_input(cost="120.00"))
    assert gesture.policy_snapshot["reasons"] == [
        "over_gesture_limit",
        "over_team_budget",
        "over_customer_daily_limit",
    ]


def test_a_policy_change_leaves_earlier_gestures_untouched(log, programme, budget):
    approved = log(cost="40.00")
    pending = log(cost="60.00", customer_ref="TCK-2")
    programme.gesture_limit = Decimal("10.00")
    programme.customer_daily_limit = Decimal("20.00")
    programme.save()
    for gesture, status in ((approved, "approved"), (pending, "pending")):
        gesture.refresh_from_db()
        assert gesture.status == status
        assert gesture.policy_snapshot["gesture_limit"] == "50.00"
        assert gesture.policy_snapshot["customer_daily_limit"] == "100.00"
    assert log(cost="40.00", customer_ref="TCK-3").policy_snapshot["gesture_limit"] == "10.00"


def test_same_customer_and_cost_within_seven_days_is_flagged_not_blocked(log, budget):
    first = log(cost="12.00", occurred_on=timezone.localdate() - timedelta(days=6))
    second = log(cost="12.00", action="Sent a second bunch of flowers.")
    assert not first.possible_duplicate
    assert second.possible_duplicate and second.flags == ["possible_duplicate"]
    assert second.status == GestureStatus.APPROVED


def test_different_cost_or_eight_days_apart_is_not_a_duplicate(log, budget):
    log(cost="12.00", occurred_on=timezone.localdate() - timedelta(days=8))
    assert not log(cost="12.00").possible_duplicate
    assert not log(cost="13.00").possible_duplicate


@pytest.mark.parametrize(("days_apart", "flagged"), [(7, True), (8, False)])
def test_the_duplicate_window_ends_after_seven_days(log, budget, days_apart, flagged):
    log(cost="12.00", occurred_on=timezone.localdate() - timedelta(days=days_apart))
    assert log(cost="12.00").possible_duplicate is flagged


def test_the_duplicate_window_looks_forward_too(log, budget):
    log(cost="12.00")
    earlier = timezone.localdate() - timedelta(days=7)
    assert log(cost="12.00", occurred_on=earlier).possible_duplicate


def test_a_withdrawn_gesture_is_no_duplicate(log, agent, budget):
    first = log(cost="60.00")
    withdraw_gesture(gesture=first, actor=agent)
    assert not log(cost="60.00").possible_duplicate


# Bad input: a clear error and nothing written.

# Named here, dated when the test runs: a run that crosses midnight must not find that
# "tomorrow", reckoned at collection, has become today.
TOMORROW, LONG_AGO = "tomorrow", "400 days ago"


def _dated(value):
    days = {TOMORROW: 1, LONG_AGO: -400}.get(value)
    return value if days is None else timezone.localdate() + timedelta(days=days)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cost": "-1.00"}, "cost"),
        ({"cost": "abc"}, "cost"),
        ({"cost": "1e30"}, "cost"),
        ({"cost": "NaN"}, "cost"),
        ({"cost": "Infinity"}, "cost"),
        ({"cost": "10.001"}, "cost"),
        ({"occurred_on": TOMORROW}, "occurred_on"),
        ({"occurred_on": LONG_AGO}, "occurred_on"),
        ({"situation": "x" * 2001}, "situation"),
        ({"action": ""}, "action"),
        ({"customer_ref": "R" * 65}, "customer_ref"),
        ({"customer_name": "N" * 151}, "customer_name"),
        ({"category": "no-such-category"}, "category"),
        ({"channel": "carrier-pigeon"}, "channel"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(log, budget, overrides, field):
    with pytest.raises(InvalidInput) as error:
        log(**{name: _dated(value) for name, value in overrides.items()})
    assert field in error.value.field_errors
    assert Gesture.objects.count() == 0
    assert AuditEntry.objects.filter(action=AuditAction.GESTURE_LOGGED).count() == 0
    assert _money(budget) == (0, 0, Decimal("1000.00"))


def test_only_agents_log_gestures(manager, programme, budget):
    with pytest.raises(NotPermitted):
        log_gesture(agent=manager, **gesture_input())


def test_an_agent_in_two_teams_must_say_which(agent, programme, budget):
    place(agent, TeamFactory(name="Care South"), TeamRole.AGENT)
    with pytest.raises(InvalidInput) as error:
        log_gesture(agent=agent, **gesture_input())
    assert "team" in error.value.field_errors


def test_no_active_programme_is_a_conflict(agent, programme):
    programme.is_active = False
    programme.save()
    with pytest.raises(Conflict):
        log_gesture(agent=agent, **gesture_input())


# Withdrawing and outcomes.


def test_withdrawing_releases_the_commitment(log, agent, budget):
    gesture = log(cost="60.00")
    withdrawn = withdraw_gesture(gesture=gesture, actor=agent)
    assert withdrawn.status == GestureStatus.WITHDRAWN
    assert withdrawn.committed_amount == 0
    assert _money(budget) == (0, 0, Decimal("1000.00"))


def test_withdrawing_twice_is_a_conflict(log, agent, budget):
    gesture = log(cost="60.00")
    withdraw_gesture(gesture=gesture, actor=agent)
    with pytest.raises(Conflict):
        withdraw_gesture(gesture=gesture, actor=agent)


def test_an_approved_gesture_cannot_be_withdrawn(log, agent, budget):
    with pytest.raises(Conflict):
        withdraw_gesture(gesture=log(cost="5.00"), actor=agent)


def test_only_the_agent_withdraws(log, manager, budget):
    with pytest.raises(NotPermitted):
        withdraw_gesture(gesture=log(cost="60.00"), actor=manager)


def test_recording_the_outcome_later(log, agent, budget):
    gesture = record_outcome(
        gesture=log(),
        actor=agent,
        outcome="She rang back in tears, happy ones.",
        outcome_rating="delighted",
    )
    assert gesture.outcome_rating == "delighted"
    entry = AuditEntry.objects.get(action=AuditAction.GESTURE_OUTCOME_RECORDED)
    assert entry.data["after"]["outcome_rating"] == "delighted"


def test_an_unknown_rating_is_refused(log, agent, budget):
    with pytest.raises(InvalidInput):
        record_outcome(gesture=log(), actor=agent, outcome="", outcome_rating="ecstatic")


# What the audit trail and the allowance say.


def test_logging_writes_one_audit_entry(log, agent, budget):
    gesture = log(cost="60.00")
    entry = AuditEntry.objects.get(subject_type="gesture", subject_id=str(gesture.pk))
    assert entry.action == "gesture.logged"
    assert entry.actor == agent
    assert entry.data["status"] == "pending"
    assert entry.data["committed"] == "60.00"


def test_allowance_summary_after_an_approved_and_a_pending_gesture(log, agent, programme, budget):
    log(cost="10.00")
    log(cost="60.00", customer_ref="TCK-2")
    summary = allowance_summary(programme=programme, agent_id=agent.pk, day=timezone.localdate())
    assert (summary.allowance, summary.spent, summary.committed, summary.remaining) == (
        Decimal("200.00"),
        Decimal("10.00"),
        Decimal("60.00"),
        Decimal("130.00"),
    )


def test_budget_numbers_equal_the_sum_of_their_gestures(log, budget):
    for n, cost in enumerate(["10.00", "60.00", "0.00", "45.00", "70.00"]):
        log(cost=cost, customer_ref=f"TCK-{n}")
    budget.refresh_from_db()
    gestures = Gesture.objects.filter(budget=budget)
    assert budget.spent == sum(g.cost for g in gestures if g.status == "approved")
    assert budget.committed == sum(g.committed_amount for g in gestures)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": "gift\x00"}, "category", "Choose one of the listed categories."),
        ({"customer_ref": "TCK-1\x00"}, "customer_ref", "not allowed"),
        ({"customer_ref": "TCK-1\nBcc: x@example.com"}, "customer_ref", "one line"),
        ({"customer_ref": "TCK-\u202e1001"}, "customer_ref", "not allowed"),
        ({"customer_ref": "TCK-\u200b1001"}, "customer_ref", "not allowed"),
        ({"customer_name": "Ada\r\nLovelace"}, "customer_name", "one line"),
        ({"situation": "Broken\x00"}, "situation", "not allowed"),
        ({"cost": "\u0661\u0660"}, "cost", "digits 0 to 9"),
    ],
)
def test_the_service_refuses_what_the_forms_and_api_refuse(log, budget, overrides, field, message):
    with pytest.raises(InvalidInput) as error:
        log(**overrides)
    assert message in error.value.field_errors[field][0]
    assert Gesture.objects.count() == 0
    assert _money(budget) == (0, 0, Decimal("1000.00"))


def test_the_story_keeps_its_lines(log):
    gesture = log(
        situation="She called twice.\nThe parcel was lost.", outcome="Thanked us.\n\tTwice."
    )
    assert gesture.situation == "She called twice.\nThe parcel was lost."
    assert gesture.outcome == "Thanked us.\n\tTwice."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("customer_ref", "TCK\n1"),
        ("customer_ref", "TCK\u202e1"),
        ("customer_ref", "TCK\u200b1"),
        ("customer_ref", "TCK\ufeff1"),
        ("customer_name", "Ada\nLovelace"),
        ("customer_name", "Ada\tLovelace"),
    ],
)
def test_the_database_refuses_line_breaks_and_invisible_characters_in_references(log, field, value):
    gesture = log()
    with pytest.raises(IntegrityError), transaction.atomic():
        Gesture.objects.filter(pk=gesture.pk).update(**{field: value})
