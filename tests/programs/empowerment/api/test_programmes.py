from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.empowerment.models import ApprovalRequest, GestureCategory
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.gestures import log_gesture
from tests.factories import CategoryFactory, allowance_override, gesture_input

PROGRAMMES_URL = reverse("api:programmes")
CATEGORIES_URL = reverse("api:categories")
ALLOWANCE_URL = reverse("api:allowance")


@pytest.mark.parametrize("url", [PROGRAMMES_URL, CATEGORIES_URL, ALLOWANCE_URL])
def test_reference_lists_and_allowance_need_credentials(api_client, db, url):
    assert api_client.get(url).status_code == 401


def test_anyone_signed_in_lists_programmes_with_their_policy(api_client, nobody, programme):
    api_client.force_authenticate(nobody)

    body = api_client.get(PROGRAMMES_URL).json()

    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert body["results"] == [
        {
            "id": programme.pk,
            "name": "Empathy in Action",
            "currency": "GBP",
            "period": "monthly",
            "gesture_limit": "50.00",
            "agent_allowance": "200.00",
            "second_tier_threshold": "250.00",
            "escalate_after_hours": 24,
            "customer_daily_limit": "100.00",
            "is_active": True,
        }
    ]


def test_categories_list_only_the_active_ones_by_name(api_client, agent, category):
    CategoryFactory(name="Apology call", slug="apology-call")
    CategoryFactory(name="Retired", slug="retired", is_active=False)
    api_client.force_authenticate(agent)

    body = api_client.get(CATEGORIES_URL).json()

    assert body["count"] == 2
    assert body["results"] == [
        {
            "id": GestureCategory.objects.get(slug="apology-call").pk,
            "name": "Apology call",
            "slug": "apology-call",
        },
        {"id": category.pk, "name": "Gift", "slug": "gift"},
    ]


def test_allowance_counts_approved_as_spent_and_pending_as_committed(
    api_client, agent, log, programme
):
    log(agent, cost=Decimal("10.00"))
    log(agent, cost=Decimal("60.00"))
    api_client.force_authenticate(agent)

    response = api_client.get(ALLOWANCE_URL)

    start, end = programme.period_bounds(timezone.localdate())
    assert response.status_code == 200
    assert response.json() == {
        "programme": programme.pk,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "allowance": "200.00",
        "spent": "10.00",
        "committed": "60.00",
        "remaining": "130.00",
        "approved_above": "0.00",
    }


def test_allowance_shows_what_a_manager_approved_above_it(
    api_client, agent, manager, programme, category, budget
):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-1")).gesture
    allowance_override(agent, programme, amount="30.00", reason="A quieter month", actor=manager)
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture, status="pending"),
        actor=manager,
        approve=True,
        comment="Worth it",
    )
    api_client.force_authenticate(agent)

    body = api_client.get(ALLOWANCE_URL).json()

    assert (body["allowance"], body["spent"], body["remaining"], body["approved_above"]) == (
        "30.00",
        "60.00",
        "0.00",
        "30.00",
    )


def test_allowance_shows_the_managers_boost(api_client, agent, manager, programme):
    allowance_override(
        agent, programme, amount="300.00", reason="Covering the launch weekend.", actor=manager
    )
    api_client.force_authenticate(agent)

    body = api_client.get(ALLOWANCE_URL).json()

    assert body["allowance"] == "300.00"
    assert body["remaining"] == "300.00"


def test_allowance_is_only_for_agents(api_client, manager, finance_user, nobody, programme):
    for person in (manager, finance_user, nobody):
        api_client.force_authenticate(person)
        assert api_client.get(ALLOWANCE_URL).status_code == 403


def test_allowance_without_an_active_programme_is_404(api_client, agent, programme):
    programme.is_active = False
    programme.save()
    api_client.force_authenticate(agent)

    assert api_client.get(ALLOWANCE_URL).status_code == 404
