from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from accounts.models import TeamRole, User
from portal.errors import Conflict, InvalidInput, NotPermitted
from portal.formatting import day_label
from programs.audit.models import AuditEntry
from programs.audit.trail import verify_chain
from programs.empowerment.models import (
    ApprovalRequest,
    Budget,
    BudgetRequest,
    DecisionOutcome,
    GestureReview,
    GestureStatus,
)
from programs.empowerment.selectors.approvals import decidable_by
from programs.empowerment.services.approval_asks import announce_step
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.services.delegations import (
    apply_started_delegations,
    deactivate_person,
    delegate_approvals,
)
from programs.empowerment.services.escalations import escalate_overdue, reassign_from
from programs.empowerment.services.gestures import log_gesture, withdraw_gesture
from programs.empowerment.services.reviews import complete_review
from programs.notifications.models import Notification
from tests.factories import TeamFactory, UserFactory, allocated_budget, gesture_input, grant, place

pytestmark = pytest.mark.usefixtures("category")
TODAY = timezone.localdate


@pytest.fixture
def deputy(other_team):
    """Another manager, of Care South, who covers for Care North's manager."""
    return place(UserFactory(name="Dev Deputy"), other_team, TeamRole.MANAGER)


def _money(budget: Budget):
    budget.refresh_from_db()
    return budget.committed, budget.spent


def test_a_waiting_gesture_opens_a_step_for_its_teams_manager(step, manager, team):
    assert (step.level, step.team, step.assignee, step.amount) == (
        1,
        team,
        manager,
        Decimal("60.00"),
    )
    assert step.due_at > timezone.now() + timedelta(hours=23)


def test_approval_turns_the_commitment_into_spend(step, manager, waiting, budget):
    decision = decide_approval(request=step, actor=manager, approve=True, comment="Lovely idea")
    waiting.refresh_from_db()
    assert decision.step.status == "approved" and decision.step.decided_by == manager
    assert decision.outcome == DecisionOutcome.GESTURE_APPROVED
    assert waiting.status == GestureStatus.APPROVED and waiting.decision_reason == "Lovely idea"
    assert _money(budget) == (0, Decimal("60.00"))


def test_decline_releases_the_commitment_and_keeps_the_reason(step, manager, waiting, budget):
    decide_approval(
        request=step, actor=manager, approve=False, comment="Please try a call-back first"
    )
    waiting.refresh_from_db()
    assert waiting.status == GestureStatus.DECLINED
    assert waiting.decision_reason == "Please try a call-back first"
    assert _money(budget) == (0, 0)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decline_needs_a_reason(step, manager, reason):
    with pytest.raises(InvalidInput) as error:
        decide_approval(request=step, actor=manager, approve=False, comment=reason)
    assert "reason" in error.value.field_errors
    step.refresh_from_db()
    assert step.status == "pending"


def test_a_decided_request_cannot_be_decided_again(step, manager):
    decide_approval(request=step, actor=manager, approve=True)
    with pytest.raises(Conflict):
        decide_approval(request=step, actor=manager, approve=False, comment="Changed my mind")


# The permission matrix: who may decide a Care North manager step.


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("agent", False),
        ("manager", True),
        ("other_manager", False),
        ("finance_user", False),
        ("admin_user", False),
        ("organiser", False),
    ],
)
def test_who_may_decide_a_manager_step(request, step, who, allowed):
    person = request.getfixturevalue(who)
    assert (step in decidable_by(person)) is allowed
    if allowed:
        decide_approval(request=step, actor=person, approve=True)
    else:
        with pytest.raises(NotPermitted):
            decide_approval(request=step, actor=person, approve=True)


def test_a_delegate_decides_inside_the_dates_and_the_audit_names_both(step, manager, deputy):
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=TODAY(), ends_on=TODAY())
    assert step in decidable_by(deputy)
    decide_approval(request=step, actor=deputy, approve=True)
    entry = AuditEntry.objects.get(action="approval.approved")
    assert entry.actor == deputy and entry.on_behalf_of == manager


def test_a_delegate_outside_the_dates_cannot_decide(step, manager, deputy):
    tomorrow = TODAY() + timedelta(days=1)
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=tomorrow, ends_on=tomorrow)
    assert step not in decidable_by(deputy)
    with pytest.raises(NotPermitted):
        decide_approval(request=step, actor=deputy, approve=True)
    assert step in decidable_by(deputy, day=tomorrow)


def test_starting_a_delegation_visibly_reassigns_open_requests(step, manager, deputy):
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=TODAY(), ends_on=TODAY())
    step.refresh_from_db()
    assert step.assignee == deputy
    assert "is away until" in step.note and "Reassigned from" in step.note
    assert apply_started_delegations() == 0  # idempotent


# Nobody approves their own spend, by any route.


