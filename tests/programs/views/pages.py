"""Form data shared by the page tests (counting a page's queries: tests/support/queries.py)."""

from django.utils import timezone


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
