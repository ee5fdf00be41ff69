from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from programs.days.services.reminders import send_reminders
from programs.days.services.shifts import sign_up_for_shift
from programs.notifications.delivery import deliver
from programs.notifications.models import Notification
from tests.factories import added_shift, appreciation_day, created_invitation, registered


@pytest.fixture
def tomorrow(organiser):
    starts = timezone.now() + timedelta(hours=20)
    return appreciation_day(
        organiser,
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        registration_closes_at=starts - timedelta(hours=1),
    )


def test_customers_and_staff_are_reminded_once(tomorrow, organiser, agent):
    guest = registered(created_invitation(tomorrow, organiser))
    sign_up_for_shift(shift=added_shift(tomorrow, organiser), user=agent)

    assert send_reminders() == 2
    assert send_reminders() == 0
    kinds = sorted(
        Notification.objects.filter(kind__endswith="reminder").values_list("kind", "email")
    )
    assert kinds == [("day_reminder", guest.email), ("shift_reminder", agent.email)]


def test_a_day_further_away_gets_no_reminder_yet(organiser):
    far = appreciation_day(organiser)
    registered(created_invitation(far, organiser))
    assert send_reminders() == 0


def test_reminders_and_confirmations_carry_the_calendar_file(tomorrow, organiser, agent):
    registered(created_invitation(tomorrow, organiser))
    sign_up_for_shift(shift=added_shift(tomorrow, organiser), user=agent)
    send_reminders()
    for notification in Notification.objects.order_by("pk"):
        deliver(notification.pk)
    by_kind = {m.extra_headers["X-Portal-Notification"].split(":")[0]: m for m in mail.outbox}
    for kind in ("registration_confirmed", "day_reminder", "shift_reminder"):
        filename, content, mimetype = by_kind[kind].attachments[0]
        assert filename.endswith(".ics") and mimetype == "text/calendar"
        assert "BEGIN:VEVENT" in (content if isinstance(content, str) else content.decode())
    assert "tomorrow" in by_kind["day_reminder"].body


@pytest.mark.parametrize(
    ("starts_in", "reminded"),
    [
        (timedelta(hours=24), 2),
        (timedelta(hours=24, microseconds=1), 0),
        (timedelta(microseconds=1), 2),
        (timedelta(0), 0),
    ],
    ids=["exactly-24-hours-ahead", "just-beyond-24-hours", "about-to-start", "already-started"],
)
def test_reminders_cover_the_next_24_hours_exactly(organiser, agent, starts_in, reminded):
    now = timezone.now()
    starts = now + timedelta(hours=30)
    day = appreciation_day(
        organiser,
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        registration_closes_at=starts - timedelta(hours=1),
    )
    registered(created_invitation(day, organiser))
    sign_up_for_shift(shift=added_shift(day, organiser), user=agent)

    assert send_reminders(now=starts - starts_in) == reminded
