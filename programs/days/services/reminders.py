"""Reminders the day before: customers about their appreciation day, staff about their shifts."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from programs.days.models import DayStatus, Registration, RegistrationStatus, ShiftSignup
from programs.days.services.registrations import when
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
        day = registration.day
        queued += len(
            notify(
                kind="day_reminder",
                recipients=[registration.email],
                subject=registration,
                event="reminder",
                title=f"Tomorrow: {day.title}",
                link=reverse("days:registration-manage", args=[registration.manage_token]),
                context={
                    "name": registration.name,
                    "day_title": day.title,
                    "when": when(day),
                    "venue": day.venue,
                    "online_link": day.online_link,
                    "party_size": registration.party_size,
                },
            )
        )
    signups = ShiftSignup.objects.filter(
        shift__day__status=DayStatus.PUBLISHED,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + AHEAD,
    ).select_related("shift__day", "user")
    for signup in signups:
        shift = signup.shift
        starts = timezone.localtime(shift.starts_at)
        queued += len(
            notify(
                kind="shift_reminder",
                recipients=[signup.user],
                subject=signup,
                event="reminder",
                title=f"Your shift tomorrow: {shift.role} at {shift.day.title}",
                link=reverse("days:my-shifts"),
                context={
                    "role": shift.role,
                    "day_title": shift.day.title,
                    "starts": f"{starts:%A %H:%M}",
                    "ends": f"{timezone.localtime(shift.ends_at):%H:%M}",
                    "venue": shift.day.venue,
                    "online_link": shift.day.online_link,
                    "description": shift.description,
                },
            )
        )
    return queued
