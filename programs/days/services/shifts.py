"""Staff shifts on appreciation days: adding them, signing up and leaving.

A shift never holds more people than its capacity (its row lock and a check constraint), and
nobody holds two shifts that overlap in time (a lock keyed by the person, taken first).
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from portal import locking
from portal.errors import Conflict, NotFound, NotPermitted
from portal.formatting import day_label
from portal.validation import (
    FieldErrors,
    clean_count,
    clean_moment,
    clean_optional_text,
    clean_text,
)
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.days.models import AppreciationDay, DayStatus, Shift, ShiftSignup
from programs.days.selectors import organises

LONGEST_SHIFT = timedelta(hours=24)
MOST_PER_SHIFT = 500


def add_shift(
    *,
    day: AppreciationDay,
    actor: User,
    role: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    description: str = "",
) -> Shift:
    """An organiser adds a shift to a draft or published day: a role, its hours (on the day's
    date, at most a day long, ending after it starts) and how many people it needs."""
    if not organises(actor, day):
        raise NotPermitted("Only the day's organisers add shifts.")
    errors = FieldErrors()
    role = errors.check(clean_text, role, field="role", max_length=120)
    description = errors.check(
        clean_optional_text, description, field="description", max_length=1000
    )
    capacity = errors.check(clean_count, capacity, field="capacity", least=1, most=MOST_PER_SHIFT)
    starts_at = errors.check(clean_moment, starts_at, field="starts_at")
    ends_at = errors.check(clean_moment, ends_at, field="ends_at")
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            errors.add("ends_at", "The shift must end after it starts.")
        elif ends_at - starts_at > LONGEST_SHIFT:
            errors.add("ends_at", "A shift can last at most 24 hours.")
    errors.raise_any()
    with transaction.atomic():
        locked = AppreciationDay.objects.select_for_update().get(pk=day.pk)
        if not locked.is_open_for_changes:
            raise Conflict(f"This day is {locked.status}: it takes no more shifts.")
        _require_within_day(locked, starts_at=starts_at, ends_at=ends_at)
        shift = Shift.objects.create(
            day=locked,
            role=role,
            description=description,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
        )
        trail.record(
            action=AuditAction.SHIFT_CREATED,
            actor=actor,
            subject=shift,
            data={
                "day": locked.pk,
                "role": role,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "capacity": capacity,
            },
        )
    return shift


def shift_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """When the shifts of a day from ``starts_at`` to ``ends_at`` may run: on its own date(s),
    local time, from the midnight it starts after to the midnight after it ends, so that
    set-up before the doors open and clearing up after they close fit, and a shift on another
    date does not."""
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(ends_at).date()
    return _midnight(first), _midnight(last + timedelta(days=1))


def day_dates(day: AppreciationDay) -> str:
    first = timezone.localtime(day.starts_at).date()
    last = timezone.localtime(day.ends_at).date()
    return day_label(first) if first == last else f"{day_label(first)} to {day_label(last)}"


def _midnight(on: date) -> datetime:
    return timezone.make_aware(datetime.combine(on, time.min))


def _require_within_day(day: AppreciationDay, *, starts_at: datetime, ends_at: datetime) -> None:
    opens, closes = shift_window(day.starts_at, day.ends_at)
    errors = FieldErrors()
    if starts_at < opens:
        errors.add("starts_at", f"The day is on {day_dates(day)}: start the shift on it.")
    if ends_at > closes:
        errors.add(
            "ends_at", f"The day is on {day_dates(day)}: end the shift by midnight after it."
        )
    errors.raise_any()


def sign_up_for_shift(*, shift: Shift, user: User, now: datetime | None = None) -> ShiftSignup:
    """A member of staff takes a place on a shift of a published day that has not started.

    Refused (409) when it is full, when the person already holds it, or when it overlaps
    another shift they hold.
    """
    now = now or timezone.now()
    if not user.is_active:
        raise NotPermitted("Only active staff take shifts.")
    with transaction.atomic():
        locked = _lock_for(shift, user)
        if locked.day.status != DayStatus.PUBLISHED:
            raise Conflict(f"The day is {locked.day.status}: its shifts are not open.")
        if locked.starts_at <= now:
            raise Conflict("This shift has already started.")
        held = ShiftSignup.objects.of_user(user).select_related("shift__day")
        if held.filter(shift=locked).exists():
            raise Conflict("You already hold this shift.")
        clash = (
            held.filter(
                shift__day__status__in=[DayStatus.DRAFT, DayStatus.PUBLISHED],
                shift__starts_at__lt=locked.ends_at,
                shift__ends_at__gt=locked.starts_at,
            )
            .order_by("shift__starts_at")
            .first()
        )
        if clash is not None:
            other = clash.shift
            starts = timezone.localtime(other.starts_at)
            ends = timezone.localtime(other.ends_at)
            raise Conflict(
                f"It overlaps your shift as {other.role} at {other.day.title}, "
                f"{starts:%H:%M}–{ends:%H:%M} on {starts:%d %b}."
            )
        if locked.taken >= locked.capacity:
            raise Conflict("This shift is full.")
        signup = ShiftSignup.objects.create(shift=locked, user=user)
        _count_taken(locked, user, change=1, action=AuditAction.SHIFT_SIGNED_UP)
    shift.taken = locked.taken
    return signup


def leave_shift(*, shift: Shift, user: User, now: datetime | None = None) -> Shift:
    """The person gives their place on a shift back, before it starts."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_for(shift, user)
        signup = ShiftSignup.objects.filter(shift=locked, user=user).first()
        if signup is None:
            raise NotFound("You are not signed up for this shift.")
        if locked.starts_at <= now and locked.day.status == DayStatus.PUBLISHED:
            raise Conflict("This shift has already started; tell the organiser instead.")
        signup.delete()
        _count_taken(locked, user, change=-1, action=AuditAction.SHIFT_LEFT)
    shift.taken = locked.taken
    return locked


def _lock_for(shift: Shift, user: User) -> Shift:
    """The shift, locked for a change to who holds it. The lock order (portal/locking.py): the
    person's shifts, then the shift row."""
    locking.lock_keys(locking.person_shifts_key(user.pk))
    return Shift.objects.select_for_update(of=("self",)).select_related("day").get(pk=shift.pk)


def _count_taken(locked: Shift, user: User, *, change: int, action: AuditAction) -> None:
    """One more place taken (``change`` 1) or given back (-1) by ``user``, recorded."""
    locked.taken += change
    locked.save(update_fields=["taken"])
    trail.record(
        action=action,
        actor=user,
        subject=locked,
        data={"day": locked.day_id, "person": user.pk, "taken": locked.taken},
    )
