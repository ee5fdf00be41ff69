"""Customers registering for an appreciation day, cancelling, being promoted from the waitlist,
checked in at the door, and, long after the day, anonymised.

Every change of a day's seats happens in one transaction holding that day's row lock, taken
first; so under any rush the confirmed party sizes add up to ``seats_taken`` and never pass the
capacity (which the database checks as well).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from portal.errors import Conflict, InvalidInput, NotFound, NotPermitted
from portal.formatting import day_label
from portal.validation import (
    FieldErrors,
    clean_count,
    clean_email,
    clean_optional_text,
    clean_text,
)
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.days import notices
from programs.days.models import (
    AppreciationDay,
    DayStatus,
    Invitation,
    Registration,
    RegistrationClosed,
    RegistrationStatus,
)
from programs.days.selectors import invitation_by_token, organises, waitlist_position
from programs.notifications.models import Notification
from programs.notifications.services import notify

LINK_GONE = (
    "This invitation link does not work: it may have been mistyped, revoked, or have expired, "
    "or its places may all be taken. Ask the person who sent it for a new one."
)
ANONYMISED_NAME = "Anonymised"


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    created: bool
    position: int | None

    @property
    def status(self) -> str:
        return self.registration.status


def register_customer(
    *,
    token: str,
    name: str,
    email: str,
    party_size: int,
    consent: bool,
    accessibility_needs: str = "",
    dietary_needs: str = "",
    now: datetime | None = None,
) -> RegistrationOutcome:
    """A customer registers through an invitation link, with no account.

    The link must exist and be neither revoked, expired nor used up (else 404, all alike); the
    day must be published and inside its registration window (else 409). A party that fits the
    seats left is confirmed, otherwise it waits in arrival order. The same e-mail address
    (whatever its case) for the same day gets back its existing registration and takes no
    second place.
    """
    now = now or timezone.now()
    invitation = invitation_by_token(token)
    if invitation is None or not invitation.usable_at(now):
        raise NotFound(LINK_GONE)
    _require_open(invitation.day, now)
    fields = clean_registration(
        {
            "name": name,
            "email": email,
            "party_size": party_size,
            "consent": consent,
            "accessibility_needs": accessibility_needs,
            "dietary_needs": dietary_needs,
        },
        max_party_size=invitation.day.max_party_size,
    )
    with transaction.atomic():
        # The lock order (portal/locking.py): the day row, then the invitation row.
        day = AppreciationDay.objects.select_for_update().get(pk=invitation.day_id)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _require_open(day, now)
        existing = day.registrations.live().with_email(fields["email"]).first()
        if existing is not None:
            return RegistrationOutcome(
                existing, created=False, position=waitlist_position(existing)
            )
        if not invitation.usable_at(now):
            raise NotFound(LINK_GONE)
        if fields["party_size"] > day.max_party_size:
            message = f"Enter a whole number from 1 to {day.max_party_size}."
            raise InvalidInput(message, field_errors={"party_size": [message]})
        fits = fields["party_size"] <= day.capacity - day.seats_taken
        registration = Registration.objects.create(
            day=day,
            invitation=invitation,
            name=fields["name"],
            email=fields["email"],
            party_size=fields["party_size"],
            accessibility_needs=fields["accessibility_needs"],
            dietary_needs=fields["dietary_needs"],
            consent_at=now,
            status=RegistrationStatus.CONFIRMED if fits else RegistrationStatus.WAITLISTED,
            manage_token=secrets.token_urlsafe(32),
            checkin_code=secrets.token_urlsafe(12),
            created_at=now,
        )
        seats_before = day.seats_taken
        if fits:
            day.seats_taken += registration.party_size
            day.save(update_fields=["seats_taken", "updated_at"])
        invitation.uses += 1
        invitation.save(update_fields=["uses"])
        position = waitlist_position(registration)
        _tell_customer(registration, "registered", position=position)
        # Only numbers go into the audit trail: it is append-only, and names and e-mail
        # addresses must be erasable when the retention period ends.
        trail.record(
            action=AuditAction.REGISTRATION_CREATED,
            actor=None,
            subject=registration,
            data={
                "day": day.pk,
                "invitation": invitation.pk,
                "party_size": registration.party_size,
                "status": registration.status,
                "position": position,
                "seats_taken": {"before": seats_before, "after": day.seats_taken},
            },
        )
    return RegistrationOutcome(registration, created=True, position=position)


def cancel_registration(
    *, registration: Registration, actor: User | None = None, now: datetime | None = None
) -> list[Registration]:
    """The customer (through their manage link) or an organiser cancels a registration.

    Its seats are freed and, in the same transaction, every waitlisted registration that now
    fits is confirmed in arrival order. Returns the promoted registrations. A registration
    already cancelled or checked in, or of a day that is over or called off, is refused (409).
    """
    now = now or timezone.now()
    if actor is not None and not organises(actor, registration.day):
        raise NotPermitted("Only the day's organisers may cancel someone's registration.")
    with transaction.atomic():
        day = AppreciationDay.objects.select_for_update().get(pk=registration.day_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == RegistrationStatus.CANCELLED:
            raise Conflict("This registration is already cancelled.")
        if locked.checked_in_at is not None:
            raise Conflict("This party has already been checked in at the door.")
        if day.status != DayStatus.PUBLISHED:
            raise Conflict(f"The day is {day.status}; its registrations can no longer change.")
        if day.ends_at <= now:
            raise Conflict("The day is over; its registrations can no longer change.")
        was = locked.status
        seats_before = day.seats_taken
        if was == RegistrationStatus.CONFIRMED:
            day.seats_taken -= locked.party_size
        seats_freed = day.seats_taken
        locked.status = RegistrationStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        promoted = promote_waitlist(day=day, now=now)
        day.save(update_fields=["seats_taken", "updated_at"])
        # The audit entries last, after every row this change locks (portal/locking.py).
        trail.record(
            action=AuditAction.REGISTRATION_CANCELLED,
            actor=actor,
            subject=locked,
            data={
                "day": day.pk,
                "was": was,
                "party_size": locked.party_size,
                "by": "organiser" if actor else "customer",
                "seats_taken": {"before": seats_before, "after": seats_freed},
            },
        )
        record_promotions(day=day, promoted=promoted, actor=actor, seats_before=seats_freed)
    registration.status = locked.status
    registration.cancelled_at = locked.cancelled_at
    return promoted


def promote_waitlist(*, day: AppreciationDay, now: datetime) -> list[Registration]:
    """Confirm, in arrival order, every waitlisted registration that fits the seats left.

    Call with the day's row locked, in the transaction that freed the seats; the caller saves
    the day and, after its last row lock, writes the audit entries with
    :func:`record_promotions`. One pass with a running count, as pretix does: a party too large
    for the seats left is skipped, and the smaller parties behind it still get theirs.
    """
    if day.status != DayStatus.PUBLISHED:
        return []
    free = day.capacity - day.seats_taken
    promoted: list[Registration] = []
    if free <= 0:
        return promoted
    for waiting in day.registrations.waitlisted().in_arrival_order().iterator(chunk_size=200):
        if waiting.party_size > free:
            continue
        waiting.status = RegistrationStatus.CONFIRMED
        waiting.promoted_at = now
        waiting.save(update_fields=["status", "promoted_at", "updated_at"])
        free -= waiting.party_size
        day.seats_taken += waiting.party_size
        _tell_customer(waiting, "promoted")
        promoted.append(waiting)
        if free == 0:
            break
    return promoted


def record_promotions(
    *,
    day: AppreciationDay,
    promoted: list[Registration],
    actor: User | None,
    seats_before: int,
) -> None:
    """One audit entry per promotion, in the order they were made; ``seats_before`` is the
    day's seats taken before the first."""
    seats = seats_before
    for registration in promoted:
        trail.record(
            action=AuditAction.REGISTRATION_PROMOTED,
            actor=actor,
            subject=registration,
            data={
                "day": day.pk,
                "party_size": registration.party_size,
                "seats_taken": {"before": seats, "after": seats + registration.party_size},
            },
        )
        seats += registration.party_size


