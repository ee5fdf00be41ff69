from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import TeamRole
from portal.errors import Conflict, InvalidInput, NotPermitted
from programs.audit.models import AuditEntry
from programs.audit.trail import AuditAction
from programs.empowerment.models import Budget, Gesture, GestureStatus
from programs.empowerment.selectors.allowances import allowance_summary
from programs.empowerment.services.gestures import (
    log_gesture,
    record_gesture_outcome,
    withdraw_gesture,
)
from tests.factories import (
    TeamFactory,
    UserFactory,
    allocated_budget,
    allowance_override,
    gesture_input,
    place,
)

pytestmark = pytest.mark.usefixtures("category")


@pytest.fixture
def log(agent, programme, budget):
    def _log(**overrides) -> Gesture:
        return log_gesture(
            agent=overrides.pop("agent", agent), **gesture_input(**overrides)
        ).gesture

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
    gesture = log_gesture(agent=agent, **gesture_input(cost="0")).gesture
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
    allowance_override(
        agent, programme, amount="300.00", reason="Covering the Christmas rush", actor=manager
    )
    assert log(cost="25.00", customer_ref="TCK-9").status == GestureStatus.APPROVED


def test_over_the_team_budget_waits_over_budget_with_nothing_committed(agent, team, programme):
    small = allocated_budget(team, programme, amount="30.00")
    gesture = log_gesture(agent=agent, **gesture_input(cost="40.00")).gesture
    assert gesture.status == GestureStatus.PENDING
    assert gesture.over_budget and gesture.flags == ["over_budget"]
    assert gesture.committed_amount == 0
    assert gesture.policy_snapshot["reasons"] == ["over_team_budget"]
    assert _money(small) == (0, 0, Decimal("30.00"))