def test_an_agent_cannot_decide_their_own_gesture_even_as_a_delegate(agent, manager, budget, team):
    place(agent, TeamFactory(name="Care East"), TeamRole.MANAGER)  # a manager elsewhere
    delegate_approvals(delegator=manager, delegate=agent, starts_on=TODAY(), ends_on=TODAY())
    gesture = log_gesture(agent=agent, team=team, **gesture_input(cost="60.00")).gesture
    step = ApprovalRequest.objects.get(gesture=gesture)
    assert step.assignee == manager  # not handed to the requester
    assert step not in decidable_by(agent)
    with pytest.raises(NotPermitted):
        decide_approval(request=step, actor=agent, approve=True)


def test_a_managers_top_up_goes_to_finance_not_to_themselves(budget, manager, finance_user):
    topup = request_topup(budget=budget, amount="500.00", reason="Storm week", actor=manager)
    step = ApprovalRequest.objects.get(budget_request=topup)
    assert step.level == 2
    assert step not in decidable_by(manager)
    with pytest.raises(NotPermitted):
        decide_approval(request=step, actor=manager, approve=True)
    decide_approval(request=step, actor=finance_user, approve=True)
    budget.refresh_from_db()
    assert budget.amount == Decimal("1500.00")
    assert BudgetRequest.objects.get().status == "approved"


def test_finance_cannot_approve_their_own_top_up(budget, manager, finance_user):
    place(finance_user, budget.team, TeamRole.MANAGER)
    topup = request_topup(budget=budget, amount="50.00", reason="Cover", actor=finance_user)
    step = ApprovalRequest.objects.get(budget_request=topup)
    assert step not in decidable_by(finance_user)
    with pytest.raises(NotPermitted):
        decide_approval(request=step, actor=finance_user, approve=True)


# Money: second tier, over budget.


def test_above_the_second_tier_finance_approves_after_the_manager(
    agent, manager, finance_user, team, programme
):
    budget = allocated_budget(team, programme, amount="1000.00")
    programme.second_tier_threshold = Decimal("55.00")
    programme.save()
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    first = ApprovalRequest.objects.get(gesture=gesture)
    decide_approval(request=first, actor=manager, approve=True)
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.PENDING
    second = ApprovalRequest.objects.get(gesture=gesture, status="pending")
    assert second.level == 2 and second in decidable_by(finance_user)
    assert second not in decidable_by(manager)
    decide_approval(request=second, actor=finance_user, approve=True)
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.APPROVED
    assert _money(budget) == (0, Decimal("60.00"))


def test_an_over_budget_gesture_waits_for_a_top_up(agent, manager, finance_user, team, programme):
    budget = allocated_budget(team, programme, amount="40.00")
    gesture = log_gesture(agent=agent, **gesture_input(cost="45.00")).gesture
    step = ApprovalRequest.objects.get(gesture=gesture)
    with pytest.raises(Conflict) as error:
        decide_approval(request=step, actor=manager, approve=True)
    assert error.value.message.startswith(
        "Care North's budget has £40.00 available (£40.00 allocated, £0.00 committed, "
        "£0.00 spent), which cannot cover £45.00."
    )
    topup = request_topup(budget=budget, amount="10.00", reason="Room for one", actor=manager)
    decide_approval(
        request=ApprovalRequest.objects.get(budget_request=topup), actor=finance_user, approve=True
    )
    decide_approval(request=step, actor=manager, approve=True)
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.APPROVED
    assert _money(budget) == (0, Decimal("45.00"))


def test_withdrawing_cancels_the_open_step(agent, step, waiting):
    withdraw_gesture(gesture=waiting, actor=agent)
    step.refresh_from_db()
    assert step.status == "cancelled"


# Nothing stuck: escalation, deactivation, a team without managers.


def test_an_overdue_step_escalates_to_finance_once(step, finance_user, manager):
    later = timezone.now() + timedelta(hours=25)
    assert escalate_overdue(now=later) == 1
    assert escalate_overdue(now=later) == 0
    step.refresh_from_db()
    assert step.status == "escalated"
    successor = ApprovalRequest.objects.get(gesture=step.gesture, status="pending")
    assert successor.level == 2 and "Escalated" in successor.note
    assert successor in decidable_by(finance_user)
    assert AuditEntry.objects.filter(action="approval.escalated").count() == 1


def test_a_step_not_yet_due_does_not_escalate(step):
    assert escalate_overdue(now=timezone.now() + timedelta(hours=23)) == 0


@pytest.mark.parametrize(
    ("after_due", "escalated"),
    [(timedelta(0), 1), (-timedelta(microseconds=1), 0)],
    ids=["at-the-due-moment-it-escalates", "one-moment-before-it-waits"],
)
def test_escalation_boundary_is_the_due_moment(step, after_due, escalated):
    assert abs(step.due_at - step.created_at - timedelta(hours=24)) < timedelta(seconds=1)
    assert escalate_overdue(now=step.due_at + after_due) == escalated