def check_in_registration(
    *, registration: Registration, actor: User, now: datetime | None = None
) -> Registration:
    """An organiser checks a confirmed party in at the door, once."""
    now = now or timezone.now()
    if not organises(actor, registration.day):
        raise NotPermitted("Only the day's organisers check people in.")
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("day")
            .get(pk=registration.pk)
        )
        if locked.day.status != DayStatus.PUBLISHED:
            raise Conflict(f"The day is {locked.day.status}; nobody can be checked in.")
        if locked.checked_in_at is not None:
            at = timezone.localtime(locked.checked_in_at)
            raise Conflict(f"{locked.name} was already checked in at {at:%H:%M}.")
        if locked.status != RegistrationStatus.CONFIRMED:
            raise Conflict(
                f"Only a confirmed registration can be checked in; this one is {locked.status}."
            )
        locked.checked_in_at = now
        locked.checked_in_by = actor
        locked.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
        trail.record(
            action=AuditAction.REGISTRATION_CHECKED_IN,
            actor=actor,
            subject=locked,
            data={"day": locked.day_id, "party_size": locked.party_size},
        )
    return locked


def resend_registration_link(
    *, token: str, email: str, now: datetime | None = None
) -> Registration | None:
    """A customer who lost their confirmation asks, at an invitation link, for their private
    link again; the e-mail goes through the outbox to that address only.

    Only the address's registrations for that link's day count (never another day's), and only
    while the day is published and not over. The link may be revoked, expired or used up: its
    registrations stand, and their holders still need their links.

    - An active (confirmed or waitlisted) registration: its private link is sent again.
    - Only cancelled ones: no private link (a cancelled registration cannot be changed); the
      mail says when the latest was cancelled and, while this invitation link still admits
      people and the day takes registrations, that they can register again through it.
    - None at all, or the link is unknown: nothing is sent.

    Returns the registration the e-mail is about, or None. Callers must answer the same either
    way, so that nobody learns whether an address is registered. It changes no registration,
    so it writes no audit entry; the outbox row is its record.
    """
    now = now or timezone.now()
    email = clean_email(email)
    invitation = invitation_by_token(token)
    if invitation is None:
        return None
    day = invitation.day
    if not day.open_to_customers(now):
        return None
    registrations = day.registrations.with_email(email).with_position().order_by("-pk")
    registration = registrations.live().first() or registrations.first()
    if registration is None:
        return None
    register_again = ""
    if registration.is_cancelled and invitation.usable_at(now) and day.registration_open(now):
        register_again = reverse("days:public-register", args=[invitation.token])
    with transaction.atomic():
        notify(
            notice=notices.link_resent(registration, register_again=register_again),
            recipients=[registration.email],
            subject=registration,
            # Each request is its own event: asking again (within the limits) sends again.
            event=f"resent:{now.isoformat()}",
        )
    return registration


