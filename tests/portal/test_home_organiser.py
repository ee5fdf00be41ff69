"""The organiser's section of the home page: the upcoming days they organise, with seats,
waitlist and the shifts still short of people, each linking to its manage page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleName
from programs.days.services.days import cancel_day
from programs.days.services.shifts import sign_up_for_shift
from tests.factories import (
    UserFactory,
    added_shift,
    appreciation_day,
    created_invitation,
    grant,
    registered,
)
from tests.support.queries import assert_same_query_count, page_queries

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def visible(client) -> str:
    """The page's text, each element's text apart from its neighbours'."""
    html = client.get(HOME).content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_an_organiser_sees_their_upcoming_day_with_seats_waitlist_and_short_shifts(
    client, organiser
):
    day = appreciation_day(organiser, capacity=6, title="Summer Appreciation Day")
    link = created_invitation(day, organiser)
    registered(link, party_size=4)
    registered(link, party_size=1)
    registered(link, party_size=3)  # waits: one seat left
    full = added_shift(day, organiser, capacity=1, role="Door")
    sign_up_for_shift(shift=full, user=UserFactory())
    short = added_shift(day, organiser, hours=(2, 4), capacity=3, role="Greeter")
    sign_up_for_shift(shift=short, user=UserFactory())
    added_shift(day, organiser, hours=(4, 6), capacity=2, role="Tidy-up")
    client.force_login(organiser)
    html = client.get(HOME).content.decode()
    text = visible(client)
    assert "No appreciation days have been planned yet" not in text
    assert f'href="{reverse("days:day-manage", args=[day.pk])}"' in html
    assert "Summer Appreciation Day" in text
    assert "Seats taken 5 of 6" in text
    assert "Waitlist 1" in text
    assert "Shifts short 2 of 3, 4 people missing" in text


def test_only_upcoming_days_the_person_organises_are_listed(client, organiser):
    mine = appreciation_day(organiser, title="Mine")
    appreciation_day(grant(UserFactory(), RoleName.ORGANISER), title="Someone Else's")
    called_off = appreciation_day(organiser, title="Called Off")
    cancel_day(day=called_off, actor=organiser)
    draft = appreciation_day(organiser, publish=False, title="Still A Draft")
    client.force_login(organiser)
    text = visible(client)
    assert mine.title in text and draft.title in text and "Draft" in text
    assert "Someone Else's" not in text and "Called Off" not in text


def test_a_day_that_is_over_is_not_listed(client, organiser):
    soon = timezone.now() + timedelta(minutes=30)
    appreciation_day(
        organiser,
        title="Nearly Over",
        starts_at=soon - timedelta(hours=2),
        ends_at=soon,
        registration_opens_at=soon - timedelta(days=2),
        registration_closes_at=soon - timedelta(hours=3),
    )
    client.force_login(organiser)
    assert "Nearly Over" in visible(client)
    from programs.days.models import AppreciationDay

    AppreciationDay.objects.filter(title="Nearly Over").update(
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(minutes=1),
        registration_opens_at=timezone.now() - timedelta(days=2),
        registration_closes_at=timezone.now() - timedelta(hours=4),
    )
    assert "Nearly Over" not in visible(client)


def test_a_day_without_shifts_says_so(client, organiser):
    appreciation_day(organiser, title="Bare Day")
    client.force_login(organiser)
    assert "Shifts short No shifts yet" in visible(client)


def test_with_no_upcoming_days_the_organiser_is_told_so_and_offered_to_plan_one(client, organiser):
    client.force_login(organiser)
    html = client.get(HOME).content.decode()
    assert "You have no upcoming appreciation days." in unescape(html)
    assert f'href="{reverse("days:day-new")}"' in html


def test_the_home_page_lists_five_days_and_points_to_the_rest(client, organiser):
    starts = timezone.now() + timedelta(days=10)
    for n in range(6):
        begin = starts + timedelta(days=n)
        appreciation_day(
            organiser,
            title=f"Day number {n}",
            starts_at=begin,
            ends_at=begin + timedelta(hours=6),
            registration_closes_at=begin - timedelta(hours=1),
        )
    client.force_login(organiser)
    text = visible(client)
    assert [f"Day number {n}" in text for n in range(6)] == [True] * 5 + [False]
    assert "All the days you organise" in text


def test_the_organisers_home_takes_the_same_queries_for_one_day_or_five(client, organiser):
    client.force_login(organiser)

    def add_day(n: int) -> None:
        day = appreciation_day(organiser, title=f"Day {n}", capacity=10)
        link = created_invitation(day, organiser)
        registered(link, party_size=4)
        for hour in range(3):
            shift = added_shift(day, organiser, hours=(hour, hour + 1), role=f"Role {hour}")
            sign_up_for_shift(shift=shift, user=UserFactory())

    add_day(0)
    one = page_queries(client, HOME)
    for n in range(1, 5):
        add_day(n)
    assert_same_query_count(one, page_queries(client, HOME))