def test_a_delegation_covers_its_first_and_last_day_only(step, manager, deputy):
    first, last = TODAY() + timedelta(days=1), TODAY() + timedelta(days=3)
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=first, ends_on=last)
    covered = {
        offset: step in decidable_by(deputy, day=TODAY() + timedelta(days=offset))
        for offset in range(5)
    }
    assert covered == {0: False, 1: True, 2: True, 3: True, 4: False}


def test_deactivating_the_approver_reassigns_to_another_manager(step, manager, team, admin_user):
    second = place(UserFactory(name="Zed Second"), team, TeamRole.MANAGER)
    assert deactivate_person(person=manager, actor=admin_user) == 1
    step.refresh_from_db()
    assert step.assignee == second and "no longer works here" in step.note


def test_a_step_that_comes_back_to_a_manager_asks_them_again(step, manager, deputy, admin_user):
    """Maya was asked, delegated to Dev, and Dev left: the step is hers again, and her first
    ask (settled as "Reassigned to Dev Deputy") must not stand in for the new one."""
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=TODAY(), ends_on=TODAY())
    deactivate_person(person=deputy, actor=admin_user)

    step.refresh_from_db()
    assert step.assignee == manager
    asks = Notification.objects.filter(kind="approval_requested", recipient=manager)
    assert asks.count() == 2
    first, again = asks.order_by("pk")
    assert first.resolution.startswith("Reassigned to Dev Deputy")
    assert again.resolved_at is None and again.read_at is None
    assert again.link == reverse("empowerment:approval-detail", args=[step.pk])


def test_announcing_the_same_step_again_adds_nothing(step, manager):
    """A retried job announces the same ask twice: still one notification."""
    announce_step(step)
    announce_step(step)
    assert Notification.objects.filter(kind="approval_requested", recipient=manager).count() == 1


def test_deactivating_the_only_manager_sends_requests_to_finance(
    step, manager, admin_user, finance_user
):
    deactivate_person(person=manager, actor=admin_user)
    step.refresh_from_db()
    assert step.level == 2 and step in decidable_by(finance_user)


def test_a_team_without_a_manager_sends_waiting_gestures_to_finance(agent, budget):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    step = ApprovalRequest.objects.get(gesture=gesture)
    assert step.level == 2 and "no manager" in step.note


# Trust, verified: finance reviews a sample of automatic approvals.


def test_a_configured_share_of_automatic_approvals_is_sampled(
    agent, programme, budget, finance_user
):
    programme.review_sample_percent = 100
    programme.save()
    gesture = log_gesture(agent=agent, **gesture_input(cost="10.00")).gesture
    review = GestureReview.objects.get(gesture=gesture)
    complete_review(review=review, actor=finance_user, concern=True, note="Third gift this week?")
    review.refresh_from_db()
    assert review.status == "concern" and review.reviewed_by == finance_user
    with pytest.raises(Conflict):
        complete_review(review=review, actor=finance_user, concern=False)


def test_no_sampling_at_zero_percent(agent, programme, budget):
    programme.review_sample_percent = 0
    programme.save()
    for n in range(5):
        log_gesture(agent=agent, **gesture_input(cost="1.00", customer_ref=f"T-{n}"))
    assert GestureReview.objects.count() == 0


def test_a_concern_needs_a_note_and_only_finance_reviews(
    agent, programme, budget, finance_user, manager
):
    programme.review_sample_percent = 100
    programme.save()
    review = GestureReview.objects.get(gesture=log_gesture(agent=agent, **gesture_input()).gesture)
    with pytest.raises(InvalidInput):
        complete_review(review=review, actor=finance_user, concern=True, note="")
    with pytest.raises(NotPermitted):
        complete_review(review=review, actor=manager, concern=False)


def test_every_decision_keeps_the_chain_intact(step, manager):
    decide_approval(request=step, actor=manager, approve=True)
    assert verify_chain().ok


def test_a_delegation_cannot_start_in_the_past(manager, deputy):
    with pytest.raises(InvalidInput) as error:
        delegate_approvals(
            delegator=manager,
            delegate=deputy,
            starts_on=TODAY() - timedelta(days=1),
            ends_on=TODAY(),
        )
    assert "starts_on" in error.value.field_errors


def test_cancelling_a_delegation_ends_the_delegates_rights(step, manager, deputy):
    from programs.empowerment.services.delegations import cancel_delegation

    delegation = delegate_approvals(
        delegator=manager, delegate=deputy, starts_on=TODAY(), ends_on=TODAY()
    )
    with pytest.raises(NotPermitted):
        cancel_delegation(delegation=delegation, actor=deputy)
    cancel_delegation(delegation=delegation, actor=manager)
    assert step not in decidable_by(deputy)
    with pytest.raises(Conflict):
        cancel_delegation(delegation=delegation, actor=manager)
    assert AuditEntry.objects.filter(action="delegation.cancelled").count() == 1


# Sharpened against the mutation run of programs/services/approvals.py (scripts/mutation).