@dataclass(frozen=True)
class AnonymiseReport:
    days: int
    registrations: int


def anonymise_registrations(*, older_than_days: int, now: datetime | None = None):
    """Erase the customers' names, e-mail addresses and notes for every day that ended more
    than ``older_than_days`` ago, keeping the numbers (party sizes, statuses, check-ins) so the
    counts stay right. Idempotent: what is anonymised is left alone next time."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=older_than_days)
    pending = Registration.objects.filter(anonymised_at__isnull=True, day__ends_at__lt=cutoff)
    day_ids = list(pending.order_by().values_list("day_id", flat=True).distinct())
    total = 0
    for day_id in sorted(day_ids):
        with transaction.atomic():
            day = AppreciationDay.objects.select_for_update().get(pk=day_id)
            rows = Registration.objects.filter(day=day, anonymised_at__isnull=True)
            ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
            count = rows.update(
                name=ANONYMISED_NAME,
                email=Concat(
                    Value("anonymised-"),
                    Cast("id", CharField()),
                    Value("@invalid.invalid"),
                    output_field=CharField(),
                ),
                accessibility_needs="",
                dietary_needs="",
                anonymised_at=now,
            )
            # The messages they were sent carry the address too.
            Notification.objects.filter(subject_type="registration", subject_id__in=ids).update(
                email="anonymised@invalid.invalid",
                context={},
                key=Concat(Value("anonymised:"), Cast("id", CharField()), output_field=CharField()),
            )
            trail.record(
                action=AuditAction.REGISTRATIONS_ANONYMISED,
                actor=None,
                subject=day,
                data={"registrations": count, "older_than_days": older_than_days},
            )
            total += count
    return AnonymiseReport(days=len(day_ids), registrations=total)


def clean_registration(values: dict, *, max_party_size: int) -> dict:
    """Every field a customer types, checked at once; one InvalidInput names each bad one."""
    errors = FieldErrors()
    cleaned = {
        "name": errors.check(clean_text, values.get("name"), field="name", max_length=150),
        "email": errors.check(clean_email, values.get("email")),
        "party_size": errors.check(
            clean_count,
            values.get("party_size"),
            field="party_size",
            least=1,
            most=max_party_size,
        ),
        **{
            name: errors.check(clean_optional_text, values.get(name), field=name, max_length=1000)
            for name in ("accessibility_needs", "dietary_needs")
        },
    }
    if values.get("consent") is not True:
        errors.add("consent", "Tick the box to agree, so that we may keep your details.")
    errors.raise_any()
    return cleaned


def _require_open(day: AppreciationDay, now: datetime) -> None:
    match day.registration_closed_because(now):
        case None:
            return
        case RegistrationClosed.CANCELLED:
            raise Conflict(f"{day.title} has been cancelled, so it takes no registrations.")
        case RegistrationClosed.NOT_YET:
            opens = timezone.localtime(day.registration_opens_at)
            raise Conflict(
                f"Registration for {day.title} opens on {day_label(opens.date())} at {opens:%H:%M}."
            )
        case RegistrationClosed.CLOSED:
            raise Conflict(f"Registration for {day.title} has closed.")
        case _:
            raise Conflict(f"{day.title} is not taking registrations.")


def _tell_customer(registration: Registration, event: str, *, position: int | None = None):
    """Queue the customer's e-mail in this transaction; it is sent once the change commits."""
    notify(
        notice=notices.registration_changed(
            registration, promoted=event == "promoted", position=position
        ),
        recipients=[registration.email],
        subject=registration,
        event=event,
    )
