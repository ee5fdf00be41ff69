from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import TeamRole
from programs.empowerment.models import Budget, Gesture, GestureStatus
from tests.factories import UserFactory, place


def detail(gesture) -> str:
    return reverse("empowerment:gesture-detail", args=[gesture.pk])


def withdraw(gesture) -> str:
    return reverse("empowerment:gesture-withdraw", args=[gesture.pk])


def outcome(gesture) -> str:
    return reverse("empowerment:gesture-outcome", args=[gesture.pk])


def test_the_agent_reads_the_story_and_the_policy_that_decided_it(client, agent, logged):
    gesture = logged(agent, cost="60.00")
    client.force_login(agent)

    html = client.get(detail(gesture)).content.decode()

    assert "arrived broken" in html
    assert "Sent a replacement by courier" in html
    assert "Waiting for the manager: over the £50.00 gesture limit." in html
    assert "Gestures up to £50.00 were approved without asking." in html
    assert "allowance for the period was £200.00, with £200.00 left before this gesture" in html
    assert "The team budget had £1,000.00 available." in html


def test_a_declined_gesture_shows_why(client, agent, logged):
    gesture = logged(agent, cost="60.00")
    Gesture.objects.filter(pk=gesture.pk).update(
        status=GestureStatus.DECLINED,
        committed_amount=0,
        decision_reason="Please offer a <em>voucher</em> instead.",
    )
    client.force_login(agent)

    html = client.get(detail(gesture)).content.decode()

    assert "Why it was declined:</strong> Please offer a &lt;em&gt;voucher&lt;/em&gt;" in html


def test_the_policy_shown_is_the_one_that_decided_it_not_todays(client, agent, logged, programme):
    gesture = logged(agent, cost="60.00")
    programme.gesture_limit = Decimal("75.00")
    programme.save()
    client.force_login(agent)

    html = client.get(detail(gesture)).content.decode()

    assert "over the £50.00 gesture limit" in html
    assert "£75.00" not in html


def test_an_agent_gets_404_for_another_agents_gesture(client, agent, team, logged):
    colleague = place(UserFactory(), team, TeamRole.AGENT)
    theirs = logged(colleague)
    client.force_login(agent)

    assert client.get(detail(theirs)).status_code == 404
    assert client.post(withdraw(theirs)).status_code == 404
    assert client.post(outcome(theirs), {"outcome_rating": "delighted"}).status_code == 404


def test_a_manager_sees_their_teams_gesture_but_gets_404_for_another_teams(
    client, agent, manager, other_manager, logged
):
    gesture = logged(agent)

    client.force_login(manager)
    assert client.get(detail(gesture)).status_code == 200
    client.force_login(other_manager)
    assert client.get(detail(gesture)).status_code == 404


def test_finance_can_read_any_gesture(client, agent, finance_user, logged):
    client.force_login(finance_user)

    assert client.get(detail(logged(agent))).status_code == 200


@pytest.mark.parametrize(
    ("person", "page"),
    [("agent", "detail"), ("agent", "mine"), ("manager", "detail"), ("manager", "team")],
)
def test_user_text_is_escaped(client, request, agent, logged, person, page):
    gesture = logged(
        agent,
        situation="<script>alert(1)</script>",
        customer_ref="<b>TCK</b>",
        customer_name="<img src=x onerror=alert(2)>",
    )
    url = {
        "detail": detail(gesture),
        "mine": reverse("empowerment:my-gestures"),
        "team": reverse("empowerment:team-detail", args=[gesture.team_id]),
    }[page]
    client.force_login(request.getfixturevalue(person))

    html = client.get(url).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "<b>TCK</b>" not in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;TCK&lt;/b&gt;" in html
    if page == "detail":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_agent_withdraws_a_waiting_gesture_and_the_commitment_is_released(
    client, agent, logged, budget
):
    gesture = logged(agent, cost="60.00")
    assert Budget.objects.get(pk=budget.pk).committed == Decimal("60.00")
    client.force_login(agent)

    response = client.post(withdraw(gesture), follow=True)

    assert response.redirect_chain == [(detail(gesture), 302)]
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.WITHDRAWN
    assert Budget.objects.get(pk=budget.pk).committed == Decimal("0.00")
    html = response.content.decode()
    assert "Withdrawn — it no longer counts" in html
    assert ">Withdraw</button>" not in html


def test_withdrawing_with_htmx_swaps_only_the_status_panel(client, agent, logged):
    gesture = logged(agent, cost="60.00")
    client.force_login(agent)

    response = client.post(withdraw(gesture), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="gesture-status"')
    assert "<html" not in html
    assert "Withdrawn — it no longer counts" in html
    assert 'class="badge badge--withdrawn"' in html
    # The notice travelled with the panel, so it must not wait to reappear on the next page.
    assert "Withdrawn — it no longer counts" not in client.get(detail(gesture)).content.decode()


def test_an_approved_gesture_cannot_be_withdrawn(client, agent, logged):
    gesture = logged(agent, cost="10.00")
    client.force_login(agent)

    assert ">Withdraw</button>" not in client.get(detail(gesture)).content.decode()
    response = client.post(withdraw(gesture), follow=True)

    assert "Only a pending gesture can be withdrawn" in response.content.decode()
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.APPROVED


def test_a_manager_cannot_withdraw_an_agents_gesture(client, agent, manager, logged):
    gesture = logged(agent, cost="60.00")
    client.force_login(manager)

    assert ">Withdraw</button>" not in client.get(detail(gesture)).content.decode()
    assert client.post(withdraw(gesture)).status_code == 403
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.PENDING


def test_withdraw_needs_a_post(client, agent, logged):
    gesture = logged(agent, cost="60.00")
    client.force_login(agent)

    assert client.get(withdraw(gesture)).status_code == 405


def test_the_agent_records_how_it_turned_out(client, agent, logged):
    gesture = logged(agent)
    client.force_login(agent)

    response = client.post(
        outcome(gesture),
        {"outcome_rating": "delighted", "outcome": "She rang back in tears, happy ones."},
        follow=True,
    )

    assert response.redirect_chain == [(detail(gesture), 302)]
    gesture.refresh_from_db()
    assert gesture.outcome_rating == "delighted"
    assert "She rang back in tears, happy ones." in response.content.decode()


def test_an_outcome_without_a_rating_is_refused_beside_the_field(client, agent, logged):
    gesture = logged(agent)
    client.force_login(agent)

    response = client.post(outcome(gesture), {"outcome_rating": "", "outcome": "Kept typing"})

    html = response.content.decode()
    assert "This field is required." in html.split('id="id_outcome_rating_error"')[1]
    assert "Kept typing</textarea>" in html
    gesture.refresh_from_db()
    assert gesture.outcome_rating == ""


def test_only_the_agent_records_an_outcome(client, agent, manager, logged):
    gesture = logged(agent)
    client.force_login(manager)

    assert "Save the outcome" not in client.get(detail(gesture)).content.decode()
    assert client.post(outcome(gesture), {"outcome_rating": "delighted"}).status_code == 403


def test_an_unknown_gesture_is_404(client, agent):
    client.force_login(agent)

    assert client.get(reverse("empowerment:gesture-detail", args=[999999])).status_code == 404