def test_withdrawing_closes_the_step_with_the_moment_and_the_reason(agent, step, waiting):
    before = timezone.now()
    withdraw_gesture(gesture=waiting, actor=agent)
    step.refresh_from_db()
    assert step.note == "Withdrawn by the agent."
    assert before <= step.decided_at <= timezone.now()


def test_a_top_up_step_is_due_after_the_programmes_hours(budget, manager, programme):
    before = timezone.now()
    topup = request_topup(budget=budget, amount="50.00", reason="Cover", actor=manager)
    due = ApprovalRequest.objects.get(budget_request=topup).due_at
    hours = timedelta(hours=programme.escalate_after_hours)
    assert before + hours <= due <= timezone.now() + hours


def test_a_declined_top_up_adds_nothing_and_records_when(budget, manager, finance_user):
    topup = request_topup(budget=budget, amount="500.00", reason="Storm week", actor=manager)
    now = timezone.now()
    decide_approval(
        request=ApprovalRequest.objects.get(budget_request=topup),
        actor=finance_user,
        approve=False,
        comment="Not this quarter",
        now=now,
    )
    topup.refresh_from_db()
    budget.refresh_from_db()
    assert (topup.status, topup.decided_at) == ("declined", now)
    assert budget.amount == Decimal("1000.00")


def test_an_approved_top_up_records_when(budget, manager, finance_user):
    topup = request_topup(budget=budget, amount="500.00", reason="Storm week", actor=manager)
    now = timezone.now()
    step = ApprovalRequest.objects.get(budget_request=topup)
    decide_approval(request=step, actor=finance_user, approve=True, now=now)
    topup.refresh_from_db()
    assert (topup.status, topup.decided_at) == ("approved", now)


def test_a_top_up_that_makes_exactly_enough_room_lets_the_gesture_through(
    agent, manager, finance_user, team, programme
):
    budget = allocated_budget(team, programme, amount="40.00")
    gesture = log_gesture(agent=agent, **gesture_input(cost="45.00")).gesture
    topup = request_topup(budget=budget, amount="5.00", reason="Exactly enough", actor=manager)
    decide_approval(
        request=ApprovalRequest.objects.get(budget_request=topup), actor=finance_user, approve=True
    )

    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture), actor=manager, approve=True
    )

    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.APPROVED
    assert _money(budget) == (0, Decimal("45.00"))


def refusal_to_approve(agent: User, manager: User, *, cost: str) -> str:
    """The agent logs a gesture that waits; what the manager is told on approving it."""
    gesture = log_gesture(agent=agent, **gesture_input(cost=cost)).gesture
    with pytest.raises(Conflict) as error:
        decide_approval(
            request=ApprovalRequest.objects.get(gesture=gesture), actor=manager, approve=True
        )
    return error.value.message


def test_approving_beyond_the_budget_says_what_is_there_and_what_to_do(
    agent, manager, team, programme
):
    allocated_budget(team, programme, amount="40.00")

    assert refusal_to_approve(agent, manager, cost="45.00") == (
        "Care North's budget has £40.00 available (£40.00 allocated, £0.00 committed, "
        "£0.00 spent), which cannot cover £45.00. Ask finance for a top-up first."
    )


def test_approving_without_a_budget_says_to_allocate_one(agent, manager, team, programme):
    assert refusal_to_approve(agent, manager, cost="45.00") == (
        "Care North has no budget for this period, so nothing can be approved yet. "
        "Ask finance to allocate one."
    )


def test_escalation_moves_the_step_to_finance_with_its_times_team_and_record(step, team):
    later = step.created_at + timedelta(hours=2000)

    escalate_overdue(now=later)

    step.refresh_from_db()
    successor = ApprovalRequest.objects.get(gesture=step.gesture, status="pending")
    assert step.decided_at == later
    assert step.note == "Not decided within 2000 hours; escalated to finance."
    assert successor.team == team
    assert successor.due_at == later + (step.due_at - step.created_at)
    assert successor.note == ("Escalated: Care North's managers did not decide within 2000 hours.")
    entry = AuditEntry.objects.get(action="approval.escalated")
    assert entry.data == {
        "to": successor.pk,
        "level": 2,
        "overdue_since": DjangoJSONEncoder().default(step.due_at),
    }


def test_escalation_counts_every_step_it_moves(agent, manager, budget):
    for ref in ("TCK-1", "TCK-2"):
        log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref=ref))

    assert escalate_overdue(now=timezone.now() + timedelta(hours=25)) == 2


def test_a_finance_step_never_escalates_further(step):
    later = timezone.now() + timedelta(hours=25)
    escalate_overdue(now=later)

    assert escalate_overdue(now=later + timedelta(days=30)) == 0
    assert ApprovalRequest.objects.filter(gesture=step.gesture, status="pending").count() == 1


