"""The one rule for "registration is open" (AppreciationDay.registration_closed_because), on
both sides of each moment it names; the service, the invitation page and the resent e-mail all
ask it."""

from datetime import timedelta

import pytest

from programs.days.models import AppreciationDay, DayStatus, RegistrationClosed
from tests.factories import day_input

MOMENT = timedelta(microseconds=1)


def a_day(status=DayStatus.PUBLISHED) -> AppreciationDay:
    values = day_input()
    return AppreciationDay(
        status=status,
        **{
            key: values[key]
            for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
        },
    )


def test_open_from_the_moment_registration_opens_to_the_moment_it_closes():
    day = a_day()
    assert day.registration_closed_because(day.registration_opens_at - MOMENT) == (
        RegistrationClosed.NOT_YET
    )
    assert day.registration_closed_because(day.registration_opens_at) is None
    assert day.registration_open(day.registration_opens_at)
    assert day.registration_closed_because(day.registration_closes_at) is None
    assert day.registration_closed_because(day.registration_closes_at + MOMENT) == (
        RegistrationClosed.CLOSED
    )
    assert not day.registration_open(day.registration_closes_at + MOMENT)


@pytest.mark.parametrize(
    ("status", "because"),
    [
        (DayStatus.DRAFT, RegistrationClosed.NOT_TAKING),
        (DayStatus.COMPLETED, RegistrationClosed.NOT_TAKING),
        (DayStatus.CANCELLED, RegistrationClosed.CANCELLED),
    ],
)
def test_only_a_published_day_takes_registrations(status, because):
    day = a_day(status)
    during = day.registration_opens_at + timedelta(hours=1)
    assert day.registration_closed_because(during) == because
    assert not day.registration_open(during)


def test_a_day_that_has_ended_takes_none_even_if_its_registration_closes_later():
    """The rule the three copies disagreed on: the model once said open here, and the page
    offered a registration the service then refused."""
    day = a_day()
    day.registration_closes_at = day.ends_at + timedelta(days=1)
    assert day.registration_closed_because(day.ends_at - MOMENT) is None
    assert day.registration_closed_because(day.ends_at) == RegistrationClosed.NOT_TAKING


def test_customers_may_act_on_a_published_day_until_it_ends():
    day = a_day()
    assert day.open_to_customers(day.ends_at - MOMENT)
    assert not day.open_to_customers(day.ends_at)
    # After registration has closed, cancelling and resending links still work.
    assert day.open_to_customers(day.registration_closes_at + MOMENT)
    for status in (DayStatus.DRAFT, DayStatus.COMPLETED, DayStatus.CANCELLED):
        assert not a_day(status).open_to_customers(day.starts_at)
