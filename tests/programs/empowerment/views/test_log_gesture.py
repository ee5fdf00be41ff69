from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import TeamRole
from programs.empowerment.models import Gesture, GestureStatus
from tests.factories import place
from tests.support.gesture_entry import form_data

LOG = reverse("empowerment:log-gesture")
MINE = reverse("empowerment:my-gestures")


@pytest.fixture
def agent_client(client, agent, programme, category, budget):
    client.force_login(agent)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_small_gesture_is_approved_and_the_agent_hears_what_is_left(agent_client):
    response = agent_client.post(LOG, form_data(cost="10.00"), follow=True)

    assert response.redirect_chain == [(MINE, 302)]
    assert _messages(response) == ["Approved — £10.00 spent, £190.00 of your allowance left."]
    assert Gesture.objects.get().status == GestureStatus.APPROVED


def test_a_gesture_over_the_limit_waits_and_the_agent_hears_why(agent_client):
    response = agent_client.post(LOG, form_data(cost="60.00"), follow=True)

    assert response.redirect_chain == [(MINE, 302)]
    assert _messages(response) == [
        "Waiting for approval from your manager (over the £50.00 gesture limit); "
        "£140.00 of your allowance left."
    ]
    assert Gesture.objects.get().status == GestureStatus.PENDING


def test_every_reason_a_gesture_waits_is_named(agent_client, budget, programme):
    programme.customer_daily_limit = "20.00"
    programme.save()

    response = agent_client.post(LOG, form_data(cost="1200.00"), follow=True)

    message = _messages(response)[0]
    assert message.startswith("Waiting for approval from your manager, then finance (")
    for reason in (
        "over the £50.00 gesture limit",
        "over your allowance",
        "over the team budget",
        "over this customer’s daily limit of £20.00",
    ):
        assert reason in message
    assert message.endswith("so it can be approved only after a top-up.")


def test_a_zero_cost_gesture_is_approved_with_nothing_spent(agent_client):
    response = agent_client.post(LOG, form_data(cost="0"), follow=True)

    assert _messages(response) == ["Approved — nothing spent, £200.00 of your allowance left."]


def test_the_form_starts_with_today_and_shows_the_allowance(agent_client):
    html = agent_client.get(LOG).content.decode()

    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert "£200.00" in html
    assert 'name="team"' not in html


# Named here, dated when the test runs: a run that crosses midnight must not find that
# "tomorrow", reckoned at collection, has become today.
TOMORROW, LONG_AGO = "tomorrow", "400 days ago"


def _dated(typed: str) -> str:
    days = {TOMORROW: 1, LONG_AGO: -400}.get(typed)
    return typed if days is None else (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("cost", "-5", "The amount cannot be negative."),
        ("cost", "abc", "Enter an amount such as 12.50."),
        ("cost", "NaN", "Enter an amount such as 12.50."),
        ("cost", "Infinity", "Enter an amount such as 12.50."),
        ("cost", "1e30", "The amount cannot be more than 9,999,999.99."),
        ("cost", "10.005", "Use at most two decimal places."),
        ("occurred_on", TOMORROW, "The date cannot be in the future."),
        ("occurred_on", LONG_AGO, "Gestures more than a year old cannot be logged."),
        ("occurred_on", "31/02/2026", "Enter a valid date."),
        ("situation", "x" * 3000, "Ensure this value has at most 2000 characters (it has 3000)."),
        ("customer_ref", "", "This field is required."),
        ("category", "no-such-category", "Choose one of the listed categories."),
        ("channel", "carrier-pigeon", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(
    agent_client, field, typed, error
):
    typed = _dated(typed)
    typed_elsewhere = {"customer_name": "Edith Marlow", "action": "Called her back at 6pm."}
    response = agent_client.post(LOG, form_data(**{field: typed}, **typed_elsewhere))

    assert response.status_code == 200
    assert Gesture.objects.count() == 0
    html = response.content.decode()
    # Django gives each field's error list the id the field points at with aria-describedby.
    errors = html.split(f'id="id_{field}_error"', 1)[1].split("</ul>", 1)[0]
    assert error in errors
    assert 'value="Edith Marlow"' in html
    assert "Called her back at 6pm.</textarea>" in html
    if field in {"cost", "occurred_on"}:
        assert f'value="{typed}"' in html
    if field == "situation":
        assert f">\n{typed}</textarea>" in html


def test_what_was_typed_is_escaped_when_shown_again(agent_client):
    response = agent_client.post(
        LOG, form_data(cost="abc", customer_ref='"><script>alert(1)</script>')
    )

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_agent_in_two_teams_chooses_the_team(agent_client, agent, other_team, programme):
    place(agent, other_team, TeamRole.AGENT)

    assert 'name="team"' in agent_client.get(LOG).content.decode()
    response = agent_client.post(LOG, form_data())
    assert "This field is required." in response.content.decode().split('id="id_team_error"')[1]
    assert Gesture.objects.count() == 0

    agent_client.post(LOG, form_data(team=other_team.pk))
    assert Gesture.objects.get().team == other_team


def test_a_manager_who_is_not_an_agent_cannot_log(client, manager, programme):
    client.force_login(manager)

    assert client.get(LOG).status_code == 403
    assert client.post(LOG, form_data()).status_code == 403


def test_without_an_active_programme_the_page_says_so(client, agent, programme):
    programme.is_active = False
    programme.save()
    client.force_login(agent)

    response = client.post(LOG, form_data())

    assert "There is no active empowerment programme" in response.content.decode()
    assert Gesture.objects.count() == 0
