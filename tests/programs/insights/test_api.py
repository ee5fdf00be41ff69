"""GET /api/v1/insights/outcomes/ and /api/v1/insights/unused-empowerment/ (API.md)."""

from programs.empowerment.services.gestures import log_gesture
from tests.factories import gesture_input

OUTCOMES = "/api/v1/insights/outcomes/"
UNUSED = "/api/v1/insights/unused-empowerment/"
SPEND = "/api/v1/insights/spend/"


def test_outcomes_have_the_documented_fields_and_add_up(api_client, finance_user, outcomes_data):
    api_client.force_authenticate(finance_user)
    rows = api_client.get(OUTCOMES).json()
    assert [r["category"] for r in rows] == ["flowers", "gift"]
    gift = rows[1]
    assert gift == {
        "category": "gift",
        "gestures": 5,
        "cost": "25.50",
        "delighted": 2,
        "satisfied": 0,
        "neutral": 1,
        "unhappy": 1,
        "unrated": 1,
    }
    assert (
        api_client.get(OUTCOMES, {"since": "2030-01-02", "until": "2030-01-01"}).status_code == 400
    )
    assert api_client.get(OUTCOMES, {"team": 424242}).status_code == 404


def test_unused_empowerment_for_managers_and_403_for_agents(
    api_client, manager, agent, team, programme, budget
):
    api_client.force_authenticate(agent)
    assert api_client.get(UNUSED).status_code == 403
    api_client.force_authenticate(manager)
    [row] = api_client.get(UNUSED, {"days": 28}).json()
    assert row == {
        "agent": {"id": agent.pk, "name": "Aisha Agent"},
        "team": {"id": team.pk, "name": team.name},
        "last_gesture_on": None,
        "allowance": "200.00",
        "spent": "0.00",
        "remaining": "200.00",
    }
    assert api_client.get(UNUSED, {"days": 0}).status_code == 400


def test_spend_by_team_and_by_category_for_a_period(
    api_client, finance_user, manager, agent, team, budget, category, programme
):
    log_gesture(agent=agent, **gesture_input(cost="10.00", customer_ref="S1"))
    log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="S2"))  # waits
    period = budget.period_start.strftime("%Y-%m")
    api_client.force_authenticate(finance_user)
    by_team = api_client.get(SPEND, {"period": period}).json()
    assert by_team == [
        {
            "key": str(team.pk),
            "label": team.name,
            "amount": "1000.00",
            "spent": "10.00",
            "committed": "60.00",
        }
    ]
    by_category = api_client.get(SPEND, {"period": period, "group_by": "category"}).json()
    assert by_category == [
        {"key": "gift", "label": "Gift", "amount": "70.00", "spent": "10.00", "committed": "60.00"}
    ]
    assert api_client.get(SPEND, {"period": "2026-13"}).status_code == 400
    assert api_client.get(SPEND, {"group_by": "agent"}).status_code == 400
    api_client.force_authenticate(agent)
    assert api_client.get(SPEND).status_code == 403