def test_reassigning_looks_at_who_is_away_on_the_day_given(step, manager, team, deputy, admin_user):
    second = place(UserFactory(name="Zed Second"), team, TeamRole.MANAGER)
    away_day = TODAY() + timedelta(days=2)
    delegate_approvals(delegator=second, delegate=deputy, starts_on=away_day, ends_on=away_day)

    moved = reassign_from(person=manager, reason="On leave.", day=away_day, actor=admin_user)

    step.refresh_from_db()
    assert moved == 1
    assert step.assignee == deputy
    entry = AuditEntry.objects.filter(action="approval.reassigned").get()
    assert entry.actor == admin_user


def _decision_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-seq").first()


def test_an_approval_records_its_outcome_and_the_budget_before_and_after(
    agent, step, manager, budget
):
    log_gesture(agent=agent, **gesture_input(cost="10.00", customer_ref="TCK-SPENT"))
    now = timezone.now()

    decide_approval(request=step, actor=manager, approve=True, now=now)

    step.gesture.refresh_from_db()
    assert (step.gesture.decided_at, step.gesture.over_budget) == (now, False)
    data = _decision_entry("approval.approved").data
    assert data["outcome"] == "gesture approved"
    assert data["budget"] == {
        "id": budget.pk,
        "before": {"amount": "1000.00", "committed": "60.00", "spent": "10.00"},
        "after": {"amount": "1000.00", "committed": "0.00", "spent": "70.00"},
    }
    told = Notification.objects.get(kind="gesture_decided", recipient=agent)
    assert told.title == "Your gesture for TCK-1001 was approved"


def test_a_decline_records_its_outcome_and_tells_the_agent(agent, step, manager):
    now = timezone.now()

    decide_approval(request=step, actor=manager, approve=False, comment="Too generous", now=now)

    step.gesture.refresh_from_db()
    assert step.gesture.decided_at == now
    assert _decision_entry("approval.declined").data["outcome"] == "gesture declined"
    told = Notification.objects.get(kind="gesture_decided", recipient=agent)
    assert told.title == "Your gesture for TCK-1001 was declined"


@pytest.fixture
def over_budget_above_the_second_tier(agent, manager, finance_user, team, programme):
    """Care North's £100 budget holds one waiting £60 gesture; a second £60 waits over budget
    until a £100 top-up; finance must also approve anything above £55."""
    budget = allocated_budget(team, programme, amount="100.00")
    programme.second_tier_threshold = Decimal("55.00")
    programme.save()
    log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-FIRST"))
    gesture = log_gesture(
        agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-SECOND")
    ).gesture
    topup = request_topup(budget=budget, amount="100.00", reason="Room", actor=manager)
    decide_approval(
        request=ApprovalRequest.objects.get(budget_request=topup), actor=finance_user, approve=True
    )
    return budget, gesture


def test_a_manager_approval_above_the_second_tier_commits_the_money_and_asks_finance(
    over_budget_above_the_second_tier, manager, team
):
    budget, gesture = over_budget_above_the_second_tier
    assert (gesture.committed_amount, gesture.over_budget) == (0, True)
    now = timezone.now()

    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture), actor=manager, approve=True, now=now
    )

    gesture.refresh_from_db()
    assert (gesture.committed_amount, gesture.over_budget) == (Decimal("60.00"), False)
    assert _money(budget) == (Decimal("120.00"), 0)
    finance_step = ApprovalRequest.objects.get(gesture=gesture, status="pending")
    assert (finance_step.level, finance_step.team) == (2, team)
    assert finance_step.due_at == now + timedelta(hours=gesture.programme.escalate_after_hours)
    assert finance_step.note == (
        "Approved by the team's manager; above the £55.00 second-tier threshold, "
        "so finance approves too."
    )
    assert _decision_entry("approval.approved").data["outcome"] == "sent to finance"


def test_a_gesture_costing_exactly_the_second_tier_needs_no_finance(
    agent, manager, team, programme
):
    budget = allocated_budget(team, programme)
    programme.second_tier_threshold = Decimal("60.00")
    programme.save()
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture

    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture), actor=manager, approve=True
    )

    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.APPROVED
    assert _money(budget) == (0, Decimal("60.00"))


def test_a_reassignment_is_recorded_from_whom_to_whom(step, manager, deputy, admin_user):
    reassign_from(person=manager, reason="On leave.", day=TODAY(), actor=admin_user, to=deputy)

    step.refresh_from_db()
    entry = AuditEntry.objects.filter(action="approval.reassigned").get()
    assert entry.data == {"from": manager.pk, "to": deputy.pk, "level": 1, "note": step.note}


def test_a_step_is_never_reassigned_to_the_person_who_asked(step, manager, agent, team):
    second = place(UserFactory(name="Zed Second"), team, TeamRole.MANAGER)

    reassign_from(person=manager, reason="On leave.", day=TODAY(), actor=None, to=agent)

    step.refresh_from_db()
    assert step.assignee == second


