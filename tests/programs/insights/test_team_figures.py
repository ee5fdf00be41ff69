"""The agent's and the manager's figures, each against an answer worked out by hand."""

from datetime import date, timedelta
from decimal import Decimal as D

from django.utils import timezone

from accounts.models import Team
from programs.empowerment.models import ApprovalRequest, Budget, GestureReview, Programme
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.services.gestures import log_gesture
from programs.empowerment.services.reviews import complete_review
from programs.insights.selectors import (
    approval_turnaround,
    budget_progress,
    gestures_by_month,
    gestures_by_week,
    money_flow,
    spend_through_period,
    thanks_received,
)
from programs.stories.services import thank_story
from tests.factories import gesture_input


def test_an_agents_months_count_gestures_and_what_was_spent(agent, budget, category):
    today = timezone.localdate()
    log_gesture(agent=agent, **gesture_input(cost="10.00", customer_ref="M1"))
    log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="M2"))  # waiting
    last_month = today.replace(day=1) - timedelta(days=1)
    log_gesture(agent=agent, **gesture_input(cost="0", occurred_on=last_month, customer_ref="M3"))

    months = gestures_by_month(agent.pk, today=today, months=3)

    assert [m.month for m in months][-2:] == [last_month.replace(day=1), today.replace(day=1)]
    assert [(m.gestures, m.spent) for m in months] == [
        (0, D("0.00")),
        (1, D("0.00")),
        (2, D("10.00")),
    ]


def test_months_back_cross_the_new_year(agent):
    months = gestures_by_month(agent.pk, today=date(2027, 2, 14), months=4)
    assert [m.month for m in months] == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]


def test_thanks_received_ever_and_this_period(agent, manager, colleague_reader, budget, category):
    one = log_gesture(agent=agent, **gesture_input(customer_ref="T1")).gesture
    two = log_gesture(agent=agent, **gesture_input(customer_ref="T2")).gesture
    thank_story(story=one, user=manager)
    thank_story(story=one, user=colleague_reader)
    thank_story(story=two, user=manager)
    received = thanks_received(agent.pk, period_start=timezone.localdate().replace(day=1))
    assert (received.total, received.this_period, received.stories) == (3, 3, 2)


def test_weeks_by_category(agent, team, budget, category, flowers):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    log_gesture(agent=agent, **gesture_input(customer_ref="W1", occurred_on=monday))
    log_gesture(agent=agent, **gesture_input(customer_ref="W2", occurred_on=monday))
    log_gesture(
        agent=agent,
        **gesture_input(
            customer_ref="W3", category="flowers", occurred_on=monday - timedelta(days=7)
        ),
    )
    categories, weeks = gestures_by_week(None, today=today, weeks=3)
    assert categories == [("flowers", "Flowers"), ("gift", "Gift")]
    assert [(w.week, w.counts, w.total) for w in weeks] == [
        (monday - timedelta(weeks=2), {}, 0),
        (monday - timedelta(weeks=1), {"flowers": 1}, 1),
        (monday, {"gift": 2}, 2),
    ]


def test_budget_progress_projects_spending_in_a_straight_line(
    agent, team, programme, budget, category
):
    today = date(2026, 12, 10)  # 10 of December's 31 days
    start, _ = programme.period_bounds(today)
    Budget.objects.filter(pk=budget.pk).update(period_start=start, spent=D("100.00"))
    [row] = budget_progress(None, programme=programme, today=today)
    assert (row.amount, row.spent, row.projected) == (D("1000.00"), D("100.00"), D("310.00"))
    assert (row.spent_share, row.projected_share) == (10, 31)


def test_turnaround_median_and_90th_percentile_by_nearest_rank(
    agent, manager, team, budget, category
):
    now = timezone.now()
    hours = [1, 2, 3, 4, 5, 6, 7, 8, 9, 30]
    for n, h in enumerate(hours):
        gesture = log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref=f"H{n}"))
        step = ApprovalRequest.objects.get(gesture=gesture.gesture)
        decide_approval(request=step, actor=manager, approve=False, comment="No.")
        ApprovalRequest.objects.filter(pk=step.pk).update(
            created_at=now - timedelta(hours=h), decided_at=now
        )
    log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="WAIT"))

    figures = approval_turnaround(None, now=now)
    assert figures.decided == 10 and figures.pending == 1
    assert figures.median_hours == 5.0  # the 5th of 10
    assert figures.p90_hours == 9.0  # the 9th of 10
    nothing = approval_turnaround(Team.objects.none(), now=now)
    assert (nothing.decided, nothing.median_hours, nothing.p90_hours) == (0, None, None)


def test_money_flow_counts_topups_at_once_approvals_and_reviews(
    agent, manager, finance_user, team, programme, budget, category
):

    Programme.objects.filter(pk=programme.pk).update(review_sample_percent=100)
    programme.refresh_from_db()
    log_gesture(agent=agent, **gesture_input(cost="10.00", customer_ref="F1"))  # at once
    log_gesture(agent=agent, **gesture_input(cost="0", customer_ref="F2"))  # at once
    waiting = log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="F3")).gesture
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=waiting), actor=manager, approve=True
    )
    granted = request_topup(budget=budget, amount="100.00", reason="Rush", actor=manager)
    decide_approval(
        request=ApprovalRequest.objects.get(budget_request=granted),
        actor=finance_user,
        approve=True,
    )
    request_topup(budget=budget, amount="50.00", reason="More", actor=manager)
    first_review = GestureReview.objects.order_by("pk").first()
    complete_review(review=first_review, actor=finance_user, concern=True, note="Receipt?")

    flow = money_flow(programme=programme, period_start=budget.period_start)
    assert (flow.topups_requested, flow.topups_granted, flow.topups_waiting) == (2, 1, 1)
    assert (flow.amount_requested, flow.amount_granted) == (D("150.00"), D("100.00"))
    assert (flow.approved, flow.approved_at_once, flow.at_once_share) == (3, 2, 67)
    # Only the £10 gesture was sampled (a free one never is), and finance raised a concern.
    assert (flow.reviews_concern, flow.reviews_fine, flow.reviews_to_do) == (1, 0, 0)


def test_spend_through_the_period_runs_day_by_day(agent, team, programme, budget, category):
    today = timezone.localdate()
    start, _ = programme.period_bounds(today)
    log_gesture(agent=agent, **gesture_input(cost="10.00", occurred_on=start, customer_ref="P1"))
    log_gesture(agent=agent, **gesture_input(cost="5.00", occurred_on=today, customer_ref="P2"))
    log_gesture(agent=agent, **gesture_input(cost="60.00", occurred_on=today, customer_ref="P3"))

    days = spend_through_period(None, programme=programme, today=today)

    assert days[0].day == start and days[-1].day == today
    assert len(days) == (today - start).days + 1
    assert (days[0].spent, days[0].spent_so_far) == (D("10.00"), D("10.00"))
    assert (days[-1].spent, days[-1].spent_so_far) == (
        D("5.00") if today != start else D("15.00"),
        D("15.00"),
    )
