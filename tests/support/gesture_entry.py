"""What a person enters to log a gesture: the page's form data and the API's JSON body."""

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


def body(**overrides) -> dict:
    """A JSON body for POST /gestures/: a £10 gift today."""
    values = {
        "customer_ref": "TCK-1001",
        "customer_name": "Ada Lovelace",
        "channel": "phone",
        "category": "gift",
        "situation": "Her order for her father's 80th birthday arrived broken.",
        "action": "Sent a replacement by courier and a handwritten card.",
        "cost": "10.00",
        "occurred_on": timezone.localdate().isoformat(),
    }
    values.update(overrides)
    return values