def test_the_agent_hears_who_decided_for_whom_and_why(agent, step, manager, deputy):
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=TODAY(), ends_on=TODAY())

    decide_approval(request=step, actor=deputy, approve=False, comment="Too generous")

    told = Notification.objects.get(kind="gesture_decided", recipient=agent)
    assert told.title == "Your gesture for TCK-1001 was declined"
    assert told.context == {
        "verdict": "declined",
        "amount": Decimal("60.00"),
        "currency": "GBP",
        "comment": "Too generous",
        "decided_by": str(deputy),
        "on_behalf_of": str(manager),
    }


@pytest.fixture
def declined_topup(budget, manager, finance_user) -> BudgetRequest:
    """The manager's £500 top-up for Storm week, declined by finance: "Not this quarter"."""
    topup = request_topup(budget=budget, amount="500.00", reason="Storm week", actor=manager)
    decide_approval(
        request=ApprovalRequest.objects.get(budget_request=topup),
        actor=finance_user,
        approve=False,
        comment="Not this quarter",
    )
    return topup


def test_the_manager_hears_the_answer_to_a_top_up(declined_topup, manager, finance_user, team):
    told = Notification.objects.get(kind="topup_decided", recipient=manager)
    assert told.title == "Your top-up request for Care North was declined"
    assert told.link == f"/teams/{team.pk}/"
    assert told.context == {
        "verdict": "declined",
        "amount": Decimal("500.00"),
        "currency": "GBP",
        "comment": "Not this quarter",
        "decided_by": str(finance_user),
        "on_behalf_of": "",
    }


def test_an_approval_without_a_comment_keeps_none(step, manager):
    decide_approval(request=step, actor=manager, approve=True)

    step.refresh_from_db()
    assert step.comment == ""


def test_a_reason_may_run_over_several_lines(step, manager):
    decide_approval(
        request=step, actor=manager, approve=False, comment="Too generous.\nTry a card."
    )

    step.refresh_from_db()
    assert step.comment == "Too generous.\nTry a card."


def test_a_comment_too_long_is_refused_beside_the_comment(step, manager):
    with pytest.raises(InvalidInput) as error:
        decide_approval(request=step, actor=manager, approve=True, comment="x" * 2001)

    assert list(error.value.field_errors) == ["comment"]


def test_a_delegate_decides_on_the_day_the_decision_is_dated(step, manager, deputy):
    tomorrow = TODAY() + timedelta(days=1)
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=tomorrow, ends_on=tomorrow)
    at = timezone.make_aware(datetime.combine(tomorrow, time(12)))

    decide_approval(request=step, actor=deputy, approve=True, now=at)

    step.refresh_from_db()
    assert (step.status, step.on_behalf_of) == ("approved", manager)


# Sharpened against the second mutation run: who is asked, what they are told, what is recorded.


def test_the_manager_is_asked_with_what_it_is_how_much_the_story_and_the_deadline(
    agent, step, manager
):
    asked = Notification.objects.get(kind="approval_requested")
    assert (asked.recipient, asked.subject_type, asked.subject_id) == (
        manager,
        "approvalrequest",
        str(step.pk),
    )
    assert asked.title == "Approval needed: Gift for TCK-1001 (£60.00)"
    assert asked.link == f"/approvals/{step.pk}/"
    assert asked.context == {
        "what": "Gift for TCK-1001",
        "story": "Her order for her father's 80th birthday arrived broken.",
        "amount": Decimal("60.00"),
        "currency": "GBP",
        "requested_by": "Aisha Agent",
        "level": "Team manager",
        "note": "",
        "due_at": step.due_at,
        "escalates": True,
    }


def test_finance_is_asked_about_a_top_up_and_the_manager_who_asked_is_not(
    budget, manager, finance_user
):
    topup = request_topup(budget=budget, amount="500.00", reason="Storm week", actor=manager)
    step = ApprovalRequest.objects.get(budget_request=topup)

    asked = Notification.objects.filter(kind="approval_requested").order_by("pk")
    finance = User.objects.filter(org_roles__role="finance").order_by("pk")
    assert [n.recipient for n in asked] == list(finance)
    assert finance_user in finance and manager not in finance
    told = asked.get(recipient=finance_user)
    assert told.title == "Approval needed: a top-up of Care North's budget (£500.00)"
    assert told.link == f"/approvals/{step.pk}/"
    assert told.context == {
        "what": "a top-up of Care North's budget",
        "story": "Storm week",
        "amount": Decimal("500.00"),
        "currency": "GBP",
        "requested_by": "Maya Manager",
        "level": "Finance",
        "note": "",
        "due_at": step.due_at,
        "escalates": False,
    }


def test_a_decision_is_recorded_with_what_was_decided_at_which_level_for_how_much_and_why(
    step, manager, budget
):
    decide_approval(request=step, actor=manager, approve=True, comment="Lovely idea")

    entry = _decision_entry("approval.approved")
    assert (entry.actor, entry.on_behalf_of, entry.subject_id) == (manager, None, str(step.pk))
    assert entry.data == {
        "kind": "gesture",
        "subject": f"gesture:{step.gesture_id}",
        "level": 1,
        "amount": "60.00",
        "comment": "Lovely idea",
        "outcome": "gesture approved",
        "budget": {
            "id": budget.pk,
            "before": {"amount": "1000.00", "committed": "60.00", "spent": "0.00"},
            "after": {"amount": "1000.00", "committed": "0.00", "spent": "60.00"},
        },
    }


