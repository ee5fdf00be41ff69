"""Calendar files (.ics) and QR codes for appreciation days."""

import io

import segno
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from programs.days.models import AppreciationDay, Registration, Shift

PRODUCT = "-//Appreciation Portal//Appreciation days//EN"


def shift_calendar(shift: Shift) -> bytes:
    day = shift.day
    event = _event(
        uid=f"shift-{shift.pk}@appreciation-portal",
        summary=f"{shift.role} · {day.title}",
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        location=day.venue or day.online_link,
        description=shift.description or day.description,
    )
    return _calendar(event)


def registration_calendar(registration: Registration) -> bytes:
    day = registration.day
    party = "you" if registration.party_size == 1 else f"your party of {registration.party_size}"
    event = _event(
        uid=f"registration-{registration.pk}@appreciation-portal",
        summary=day.title,
        starts_at=day.starts_at,
        ends_at=day.ends_at,
        location=day.venue or day.online_link,
        description=f"Registered for {party}.\n\n{day.description}".strip(),
    )
    if day.online_link:
        event.add("url", day.online_link)
    return _calendar(event)


def day_calendar(day: AppreciationDay) -> bytes:
    return _calendar(
        _event(
            uid=f"day-{day.pk}@appreciation-portal",
            summary=day.title,
            starts_at=day.starts_at,
            ends_at=day.ends_at,
            location=day.venue or day.online_link,
            description=day.description,
        )
    )


def ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def qr_svg(data: str) -> bytes:
    """A QR code as SVG: black on white with a quiet zone, scanned well by any phone."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=6, border=4, xmldecl=False, title="Check-in code"
    )
    return buffer.getvalue()


def absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def _event(*, uid, summary, starts_at, ends_at, location, description) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    return event


def _calendar(event: Event) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()
