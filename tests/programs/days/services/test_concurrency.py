"""Appreciation days under a rush, on PostgreSQL: every request through the real API, each
thread with its own client, client address and database connection.

The day's row lock keeps seats taken equal to the confirmed party sizes and never above the
capacity; the person's lock and the shift's row lock keep shifts within capacity and apart.
"""

import random
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum
from rest_framework.test import APIClient

from programs.audit.models import AuditEntry
from programs.audit.trail import verify_chain
from programs.days.models import AppreciationDay, Registration, ShiftSignup
from programs.days.services.registrations import LINK_GONE
from tests.factories import (
    UserFactory,
    added_shift,
    appreciation_day,
    created_invitation,
    registration_input,
)
from tests.support.concurrency import run_at_once, run_in_pool
from tests.support.postgresql import only_on_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    only_on_postgresql("row locks need PostgreSQL"),
    pytest.mark.usefixtures("patient_locks"),
]


def address(n: int) -> str:
    return f"10.{n // 250 % 250}.{n % 250}.{1 + n // 62500}"


def post_registration(body: dict, n: int):
    client = APIClient()
    return client.post("/api/v1/public/registrations/", body, format="json", REMOTE_ADDR=address(n))


def cancel_through_link(token: str, n: int):
    client = APIClient()
    return client.post(f"/api/v1/public/registrations/{token}/cancel/", REMOTE_ADDR=address(n))


def assert_the_day_holds(day: AppreciationDay) -> None:
    """Seats taken equal the confirmed parties, never pass the capacity, and no waiting party
    would fit the seats left."""
    day.refresh_from_db()
    confirmed = day.registrations.confirmed().aggregate(n=Sum("party_size"))["n"] or 0
    assert day.seats_taken == confirmed
    assert day.seats_taken <= day.capacity
    left = day.capacity - day.seats_taken
    fitting = day.registrations.waitlisted().filter(party_size__lte=left)
    assert not fitting.exists(), f"{left} seats empty while {list(fitting)} wait"


def test_the_rush_three_hundred_at_once_for_a_hundred_seats(organiser):
    assert connection.vendor == "postgresql"
    day = appreciation_day(organiser, capacity=100, max_party_size=4)
    link = created_invitation(day, organiser)
    rng = random.Random(6)
    bodies = [registration_input(link.token, party_size=rng.randint(1, 4)) for _ in range(300)]

    answers = run_in_pool(
        [(lambda b=b, n=n: post_registration(b, n)) for n, b in enumerate(bodies)], workers=40
    )

    assert [a for a in answers if isinstance(a, Exception)] == []
    assert Counter(a.status_code for a in answers) == {201: 300}
    assert_the_day_holds(day)
    assert Registration.objects.filter(day=day).count() == 300
    statuses = Counter(a.json()["status"] for a in answers)
    assert statuses["confirmed"] >= 25 and statuses["waitlisted"] >= 100
    # The waitlist reads 1, 2, 3 … in arrival order, with no gap and no repeat.
    positions = sorted(a.json()["position"] for a in answers if a.json()["status"] == "waitlisted")
    assert positions == list(range(1, len(positions) + 1))
    assert all(a.json()["position"] is None for a in answers if a.json()["status"] == "confirmed")
    link.refresh_from_db()
    assert link.uses == 300
    assert AuditEntry.objects.filter(action="registration.created").count() == 300

    # Then a wave of cancellations races a wave of late registrations.
    rng.shuffle(answers)
    leaving = [a.json()["manage_token"] for a in answers if a.json()["status"] == "confirmed"][:25]
    late = [registration_input(link.token, party_size=rng.randint(1, 4)) for _ in range(25)]
    calls = [(lambda t=t, n=n: cancel_through_link(t, 1000 + n)) for n, t in enumerate(leaving)]
    calls += [(lambda b=b, n=n: post_registration(b, 2000 + n)) for n, b in enumerate(late)]
    rng.shuffle(calls)
    results = run_in_pool(calls, workers=40)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(r.status_code for r in results) == [200] * 25 + [201] * 25
    assert_the_day_holds(day)
    promoted = Registration.objects.filter(day=day, promoted_at__isnull=False)
    assert promoted.exists()
    assert promoted.exclude(status="confirmed").count() == 0
    assert AuditEntry.objects.filter(action="registration.promoted").count() == promoted.count()
    assert AuditEntry.objects.filter(action="registration.cancelled").count() == 25
    chain = verify_chain()
    assert chain.ok, chain