def test_a_declined_top_up_is_recorded_with_its_kind_level_and_reason(declined_topup, budget):
    unchanged = {"amount": "1000.00", "committed": "0.00", "spent": "0.00"}
    assert _decision_entry("approval.declined").data == {
        "kind": "budget_request",
        "subject": f"budget_request:{declined_topup.pk}",
        "level": 2,
        "amount": "500.00",
        "comment": "Not this quarter",
        "outcome": "top-up declined",
        "budget": {"id": budget.pk, "before": unchanged, "after": unchanged},
    }


def test_the_first_active_manager_of_the_team_by_name_is_asked(agent, manager, team, budget):
    place(UserFactory(name="Aaron Agent"), team, TeamRole.AGENT)
    place(UserFactory(name="Abe Elsewhere"), TeamFactory(name="Care East"), TeamRole.MANAGER)
    gone = place(UserFactory(name="Ada Gone"), team, TeamRole.MANAGER)
    deactivate_person(person=gone, actor=grant(UserFactory(), "admin"))
    first_by_name = place(UserFactory(name="Ann Able"), team, TeamRole.MANAGER)

    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture

    step = ApprovalRequest.objects.get(gesture=gesture)
    assert (step.level, step.assignee, step.note) == (1, first_by_name, "")
    asked = Notification.objects.filter(kind="approval_requested", subject_id=str(step.pk))
    assert [n.recipient for n in asked] == [first_by_name]


def test_between_managers_of_the_same_name_the_first_added_is_asked(agent, manager, team, budget):
    place(UserFactory(name="Maya Manager"), team, TeamRole.MANAGER)

    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture

    assert ApprovalRequest.objects.get(gesture=gesture).assignee == manager


def test_a_step_opened_while_the_manager_is_away_goes_to_their_delegate_with_a_note(
    agent, manager, deputy, budget
):
    last = TODAY() + timedelta(days=2)
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=TODAY(), ends_on=last)

    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture

    step = ApprovalRequest.objects.get(gesture=gesture)
    assert step.assignee == deputy
    assert step.note == (
        f"Maya Manager is away until {day_label(last)}; Dev Deputy decides meanwhile."
    )


def test_a_delegate_who_has_left_is_passed_over_for_the_manager(
    agent, manager, deputy, budget, admin_user
):
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=TODAY(), ends_on=TODAY())
    deactivate_person(person=deputy, actor=admin_user)

    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture

    step = ApprovalRequest.objects.get(gesture=gesture)
    assert (step.assignee, step.note) == (manager, "")


def test_a_team_without_a_manager_says_so_in_the_finance_step(agent, budget):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture

    step = ApprovalRequest.objects.get(gesture=gesture)
    assert (step.level, step.assignee) == (2, None)
    assert step.note == "Care North has no manager who can decide it, so it went to finance."


def test_a_requester_since_made_manager_is_never_handed_their_own_step(
    agent, step, manager, team, admin_user
):
    place(agent, team, TeamRole.MANAGER)

    deactivate_person(person=manager, actor=admin_user)

    step.refresh_from_db()
    assert (step.level, step.assignee) == (2, None)
    assert step.note == (
        "Maya Manager no longer works here. No other manager of Care North can decide it: "
        "sent to finance."
    )


def test_a_decline_closes_the_step_declined_by_whom_when_and_why(step, manager):
    now = timezone.now()

    decide_approval(request=step, actor=manager, approve=False, comment="Too generous", now=now)

    step.refresh_from_db()
    assert (step.status, step.decided_by, step.decided_at, step.comment) == (
        "declined",
        manager,
        now,
        "Too generous",
    )


def test_deciding_again_says_what_became_of_the_request(step, manager):
    decide_approval(request=step, actor=manager, approve=True)

    with pytest.raises(Conflict) as error:
        decide_approval(request=step, actor=manager, approve=False, comment="Changed my mind")

    assert error.value.message == "This request has already been approved."


def _asked(step, person) -> Notification:
    return Notification.objects.get(
        kind="approval_requested", subject_id=str(step.pk), recipient=person
    )


def test_the_ask_is_settled_at_the_moment_of_the_decision(step, manager):
    now = timezone.now() - timedelta(minutes=5)

    decide_approval(request=step, actor=manager, approve=True, now=now)

    assert _asked(step, manager).resolved_at == now


def test_the_ask_is_settled_at_the_moment_of_the_escalation(step, manager):
    later = step.created_at + timedelta(hours=30)

    escalate_overdue(now=later)

    assert _asked(step, manager).resolved_at == later