def test_without_a_budget_a_paid_gesture_waits_over_budget(agent, programme):
    gesture = log_gesture(agent=agent, **gesture_input(cost="5.00")).gesture
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
    gesture = log_gesture(agent=agent, **gesture_input(cost="120.00")).gesture
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
    gesture = record_gesture_outcome(
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
        record_gesture_outcome(gesture=log(), actor=agent, outcome="", outcome_rating="ecstatic")


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


# Sharpened against the mutation run of programs/services/gestures.py (scripts/mutation).


def test_an_automatic_approval_is_logged_whole_and_recorded(log, agent, team, programme, budget):
    before = timezone.now()
    gesture = log(cost="10.00")

    gesture.refresh_from_db()
    assert (gesture.agent, gesture.team, gesture.budget, gesture.programme) == (
        agent,
        team,
        budget,
        programme,
    )
    assert (gesture.category.slug, gesture.channel, gesture.currency) == ("gift", "phone", "GBP")
    assert (gesture.cost, gesture.committed_amount, gesture.over_budget) == (
        Decimal("10.00"),
        0,
        False,
    )
    assert before <= gesture.decided_at <= timezone.now()
    assert gesture.policy_snapshot == {
        **programme.policy(),
        "agent_allowance_effective": "200.00",
        "allowance_remaining_before": "200.00",
        "team_available_before": "1000.00",
        "customer_spent_today_before": "0.00",
        "needs_second_tier": False,
        "decision": "approved",
        "reasons": [],
    }
    entry = AuditEntry.objects.get(action="gesture.logged")
    assert (entry.actor, entry.subject_id) == (agent, str(gesture.pk))
    assert entry.data == {
        "status": "approved",
        "cost": "10.00",
        "team": team.pk,
        "budget": budget.pk,
        "committed": "0.00",
        "flags": [],
        "reasons": [],
        "keep_private": False,
    }


def test_a_waiting_gesture_is_recorded_with_its_commitment_and_reasons(log, team, budget):
    gesture = log(cost="60.00")

    gesture.refresh_from_db()
    assert gesture.decided_at is None
    assert gesture.policy_snapshot["decision"] == "pending"
    assert AuditEntry.objects.get(action="gesture.logged").data == {
        "status": "pending",
        "cost": "60.00",
        "team": team.pk,
        "budget": budget.pk,
        "committed": "60.00",
        "flags": [],
        "reasons": ["over_gesture_limit"],
        "keep_private": False,
    }


def test_without_a_budget_the_record_says_so(agent, team, programme):
    gesture = log_gesture(agent=agent, **gesture_input(cost="5.00")).gesture

    assert gesture.policy_snapshot["team_available_before"] is None
    assert gesture.policy_snapshot["reasons"] == ["over_team_budget"]
    assert AuditEntry.objects.get(action="gesture.logged").data == {
        "status": "pending",
        "cost": "5.00",
        "team": team.pk,
        "budget": None,
        "committed": "0.00",
        "flags": ["over_budget"],
        "reasons": ["over_team_budget"],
        "keep_private": False,
    }


@pytest.mark.parametrize(("threshold", "needs_second_tier"), [("60.00", False), ("59.99", True)])
def test_the_snapshot_says_whether_finance_must_approve_too(
    log, programme, budget, threshold, needs_second_tier
):
    programme.second_tier_threshold = Decimal(threshold)
    programme.save()

    assert log(cost="60.00").policy_snapshot["needs_second_tier"] is needs_second_tier


def test_a_gesture_using_exactly_the_rest_of_the_allowance_is_approved(log, budget):
    for n in range(4):
        log(cost="45.00", customer_ref=f"TCK-{n}")

    gesture = log(cost="20.00", customer_ref="TCK-9")

    assert gesture.status == GestureStatus.APPROVED


def test_a_gesture_using_exactly_what_the_team_has_left_is_approved(agent, team, programme):
    small = allocated_budget(team, programme, amount="30.00")

    gesture = log_gesture(agent=agent, **gesture_input(cost="30.00")).gesture

    assert gesture.status == GestureStatus.APPROVED
    assert _money(small) == (0, Decimal("30.00"), 0)


def test_a_waiting_gesture_costing_exactly_what_the_team_has_left_is_committed(
    agent, team, programme
):
    small = allocated_budget(team, programme, amount="60.00")

    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture

    assert (gesture.status, gesture.over_budget) == (GestureStatus.PENDING, False)
    assert gesture.committed_amount == Decimal("60.00")
    assert _money(small) == (Decimal("60.00"), 0, 0)


def test_a_customer_may_receive_exactly_the_daily_limit(log, budget):
    log(cost="50.00", customer_ref="CRM-77")

    assert log(cost="50.00", customer_ref="CRM-77", action="More").status == "approved"


def test_the_same_cost_for_another_customer_is_no_duplicate(log, budget):
    log(cost="12.00", customer_ref="CRM-1")

    assert not log(cost="12.00", customer_ref="CRM-2").possible_duplicate


def test_a_waiting_gesture_asks_its_manager_and_an_approved_one_may_be_sampled(
    log, programme, budget, manager
):
    from programs.empowerment.models import ApprovalRequest, GestureReview

    programme.review_sample_percent = 100
    programme.save()

    waiting = log(cost="60.00")
    approved = log(cost="10.00", customer_ref="TCK-2")

    assert ApprovalRequest.objects.get().gesture == waiting
    assert GestureReview.objects.get().gesture == approved


def test_logging_against_a_programme_that_has_ended_is_a_conflict(agent, programme, budget):
    programme.is_active = False
    programme.save()

    with pytest.raises(Conflict) as error:
        log_gesture(agent=agent, programme=programme, **gesture_input())

    assert error.value.message == (
        "There is no active empowerment programme to log gestures against."
    )
    assert not Gesture.objects.exists()


def test_an_agent_in_two_teams_logs_for_the_one_named(agent, programme, budget, team):
    south = TeamFactory(name="Care South")
    place(agent, south, TeamRole.AGENT)

    assert log_gesture(agent=agent, team=south, **gesture_input()).gesture.team == south


def test_a_team_the_agent_only_manages_is_not_theirs_to_log_for(agent, programme, budget):
    south = TeamFactory(name="Care South")
    place(agent, south, TeamRole.MANAGER)

    assert log_gesture(agent=agent, **gesture_input()).gesture.team.name == "Care North"
    with pytest.raises(InvalidInput) as error:
        log_gesture(agent=agent, team=south, **gesture_input())
    assert error.value.field_errors == {"team": ["You are not an agent in that team."]}


def test_an_agent_in_two_teams_is_told_to_choose(agent, programme, budget):
    place(agent, TeamFactory(name="Care South"), TeamRole.AGENT)

    with pytest.raises(InvalidInput) as error:
        log_gesture(agent=agent, **gesture_input())

    assert error.value.field_errors == {"team": ["You work in several teams: choose one."]}


@pytest.mark.parametrize("passed_as", ["object", "slug"])
def test_a_retired_category_is_refused(log, category, budget, passed_as):
    category.is_active = False
    category.save()

    with pytest.raises(InvalidInput) as error:
        log(category=category if passed_as == "object" else "gift")

    assert error.value.field_errors == {"category": ["Choose one of the listed categories."]}


def test_a_category_may_be_given_as_itself(log, category, budget):
    assert log(category=category).category == category


def test_a_slug_outside_plain_ascii_is_no_category(log, budget):
    from tests.factories import CategoryFactory

    CategoryFactory(name="Café", slug="café")

    with pytest.raises(InvalidInput) as error:
        log(category="café")

    assert "category" in error.value.field_errors


def test_withdrawing_records_what_was_released_and_when(log, agent, budget):
    gesture = log(cost="60.00")
    before = timezone.now()

    withdrawn = withdraw_gesture(gesture=gesture, actor=agent)

    withdrawn.refresh_from_db()
    assert (withdrawn.status, withdrawn.committed_amount) == ("withdrawn", 0)
    assert before <= withdrawn.decided_at <= timezone.now()
    entry = AuditEntry.objects.get(action="gesture.withdrawn")
    assert (entry.actor, entry.subject_id) == (agent, str(gesture.pk))
    assert entry.data == {"released": "60.00", "budget": budget.pk}


def test_withdrawing_an_over_budget_gesture_releases_nothing(agent, team, programme):
    small = allocated_budget(team, programme, amount="30.00")
    gesture = log_gesture(agent=agent, **gesture_input(cost="40.00")).gesture

    withdraw_gesture(gesture=gesture, actor=agent)

    assert _money(small) == (0, 0, Decimal("30.00"))
    assert AuditEntry.objects.get(action="gesture.withdrawn").data == {
        "released": "0.00",
        "budget": small.pk,
    }


def test_withdrawing_a_gesture_logged_without_a_budget(agent, programme):
    gesture = log_gesture(agent=agent, **gesture_input(cost="5.00")).gesture

    assert withdraw_gesture(gesture=gesture, actor=agent).status == "withdrawn"
    assert AuditEntry.objects.get(action="gesture.withdrawn").data == {
        "released": "0.00",
        "budget": None,
    }


def test_an_approved_gesture_cannot_be_withdrawn_and_says_why(log, agent, budget):
    with pytest.raises(Conflict) as error:
        withdraw_gesture(gesture=log(cost="5.00"), actor=agent)

    assert error.value.message == "Only a pending gesture can be withdrawn; this one is approved."


def test_an_outcome_is_kept_with_what_it_replaced(log, agent, budget):
    gesture = log()
    record_gesture_outcome(
        gesture=gesture, actor=agent, outcome="Pleased.", outcome_rating="satisfied"
    )

    record_gesture_outcome(
        gesture=gesture, actor=agent, outcome="Wrote to thank us.", outcome_rating="delighted"
    )

    gesture.refresh_from_db()
    assert (gesture.outcome, gesture.outcome_rating) == ("Wrote to thank us.", "delighted")
    entry = AuditEntry.objects.filter(action="gesture.outcome_recorded").order_by("-seq").first()
    assert (entry.actor, entry.subject_id) == (agent, str(gesture.pk))
    assert entry.data == {
        "before": {"outcome": "Pleased.", "outcome_rating": "satisfied"},
        "after": {"outcome": "Wrote to thank us.", "outcome_rating": "delighted"},
    }


def test_only_the_agent_records_the_outcome(log, manager, budget):
    gesture = log()

    with pytest.raises(NotPermitted):
        record_gesture_outcome(gesture=gesture, actor=manager, outcome="", outcome_rating="neutral")

    assert not AuditEntry.objects.filter(action="gesture.outcome_recorded").exists()


def test_an_unknown_rating_says_which_ones_there_are(log, agent, budget):
    with pytest.raises(InvalidInput) as error:
        record_gesture_outcome(gesture=log(), actor=agent, outcome="", outcome_rating="ecstatic")

    assert error.value.field_errors == {
        "outcome_rating": ["Choose delighted, satisfied, neutral or unhappy."]
    }


def test_a_gesture_logged_without_a_name_or_outcome_keeps_them_empty(log, budget):
    gesture = log()

    gesture.refresh_from_db()
    assert (gesture.customer_name, gesture.outcome) == ("", "")


def test_the_action_may_run_over_several_lines_up_to_2000_characters(log, budget):
    assert log(action="Called her.\nSent flowers.").action == "Called her.\nSent flowers."
    assert len(log(action="x" * 2000, customer_ref="TCK-2").action) == 2000
    with pytest.raises(InvalidInput) as error:
        log(action="x" * 2001, customer_ref="TCK-3")
    assert list(error.value.field_errors) == ["action"]


def test_an_outcome_too_long_is_refused_beside_the_outcome(log, budget):
    assert len(log(outcome="x" * 2000).outcome) == 2000
    with pytest.raises(InvalidInput) as error:
        log(outcome="x" * 2001, customer_ref="TCK-2")
    assert list(error.value.field_errors) == ["outcome"]


def test_an_unknown_channel_is_named(log, budget):
    with pytest.raises(InvalidInput) as error:
        log(channel="carrier-pigeon")

    assert error.value.message == "Unknown channel."
    assert error.value.field_errors == {"channel": ["Choose a channel."]}


def test_an_unknown_category_is_named(log, budget):
    with pytest.raises(InvalidInput) as error:
        log(category="no-such-category")

    assert error.value.message == "Unknown category."


def test_team_choices_say_what_is_wrong(agent, manager, programme, budget):
    with pytest.raises(NotPermitted) as not_an_agent:
        log_gesture(agent=manager, **gesture_input())
    south = TeamFactory(name="Care South")
    with pytest.raises(InvalidInput) as not_theirs:
        log_gesture(agent=agent, team=south, **gesture_input())
    place(agent, south, TeamRole.AGENT)
    with pytest.raises(InvalidInput) as several:
        log_gesture(agent=agent, **gesture_input())

    assert not_an_agent.value.message == "Only agents in a team can log gestures."
    assert not_theirs.value.message == "Not your team."
    assert several.value.message == "Choose a team."


def test_an_earlier_programmes_gestures_do_not_count_towards_a_customers_day(
    agent, programme, budget
):
    from tests.factories import ProgrammeFactory

    programme.is_active = False
    programme.save()
    winter = ProgrammeFactory(name="Winter Warmers")
    log_gesture(agent=agent, **gesture_input(cost="90.00", customer_ref="C-7"))
    winter.is_active = False
    winter.save()
    programme.is_active = True
    programme.save()

    gesture = log_gesture(agent=agent, **gesture_input(cost="50.00", customer_ref="C-7")).gesture

    assert gesture.status == GestureStatus.APPROVED


def test_a_gesture_takes_its_programmes_currency(agent, team, programme):
    programme.currency = "EUR"
    programme.save()
    allocated_budget(team, programme)

    gesture = log_gesture(agent=agent, **gesture_input()).gesture

    gesture.refresh_from_db()
    assert gesture.currency == "EUR"


def test_a_one_pound_gesture_beyond_the_team_budget_waits(agent, team, programme):
    allocated_budget(team, programme, amount="0.50")

    gesture = log_gesture(agent=agent, **gesture_input(cost="1.00")).gesture

    assert (gesture.status, gesture.over_budget) == (GestureStatus.PENDING, True)


def test_a_free_gesture_for_a_customer_past_the_daily_limit_is_approved_without_reasons(
    log, budget
):
    log(cost="50.00", customer_ref="CRM-9")
    log(cost="60.00", customer_ref="CRM-9", action="Flowers as well.")

    gesture = log(cost="0.00", customer_ref="CRM-9", action="A call back.")

    assert gesture.status == GestureStatus.APPROVED
    assert gesture.policy_snapshot["customer_spent_today_before"] == "110.00"
    assert gesture.policy_snapshot["reasons"] == []


def test_withdrawing_cancels_the_step_and_tells_the_manager_who_withdrew_it(
    log, agent, manager, budget
):
    from programs.empowerment.models import ApprovalRequest
    from programs.notifications.models import Notification

    gesture = log(cost="60.00")

    withdraw_gesture(gesture=gesture, actor=agent)

    step = ApprovalRequest.objects.get(gesture=gesture)
    assert step.status == "cancelled"
    ask = Notification.objects.get(kind="approval_requested", recipient=manager)
    assert ask.resolution == "Withdrawn by Aisha Agent"


def test_only_the_agent_withdraws_and_is_told_so(log, manager, budget):
    with pytest.raises(NotPermitted) as error:
        withdraw_gesture(gesture=log(cost="60.00"), actor=manager)

    assert error.value.message == "Only the agent who logged a gesture may withdraw it."


def test_every_wrong_field_is_named_in_one_answer(agent, budget):
    """One cleaner checks all that was entered, so an agent (or a script) fixes everything at
    once instead of one refusal at a time; the headline is the first refusal's own."""
    with pytest.raises(InvalidInput) as error:
        log_gesture(
            agent=agent,
            **gesture_input(
                cost="-5",
                customer_ref="",
                situation="x" * 2001,
                channel="carrier-pigeon",
                category="no-such-thing",
            ),
        )
    assert set(error.value.field_errors) == {
        "cost",
        "customer_ref",
        "situation",
        "channel",
        "category",
    }
    assert error.value.field_errors["channel"] == ["Choose a channel."]
    assert error.value.field_errors["category"] == ["Choose one of the listed categories."]
    assert error.value.message == error.value.field_errors["cost"][0]
    assert not Gesture.objects.exists()


@pytest.mark.parametrize(
    ("cost", "status"), [("10.00", GestureStatus.APPROVED), ("60.00", GestureStatus.PENDING)]
)
def test_logging_returns_the_allowance_that_decided_it_and_what_is_left(
    agent, programme, budget, cost, status
):
    log_gesture(agent=agent, **gesture_input(cost="30.00", customer_ref="TCK-EARLIER"))
    before = allowance_summary(programme=programme, agent_id=agent.pk, day=timezone.localdate())

    logged = log_gesture(agent=agent, **gesture_input(cost=cost))

    assert logged.gesture.status == status
    assert logged.allowance == before
    assert str(before.remaining) == logged.gesture.policy_snapshot["allowance_remaining_before"]
    # What the agent is told is left is what their pages show from now on.
    assert logged.allowance_after == allowance_summary(
        programme=programme, agent_id=agent.pk, day=timezone.localdate()
    )
    assert logged.allowance_after.used == before.used + Decimal(cost)


def test_a_story_kept_private_is_recorded_as_such(agent, budget, category):
    gesture = log_gesture(agent=agent, keep_private=True, **gesture_input()).gesture
    assert gesture.keep_private is True
    assert AuditEntry.objects.get(action="gesture.logged").data["keep_private"] is True
