"""What the door shows for a registration, in the plain words staff read at a glance."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from portal.formatting import short_day
from programs.days.models import Registration


@dataclass(frozen=True)
class DoorState:
    """What the door page says about one registration, read at a glance on a phone.

    ``tone`` is ``ok`` (confirmed, may come in), ``done`` (already checked in), ``wait`` (on
    the waitlist) or ``bad`` (cancelled, or the day no longer checks anyone in)."""

    tone: str
    headline: str
    detail: str
    can_check_in: bool


def door_state(registration: Registration, *, now: datetime, scanned: bool = False) -> DoorState:
    """Only a confirmed party of a published day, not yet checked in, is offered check-in
    (what the check-in service accepts); everyone else is told plainly why not. A scanned
    code that was already used says "Already checked in", so a second scan is not taken for
    a welcome."""
    if registration.checked_in_at is not None:
        by = registration.checked_in_by
        who = f" by {by.name or by.email}" if by is not None else ""
        at = timezone.localtime(registration.checked_in_at)
        return DoorState(
            tone="done",
            headline="Already checked in" if scanned else "Checked in",
            detail=f"Checked in at {at:%H:%M}{who}.",
            can_check_in=False,
        )
    if registration.is_cancelled:
        cancelled = registration.cancelled_at
        return DoorState(
            tone="bad",
            headline=f"Cancelled on {short_day(cancelled, now=now)}" if cancelled else "Cancelled",
            detail="This registration was cancelled: it has no seat, so it cannot be checked in.",
            can_check_in=False,
        )
    if registration.is_waitlisted:
        return DoorState(
            tone="wait",
            headline=f"On the waitlist, position {registration.waitlist_position}",
            detail="No seat yet, so no check-in: a party is confirmed only when seats free up "
            "that it fits.",
            can_check_in=False,
        )
    day = registration.day
    if not day.is_published:
        return DoorState(
            tone="bad",
            headline="Confirmed",
            detail=f"The day is {day.get_status_display().lower()}: nobody can be checked in.",
            can_check_in=False,
        )
    guests = "1 seat" if registration.party_size == 1 else f"{registration.party_size} seats"
    return DoorState(
        tone="ok",
        headline="Confirmed",
        detail=f"Not checked in yet; {guests} reserved.",
        can_check_in=True,
    )
