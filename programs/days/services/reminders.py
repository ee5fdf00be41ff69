"""Reminders the day before: customers about their appreciation day, staff about their shifts."""

from datetime import datetime, timedelta

from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from programs.days import notices
from programs.days.models import DayStatus, Registration, RegistrationStatus, ShiftSignup
from programs.notifications.notices import Notice
from programs.notifications.services import notify

AHEAD = timedelta(hours=24)


def send_reminders(*, now: datetime | None = None) -> int:
    """Queue a reminder for every confirmed registration of a published day, and every staff
    member on a shift, starting within the next 24 hours. Idempotent: each reminder's key names
    the registration or sign-up, so running it every hour sends each one once."""
    now = now or timezone.now()
    queued = 0
    registrations = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        day__status=DayStatus.PUBLISHED,
        day__starts_at__gt=now,
        day__starts_at__lte=now + AHEAD,
    ).select_related("day")
    for registration in registrations:
        queued += _remind(notices.day_reminder(registration), registration.email, registration)
    signups = ShiftSignup.objects.filter(
        shift__day__status=DayStatus.PUBLISHED,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + AHEAD,
    ).select_related("shift__day", "user")
    for signup in signups:
        queued += _remind(notices.shift_reminder(signup), signup.user, signup)
    return queued


def _remind(notice: Notice, recipient: User | str, subject: Model) -> int:
    """How many reminders were queued: none when this one was queued before."""
    return len(notify(notice=notice, recipients=[recipient], subject=subject, event="reminder"))