def test_the_ask_is_settled_at_the_moment_of_the_withdrawal(agent, step, waiting, manager):
    withdraw_gesture(gesture=waiting, actor=agent)

    step.refresh_from_db()
    assert _asked(step, manager).resolved_at == step.decided_at


def test_a_manager_who_is_also_finance_is_asked_again_when_their_step_goes_to_finance(
    agent, team, budget, admin_user
):
    both = place(grant(UserFactory(name="Fay Both"), "finance"), team, TeamRole.MANAGER)
    step = ApprovalRequest.objects.get(
        gesture=log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    )
    assert step.assignee == both

    reassign_from(person=both, reason="On leave.", day=TODAY(), actor=admin_user)

    step.refresh_from_db()
    assert (step.level, step.assignee) == (2, None)
    asks = Notification.objects.filter(
        kind="approval_requested", subject_id=str(step.pk), recipient=both
    ).order_by("pk")
    # Still one who may decide it, as finance: the first ask stands, and a second says finance.
    assert [(ask.context["level"], ask.resolved_at) for ask in asks] == [
        ("Team manager", None),
        ("Finance", None),
    ]


@pytest.fixture
def in_euros(programme):
    programme.currency = "EUR"
    programme.save()
    return programme


def test_above_the_second_tier_in_euros_finance_is_asked_and_the_agent_not_yet_told(
    agent, manager, finance_user, team, in_euros
):
    allocated_budget(team, in_euros)
    in_euros.second_tier_threshold = Decimal("55.00")
    in_euros.save()
    first = ApprovalRequest.objects.get(
        gesture=log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    )
    assert _asked(first, manager).title == "Approval needed: Gift for TCK-1001 (€60.00)"

    decide_approval(request=first, actor=manager, approve=True)

    second = ApprovalRequest.objects.get(gesture=first.gesture, status="pending")
    assert second.note == (
        "Approved by the team's manager; above the €55.00 second-tier threshold, "
        "so finance approves too."
    )
    assert _asked(second, finance_user).title == "Approval needed: Gift for TCK-1001 (€60.00)"
    assert not Notification.objects.filter(kind="gesture_decided").exists()


def test_an_approval_beyond_a_budget_in_euros_gives_every_figure_in_euros(
    agent, manager, team, in_euros
):
    allocated_budget(team, in_euros, amount="100.00")
    log_gesture(agent=agent, **gesture_input(cost="30.00", customer_ref="TCK-SPENT"))
    log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-COMMITTED"))
    gesture = log_gesture(
        agent=agent, **gesture_input(cost="45.00", customer_ref="TCK-OVER")
    ).gesture

    with pytest.raises(Conflict) as error:
        decide_approval(
            request=ApprovalRequest.objects.get(gesture=gesture), actor=manager, approve=True
        )

    assert error.value.message == (
        "Care North's budget has €10.00 available (€100.00 allocated, €60.00 committed, "
        "€30.00 spent), which cannot cover €45.00. Ask finance for a top-up first."
    )


def test_another_teams_manager_being_away_changes_nothing_here(
    agent, manager, other_manager, deputy, budget
):
    delegate_approvals(delegator=other_manager, delegate=deputy, starts_on=TODAY(), ends_on=TODAY())

    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture

    step = ApprovalRequest.objects.get(gesture=gesture)
    assert (step.assignee, step.note) == (manager, "")


# What a decision returns: the step and what the decision did, as its audit entry records it.


@pytest.mark.parametrize(
    ("approve", "cost", "outcome"),
    [
        (True, "60.00", DecisionOutcome.GESTURE_APPROVED),
        (False, "60.00", DecisionOutcome.GESTURE_DECLINED),
        (True, "400.00", DecisionOutcome.SENT_TO_FINANCE),
    ],
)
def test_a_gesture_decision_says_what_it_did(agent, manager, team, budget, approve, cost, outcome):
    gesture = log_gesture(agent=agent, team=team, **gesture_input(cost=cost)).gesture
    step = ApprovalRequest.objects.get(gesture=gesture)

    decision = decide_approval(request=step, actor=manager, approve=approve, comment="Because.")

    assert decision.outcome == outcome
    assert decision.step.pk == step.pk
    entry = AuditEntry.objects.filter(action__startswith="approval.").latest("seq")
    assert entry.data["outcome"] == outcome.value


@pytest.mark.parametrize(
    ("approve", "outcome"),
    [(True, DecisionOutcome.TOPUP_APPROVED), (False, DecisionOutcome.TOPUP_DECLINED)],
)
def test_a_top_up_decision_says_what_it_did(manager, finance_user, budget, approve, outcome):
    request_topup(budget=budget, actor=manager, amount=Decimal("100.00"), reason="Storm week.")
    step = ApprovalRequest.objects.get(budget_request__budget=budget)

    decision = decide_approval(request=step, actor=finance_user, approve=approve, comment="Ok.")

    assert decision.outcome == outcome
    assert AuditEntry.objects.latest("seq").data["outcome"] == outcome.value
