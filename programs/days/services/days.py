"""Appreciation days: creating and editing them, their life (draft → published → completed, or
cancelled), their organisers, and the invitation links customers register through."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import access_for
from portal.errors import Conflict, InvalidInput, NotPermitted
from portal.formatting import clock
from portal.validation import (
    FieldErrors,
    clean_count,
    clean_moment,
    clean_optional_text,
    clean_text,
)
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.days import notices
from programs.days.models import (
    MAX_CAPACITY,
    MAX_PARTY_SIZE,
    AppreciationDay,
    DayStatus,
    Invitation,
)
from programs.days.selectors import organises
from programs.days.services.registrations import promote_waitlist, record_promotions
from programs.days.services.shifts import shift_window
from programs.notifications.services import notify

DAY_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "online_link",
    "capacity",
    "max_party_size",
    "registration_opens_at",
    "registration_closes_at",
)
LONGEST_DAY = timedelta(days=14)
MOST_USES = 100_000


def new_token() -> str:
    """256 random bits, URL-safe: nobody guesses an invitation or a manage link."""
    return secrets.token_urlsafe(32)


def create_day(*, actor: User, now: datetime | None = None, **values) -> AppreciationDay:
    """An organiser drafts a day; it takes no registrations until it is published.

    The day must end in the future and after it starts; registration opens now unless told and
    closes when the day starts unless told, and never after the day ends. Every bad field is
    reported at once. The organiser who creates it organises it.
    """
    now = now or timezone.now()
    _require_organiser_role(actor)
    cleaned = clean_day_fields(values, now=now)
    if cleaned["ends_at"] <= now:
        message = "A day that has already ended cannot be created."
        raise InvalidInput(message, field_errors={"ends_at": [message]})
    with transaction.atomic():
        day = AppreciationDay.objects.create(created_by=actor, **cleaned)
        day.organisers.add(actor)
        trail.record(
            action=AuditAction.DAY_CREATED,
            actor=actor,
            subject=day,
            data={**_public_state(day), "organisers": [actor.pk]},
        )
    return day


def update_day(
    *, day: AppreciationDay, actor: User, now: datetime | None = None, **changes
) -> AppreciationDay:
    """An organiser edits a draft or published day. Capacity never drops below the seats
    already confirmed; more capacity promotes the waitlist at once, in arrival order."""
    now = now or timezone.now()
    _require_organiser_of(actor, day)
    unknown = set(changes) - set(DAY_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = AppreciationDay.objects.select_for_update().get(pk=day.pk)
        if not locked.is_open_for_changes:
            raise Conflict(f"A {locked.status} day can no longer be changed.")
        before = _public_state(locked)
        merged = {name: changes.get(name, getattr(locked, name)) for name in DAY_FIELDS}
        cleaned = clean_day_fields(merged, now=now)
        if cleaned["capacity"] < locked.seats_taken:
            message = (
                f"{locked.seats_taken} seats are already confirmed, so the capacity cannot go "
                "below that."
            )
            raise InvalidInput(message, field_errors={"capacity": [message]})
        _require_shifts_inside(locked, starts_at=cleaned["starts_at"], ends_at=cleaned["ends_at"])
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        seats_before = locked.seats_taken
        promoted = promote_waitlist(day=locked, now=now)
        if promoted:
            locked.save(update_fields=["seats_taken", "updated_at"])
        after = _public_state(locked)
        # The audit entries last, after every row this change locks (portal/locking.py).
        record_promotions(day=locked, promoted=promoted, actor=actor, seats_before=seats_before)
        trail.record(
            action=AuditAction.DAY_UPDATED,
            actor=actor,
            subject=locked,
            data={
                "before": {k: v for k, v in before.items() if after[k] != v},
                "after": {k: v for k, v in after.items() if before[k] != v},
                "promoted": [r.pk for r in promoted],
            },
        )
    return locked


def publish_day(*, day: AppreciationDay, actor: User, now: datetime | None = None):
    """A draft day opens to customers (within its registration window) and to staff shifts."""
    now = now or timezone.now()
    _require_organiser_of(actor, day)
    with transaction.atomic():
        locked = _lock_if(day, DayStatus.DRAFT, to="published")
        if locked.ends_at <= now:
            raise Conflict("This day has already ended, so it cannot be published.")
        locked.status = DayStatus.PUBLISHED
        locked.published_at = now
        locked.save(update_fields=["status", "published_at", "updated_at"])
        trail.record(
            action=AuditAction.DAY_PUBLISHED, actor=actor, subject=locked, data={"from": "draft"}
        )
    return locked


def cancel_day(
    *, day: AppreciationDay, actor: User, reason: str = "", now: datetime | None = None
) -> AppreciationDay:
    """A draft or published day is called off. Its customers and the staff on its shifts are
    told; their registrations and sign-ups are kept as they were, for the record."""
    now = now or timezone.now()
    _require_organiser_of(actor, day)
    reason = clean_optional_text(reason, field="reason", max_length=1000)
    with transaction.atomic():
        locked = AppreciationDay.objects.select_for_update().get(pk=day.pk)
        if not locked.is_open_for_changes:
            raise Conflict(f"This day is already {locked.status}.")
        was = locked.status
        locked.status = DayStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        customers = list(locked.registrations.live().values_list("email", flat=True))
        staff = list(User.objects.filter(shift_signups__shift__day=locked, is_active=True))
        if was == DayStatus.PUBLISHED:
            _announce_cancellation(locked, recipients=[*customers, *staff], reason=reason)
        trail.record(
            action=AuditAction.DAY_CANCELLED,
            actor=actor,
            subject=locked,
            data={"from": was, "reason": reason, "registrations_told": len(customers)},
        )
    return locked


def complete_day(*, day: AppreciationDay, actor: User, now: datetime | None = None):
    """A published day that has begun is marked as held."""
    now = now or timezone.now()
    _require_organiser_of(actor, day)
    with transaction.atomic():
        locked = _lock_if(day, DayStatus.PUBLISHED, to="completed")
        if locked.starts_at > now:
            raise Conflict("A day can be marked as completed only once it has begun.")
        locked.status = DayStatus.COMPLETED
        locked.save(update_fields=["status", "updated_at"])
        trail.record(
            action=AuditAction.DAY_COMPLETED,
            actor=actor,
            subject=locked,
            data={
                "seats_taken": locked.seats_taken,
                "checked_in": locked.registrations.confirmed()
                .filter(checked_in_at__isnull=False)
                .count(),
            },
        )
    return locked


def _lock_if(day: AppreciationDay, status: DayStatus, *, to: str) -> AppreciationDay:
    """The day, locked, when it is ``status``; a Conflict otherwise, saying what it is."""
    locked = AppreciationDay.objects.select_for_update().get(pk=day.pk)
    if locked.status != status:
        raise Conflict(f"Only a {status} day can be {to}; this one is {locked.status}.")
    return locked


def add_organiser(*, day: AppreciationDay, actor: User, person: User) -> AppreciationDay:
    """An organiser of the day shares it with another organiser (or an administrator)."""
    _require_organiser_of(actor, day)
    if not person.is_active or not access_for(person).can_organise_days:
        message = "Choose someone who organises appreciation days."
        raise InvalidInput(message, field_errors={"person": [message]})
    with transaction.atomic():
        locked = AppreciationDay.objects.select_for_update().get(pk=day.pk)
        if locked.organisers.filter(pk=person.pk).exists():
            return locked
        locked.organisers.add(person)
        trail.record(
            action=AuditAction.DAY_ORGANISER_ADDED,
            actor=actor,
            subject=locked,
            data={"person": person.pk},
        )
    return locked


def create_invitation(
    *,
    day: AppreciationDay,
    actor: User,
    label: str,
    max_uses: int | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> Invitation:
    """A link for customers to register through, labelled for whom it was sent to, optionally
    limited to a number of registrations and a time."""
    now = now or timezone.now()
    _require_organiser_of(actor, day)
    errors = FieldErrors()
    label = errors.check(clean_text, label, field="label", max_length=120)
    if max_uses is not None and max_uses != "":
        max_uses = errors.check(clean_count, max_uses, field="max_uses", least=1, most=MOST_USES)
    else:
        max_uses = None
    if expires_at is not None:
        expires_at = errors.check(clean_moment, expires_at, field="expires_at")
        if expires_at is not None and expires_at <= now:
            errors.add("expires_at", "Choose a time in the future.")
    errors.raise_any()
    with transaction.atomic():
        locked = AppreciationDay.objects.select_for_update().get(pk=day.pk)
        if not locked.is_open_for_changes:
            raise Conflict(f"This day is {locked.status}: it takes no more invitations.")
        invitation = Invitation.objects.create(
            day=locked,
            label=label,
            token=new_token(),
            max_uses=max_uses,
            expires_at=expires_at,
            created_by=actor,
        )
        trail.record(
            action=AuditAction.INVITATION_CREATED,
            actor=actor,
            subject=invitation,
            data={
                "day": locked.pk,
                "label": label,
                "max_uses": max_uses,
                "expires_at": expires_at,
            },
        )
    return invitation


def revoke_invitation(
    *, invitation: Invitation, actor: User, now: datetime | None = None
) -> Invitation:
    """The link stops working at once. Registrations made through it stand."""
    now = now or timezone.now()
    _require_organiser_of(actor, invitation.day)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
        trail.record(
            action=AuditAction.INVITATION_REVOKED,
            actor=actor,
            subject=locked,
            data={"day": locked.day_id, "uses": locked.uses},
        )
    return locked


def invitation_path(invitation: Invitation) -> str:
    return reverse("days:public-register", args=[invitation.token])


def clean_day_fields(values: dict, *, now: datetime) -> dict:
    """Every field of a day checked at once; raises one InvalidInput naming each bad field."""
    errors = FieldErrors()
    cleaned = {
        "title": errors.check(clean_text, values.get("title"), field="title", max_length=200),
        "description": errors.check(
            clean_optional_text, values.get("description"), field="description", max_length=5000
        ),
        "venue": errors.check(
            clean_text, values.get("venue"), field="venue", max_length=300, required=False
        ),
        "online_link": errors.check(
            clean_text,
            values.get("online_link"),
            field="online_link",
            max_length=500,
            required=False,
        ),
        "capacity": errors.check(
            clean_count, values.get("capacity"), field="capacity", least=0, most=MAX_CAPACITY
        ),
        "max_party_size": errors.check(
            clean_count,
            values.get("max_party_size", 4),
            field="max_party_size",
            least=1,
            most=MAX_PARTY_SIZE,
        ),
    }
    capacity, party = cleaned["capacity"], cleaned["max_party_size"]
    # A party larger than every seat could never be confirmed. A day with no seats yet (0)
    # takes registrations onto the waitlist only, so it is the one exception.
    if capacity and party and party > capacity:
        errors.add(
            "max_party_size",
            f"A party cannot be larger than the day's capacity ({capacity} seats).",
        )
    link = cleaned["online_link"]
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors.add("online_link", "Enter a full web address starting with https://.")
    if cleaned["venue"] == "" and link == "":
        errors.add("venue", "Give a venue or an online link.")
    times = _clean_day_times(values, errors, now=now)
    errors.raise_any()
    return {**cleaned, **times}


def _clean_day_times(values: dict, errors: FieldErrors, *, now: datetime) -> dict:
    """The day's four moments, each error added to ``errors``: the day ends after it starts,
    within 14 days; registration opens (by default now) before it closes (by default when the
    day starts), and closes by the end of the day."""
    times = {}
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        value = values.get(name)
        if value in (None, ""):
            if name in ("starts_at", "ends_at"):
                errors.add(name, "This field is required.")
            times[name] = None
        else:
            times[name] = errors.check(clean_moment, value, field=name)
    starts, ends = times["starts_at"], times["ends_at"]
    if starts and ends:
        if ends <= starts:
            errors.add("ends_at", "The day must end after it starts.")
        elif ends - starts > LONGEST_DAY:
            errors.add("ends_at", "A day can last at most 14 days.")
    opens = times["registration_opens_at"] or min(now, starts or now)
    closes = times["registration_closes_at"] or starts
    if closes and opens and closes <= opens:
        errors.add("registration_closes_at", "Registration must close after it opens.")
    elif closes and ends and closes > ends:
        errors.add("registration_closes_at", "Registration must close by the end of the day.")
    return {
        "starts_at": starts,
        "ends_at": ends,
        "registration_opens_at": opens,
        "registration_closes_at": closes,
    }


def _require_shifts_inside(day: AppreciationDay, *, starts_at: datetime, ends_at: datetime):
    """A day's shifts stay on its date(s): new times that would leave one on another date are
    refused, naming the first shift on each side."""
    opens, closes = shift_window(starts_at, ends_at)
    errors = FieldErrors()
    early = day.shifts.filter(starts_at__lt=opens).order_by("starts_at", "id").first()
    if early is not None:
        errors.add(
            "starts_at",
            f"The {early.role} shift starts at {clock(early.starts_at)}: the day must be on "
            "that date too, so that it holds all its shifts.",
        )
    late = day.shifts.filter(ends_at__gt=closes).order_by("-ends_at", "id").first()
    if late is not None:
        errors.add(
            "ends_at",
            f"The {late.role} shift ends at {clock(late.ends_at)}: the day must reach that "
            "date too, so that it holds all its shifts.",
        )
    errors.raise_any()


def _announce_cancellation(day: AppreciationDay, *, recipients: list, reason: str) -> None:
    notify(
        notice=notices.day_cancelled(day, reason=reason),
        recipients=recipients,
        subject=day,
        event="cancelled",
    )


def _public_state(day: AppreciationDay) -> dict:
    return {
        "title": day.title,
        "starts_at": day.starts_at,
        "ends_at": day.ends_at,
        "venue": day.venue,
        "online_link": day.online_link,
        "capacity": day.capacity,
        "max_party_size": day.max_party_size,
        "registration_opens_at": day.registration_opens_at,
        "registration_closes_at": day.registration_closes_at,
        "status": day.status,
    }


def _require_organiser_role(actor: User) -> None:
    if not access_for(actor).can_organise_days:
        raise NotPermitted("Only organisers create appreciation days.")


def _require_organiser_of(actor: User, day: AppreciationDay) -> None:
    if not organises(actor, day):
        raise NotPermitted("Only the day's organisers may do this.")
