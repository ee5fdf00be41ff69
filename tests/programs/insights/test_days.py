"""An organiser's days: seats, waitlist, arrivals, shifts, and seats filling up over time."""

from datetime import timedelta

from accounts.permissions import access_for
from programs.days.models import Registration
from programs.days.selectors import organised_days
from programs.days.services.registrations import check_in_registration
from programs.days.services.shifts import sign_up_for_shift
from programs.insights.selectors import organised_day_figures, seats_over_time
from tests.factories import (
    UserFactory,
    added_shift,
    appreciation_day,
    created_invitation,
    registered,
)


def test_a_days_figures_against_a_hand_count(organiser, agent):
    day = appreciation_day(organiser, capacity=6, max_party_size=4)
    link = created_invitation(day, organiser)
    first = registered(link, party_size=4)
    registered(link, party_size=2)
    registered(link, party_size=3)  # no room: waits
    check_in_registration(registration=first, actor=organiser, now=day.starts_at)
    shift = added_shift(day, organiser, capacity=3)
    added_shift(day, organiser, capacity=2, hours=(2, 4), role="Host")
    sign_up_for_shift(shift=shift, user=agent)
    sign_up_for_shift(shift=shift, user=UserFactory())

    [figures] = organised_day_figures(organised_days(access_for(organiser)))

    assert (figures.capacity, figures.seats_taken, figures.waiting_people) == (6, 6, 3)
    assert (figures.checked_in_people, figures.check_in_share) == (4, 67)
    assert (figures.shift_places, figures.shift_taken, figures.coverage_share) == (5, 2, 40)


def test_seats_fill_up_day_by_day_with_a_running_total(organiser):
    day = appreciation_day(organiser, capacity=20, max_party_size=4)
    link = created_invitation(day, organiser)
    parties = [registered(link, party_size=n) for n in (2, 3, 4)]
    earlier = parties[0].created_at - timedelta(days=2)
    Registration.objects.filter(pk=parties[0].pk).update(created_at=earlier)

    rows = seats_over_time(day.pk)

    assert [(r.seats, r.seats_so_far) for r in rows] == [(2, 2), (7, 9)]
    assert rows[0].registered_on < rows[1].registered_on
