"""Helpers shared by the page tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


def queries_of(client, url: str, *, status: int = 200, headers: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == status
    return len(captured.captured_queries)


def form_data(**overrides) -> dict:
    """What a person types into "Log a gesture" for a £10 gift today."""
    data = {
        "category": "gift",
        "channel": "phone",
        "customer_ref": "TCK-1001",
        "customer_name": "",
        "situation": "Her order for her father's 80th birthday arrived broken.",
        "action": "Sent a replacement by courier and a handwritten card.",
        "outcome": "",
        "cost": "10.00",
        "occurred_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data
