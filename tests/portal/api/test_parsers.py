"""The API's JSON parser, for every endpoint, signed in or not: too-deep nesting and characters
no field accepts are a 400 before any view reads the body."""

import json

import pytest
from rest_framework.test import APIClient

from portal.api.parsers import MAX_DEPTH
from programs.empowerment.models import Gesture
from programs.empowerment.services.gestures import log_gesture
from tests.factories import gesture_input

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "This contains a character that is not allowed."

# (who, method, path): the anonymous endpoints, and some that need a token.
ENDPOINTS = [
    (None, "post", "/api/v1/auth/token/"),
    (None, "post", "/api/v1/public/registrations/"),
    ("agent", "post", "/api/v1/gestures/"),
    ("agent", "patch", "/api/v1/gestures/{gesture}/outcome/"),
    ("manager", "post", "/api/v1/budget-requests/"),
    ("manager", "post", "/api/v1/approvals/{approval}/decline/"),
    ("organiser", "post", "/api/v1/appreciation-days/"),
    ("finance_user", "post", "/api/v1/budgets/"),
]


@pytest.fixture
def waiting(agent, manager, programme, category, budget):
    """A gesture over the limit, waiting for the manager: ids for the paths above."""
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    return {"gesture": gesture.pk, "approval": gesture.approval_requests.get().pk}


def send(request, who, method, path, raw: str):
    client = APIClient()
    if who is not None:
        client.force_authenticate(request.getfixturevalue(who))
    return getattr(client, method)(path, raw, content_type="application/json")


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(("who", "method", "path"), ENDPOINTS)
@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5_000, 100_000])
def test_too_deeply_nested_json_is_a_400_everywhere(request, waiting, who, method, path, levels):
    response = send(request, who, method, path.format(**waiting), nested(levels))

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_deep_objects_are_refused_as_deep_lists_are(request):
    raw = '{"a":' * 30 + "1" + "}" * 30

    response = send(request, None, "post", "/api/v1/public/registrations/", raw)

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_nesting_within_the_limit_reaches_the_view(request):
    # Still not a body the endpoint takes, so the view (not the parser) answers 400.
    response = send(request, None, "post", "/api/v1/auth/token/", nested(MAX_DEPTH))

    assert response.status_code == 400
    assert "nested" not in json.dumps(response.json())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"channel": "phone\\u0000"}', "channel"),
        ('{"channel": "phone\\ud800"}', "channel"),
        ('{"category": "\\udfff"}', "category"),
        ('{"category": ["gift\\u0000"]}', "category"),
        ('{"occurred_on": {"day": "\\u001b[2J"}}', "occurred_on"),
        ('{"cost\\u0000": "10"}', "non_field_errors"),
        ('{"\\ud800": "10"}', "non_field_errors"),
        ('["\\u0000"]', "non_field_errors"),
    ],
)
def test_a_character_no_field_accepts_is_a_400_naming_the_field(
    request, agent, category, budget, body, field
):
    response = send(request, "agent", "post", "/api/v1/gestures/", body)

    assert response.status_code == 400
    assert response.json()[field] == [NOT_ALLOWED]
    assert not Gesture.objects.exists()