def test_the_same_email_at_once_takes_one_place(organiser):
    day = appreciation_day(organiser, capacity=10)
    link = created_invitation(day, organiser)
    body = registration_input(link.token, email="twice@customer.test", party_size=2)
    variants = [{**body, "email": e} for e in ("twice@customer.test", "TWICE@customer.test")]
    answers = run_at_once([(lambda n=n: post_registration(variants[n % 2], n)) for n in range(20)])
    assert Counter(a.status_code for a in answers) == {201: 1, 200: 19}
    assert Registration.objects.filter(day=day).count() == 1
    day.refresh_from_db()
    assert day.seats_taken == 2


def test_several_people_at_once_for_a_links_last_use_one_gets_it(organiser):
    """The link's uses are counted again under its row lock: whoever waited for the lock while
    another took the last use is told the link no longer works, like anyone after them."""
    day = appreciation_day(organiser, capacity=20)
    link = created_invitation(day, organiser, max_uses=1)
    bodies = [registration_input(link.token) for _ in range(6)]

    answers = run_at_once(
        [(lambda b=b, n=n: post_registration(b, n)) for n, b in enumerate(bodies)]
    )

    assert sorted(a.status_code for a in answers) == [201] + [404] * 5
    assert {a.json()["detail"] for a in answers if a.status_code == 404} == {LINK_GONE}
    link.refresh_from_db()
    assert link.uses == 1 == Registration.objects.filter(day=day).count()


def test_two_people_at_once_for_the_last_place_on_a_shift(organiser):
    day = appreciation_day(organiser)
    for round_ in range(5):
        shift = added_shift(day, organiser, capacity=1, role=f"Round {round_}")
        people = [UserFactory(), UserFactory()]

        def take(person, shift=shift):
            client = APIClient()
            client.force_authenticate(person)
            return client.post(f"/api/v1/shifts/{shift.pk}/signup/")

        answers = run_at_once([lambda p=p: take(p) for p in people])
        assert sorted(a.status_code for a in answers) == [201, 409]
        shift.refresh_from_db()
        assert shift.taken == 1 == ShiftSignup.objects.filter(shift=shift).count()


def test_one_person_at_once_for_two_overlapping_shifts_gets_one(organiser):
    day = appreciation_day(organiser)
    for round_ in range(5):
        person = UserFactory()
        first = added_shift(day, organiser, hours=(0, 3), capacity=5, role=f"A{round_}")
        second = added_shift(day, organiser, hours=(2, 5), capacity=5, role=f"B{round_}")

        def take(shift, person=person):
            client = APIClient()
            client.force_authenticate(person)
            return client.post(f"/api/v1/shifts/{shift.pk}/signup/")

        answers = run_at_once([lambda s=s: take(s) for s in (first, second)])
        assert sorted(a.status_code for a in answers) == [201, 409]
        assert ShiftSignup.objects.filter(user=person).count() == 1


def test_control_without_the_locks_the_rush_oversells_or_loses_count(organiser, monkeypatch):
    """Proves the rush test tests something: switch the locks off and the seats go wrong."""
    from django.db.models import QuerySet

    from portal import locking
    from programs.days.services import registrations

    day = appreciation_day(organiser, capacity=10, max_party_size=4)
    link = created_invitation(day, organiser)
    monkeypatch.setattr(locking, "lock_keys", lambda *keys: None)
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)
    monkeypatch.setattr(registrations.trail, "record", lambda **kwargs: None)
    bodies = [registration_input(link.token, party_size=2) for _ in range(40)]
    results = run_at_once([lambda b=b: registrations.register_customer(**b) for b in bodies])

    day.refresh_from_db()
    confirmed = day.registrations.confirmed().aggregate(n=Sum("party_size"))["n"] or 0
    refused_by_the_database = [r for r in results if isinstance(r, Exception)]
    assert refused_by_the_database or confirmed != day.seats_taken or confirmed > day.capacity
