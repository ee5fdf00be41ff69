"""seed_demo's appreciation day: upcoming, published, with shifts, a printed invitation link and
a few registrations, one waiting; and loading it twice leaves one copy."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from programs.days.models import AppreciationDay, Invitation, Registration, Shift, ShiftSignup

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_adds_an_upcoming_published_day_and_prints_its_link(client):
    output = seed()
    day = AppreciationDay.objects.get()
    assert day.status == "published" and day.starts_at > timezone.now()
    assert 20 <= day.capacity <= 40 and day.max_party_size == 4 and day.venue
    assert 3 <= day.shifts.count() <= 4
    assert ShiftSignup.objects.filter(shift__day=day).exists()
    assert day.organisers.filter(email="organiser@demo.test").exists()
    link = Invitation.objects.get(day=day)
    printed = re.search(r"Customers register at: (\S+)", output).group(1)
    assert printed.endswith(f"/invite/{link.token}/")
    registrations = Registration.objects.filter(day=day)
    assert registrations.filter(status="confirmed").count() >= 3
    assert registrations.filter(status="waitlisted").count() == 1
    confirmed = registrations.filter(status="confirmed").aggregate(n=Sum("party_size"))["n"]
    assert day.seats_taken == confirmed <= day.capacity
    page = client.get(printed.removeprefix(settings.PORTAL_BASE_URL))
    assert page.status_code == 200 and day.title in page.content.decode()


def test_seeding_the_day_twice_leaves_one_copy():
    seed()
    counts = [
        m.objects.count() for m in (AppreciationDay, Shift, ShiftSignup, Invitation, Registration)
    ]
    output = seed()
    assert [
        m.objects.count() for m in (AppreciationDay, Shift, ShiftSignup, Invitation, Registration)
    ] == counts
    assert "already there" in output
