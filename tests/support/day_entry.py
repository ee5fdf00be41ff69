"""What people enter on the appreciation day pages: the form data a browser posts."""

from django.utils import timezone

from tests.factories import day_input


def datetime_local(moment) -> str:
    """A moment as a datetime-local field holds it: local time, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def day_form(**overrides) -> dict:
    """What an organiser types into "New day" for a day in three weeks with 20 seats."""
    values = day_input()
    data = {
        "title": "Winter Warmer",
        "description": "Soup and stories.",
        "starts_at": datetime_local(values["starts_at"]),
        "ends_at": datetime_local(values["ends_at"]),
        "venue": "The Mill",
        "online_link": "",
        "capacity": "20",
        "max_party_size": "4",
    }
    data.update(overrides)
    return data


def registration_form(**overrides) -> dict:
    """What a customer types at an invitation link to come with one guest."""
    data = {
        "name": "Rosa Customer",
        "email": "rosa@customer.test",
        "party_size": "2",
        "accessibility_needs": "",
        "dietary_needs": "",
        "consent": "on",
    }
    data.update(overrides)
    return data
