"""What customers and staff are told about appreciation days (see
programs/notifications/notices.py). E-mails about a place that is held carry the day's calendar
file, shift reminders the shift's."""

from django.urls import reverse
from django.utils import timezone

from portal.formatting import day_label
from programs.days import calendar
from programs.days.models import AppreciationDay, Registration, RegistrationStatus, ShiftSignup
from programs.notifications.notices import Attachment, Notice


def when(day: AppreciationDay) -> str:
    """``Saturday 12 June 2027, 10:00 to 16:00`` in the portal's time zone, for messages."""
    starts, ends = timezone.localtime(day.starts_at), timezone.localtime(day.ends_at)
    until = (
        f"{ends:%H:%M}"
        if starts.date() == ends.date()
        else f"{day_label(ends.date())} {ends:%H:%M}"
    )
    return f"{starts:%A} {day_label(starts.date())}, {starts:%H:%M} to {until}"


def registration_changed(
    registration: Registration, *, promoted: bool, position: int | None = None
) -> Notice:
    """The customer's answer: registered, on the waitlist, or given a place from it."""
    day = registration.day
    if promoted:
        kind, title = "registration_promoted", f"A place for you at {day.title}"
    elif registration.status == RegistrationStatus.CONFIRMED:
        kind, title = "registration_confirmed", f"You’re registered for {day.title}"
    else:
        kind, title = "registration_waitlisted", f"You’re on the waitlist for {day.title}"
    holds_a_place = kind != "registration_waitlisted"
    return Notice(
        kind=kind,
        title=title,
        link=_manage_link(registration),
        context={**_about_the_place(registration), "position": position},
        attachments=(_registration_file(registration),) if holds_a_place else (),
    )


def link_resent(registration: Registration, *, register_again: str) -> Notice:
    """A customer asked for their private link again; a cancelled one may register again."""
    day = registration.day
    if registration.is_cancelled:
        title = f"Your registration for {day.title} was cancelled"
        link = register_again
    else:
        title = f"Your private link for {day.title}"
        link = _manage_link(registration)
    return Notice(
        kind="registration_link_resent",
        title=title,
        link=link,
        context={
            **_about_the_place(registration),
            "status": registration.status,
            "position": registration.waitlist_position,
            "checked_in": registration.checked_in_at is not None,
            "cancelled_at": registration.cancelled_at,
        },
    )


def day_reminder(registration: Registration) -> Notice:
    return Notice(
        kind="day_reminder",
        title=f"Tomorrow: {registration.day.title}",
        link=_manage_link(registration),
        context=_about_the_place(registration),
        attachments=(_registration_file(registration),),
    )


def shift_reminder(signup: ShiftSignup) -> Notice:
    shift = signup.shift
    starts = timezone.localtime(shift.starts_at)
    return Notice(
        kind="shift_reminder",
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
        attachments=(
            Attachment("shift.ics", calendar.shift_calendar(shift).decode(), "text/calendar"),
        ),
    )


def day_cancelled(day: AppreciationDay, *, reason: str) -> Notice:
    return Notice(
        kind="day_cancelled",
        title=f"Cancelled: {day.title}",
        context={"day_title": day.title, "when": when(day), "venue": day.venue, "reason": reason},
    )


def _manage_link(registration: Registration) -> str:
    return reverse("days:registration-manage", args=[registration.manage_token])


def _about_the_place(registration: Registration) -> dict:
    day = registration.day
    return {
        "name": registration.name,
        "day_title": day.title,
        "when": when(day),
        "venue": day.venue,
        "online_link": day.online_link,
        "party_size": registration.party_size,
    }


def _registration_file(registration: Registration) -> Attachment:
    content = calendar.registration_calendar(registration).decode()
    return Attachment("appreciation-day.ics", content, "text/calendar")
