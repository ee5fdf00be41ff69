"""Customer Appreciation Days: the day, its staff shifts, invitation links and registrations.

Seats are counted on the day row (``seats_taken``) and places on the shift row (``taken``), each
changed only under that row's lock and held below capacity by a check constraint, as budgets are.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower

from portal.validators import ONE_LINE, SINGLE_LINE_PATTERN, multi_line, single_line

MAX_PARTY_SIZE = 20
MAX_CAPACITY = 100_000
# secrets.token_urlsafe(32): 43 URL-safe characters, 256 bits. Nothing shorter is accepted.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{43,64}$"  # noqa: S105 — a pattern, not a secret


class RegistrationClosed(models.TextChoices):
    """Why a day takes no registration (see ``AppreciationDay.registration_closed_because``)."""

    CANCELLED = "cancelled", "The day has been cancelled"
    NOT_TAKING = "not_taking", "A draft, completed or finished day"
    NOT_YET = "not_yet", "Registration has not opened yet"
    CLOSED = "closed", "Registration has closed"


class DayStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "Waitlisted"
    CANCELLED = "cancelled", "Cancelled"


class AppreciationDayQuerySet(models.QuerySet["AppreciationDay"]):
    def published(self) -> "AppreciationDayQuerySet":
        return self.filter(status=DayStatus.PUBLISHED)

    def not_over(self, now) -> "AppreciationDayQuerySet":
        return self.filter(ends_at__gt=now)

    def organised_by(self, user) -> "AppreciationDayQuerySet":
        return self.filter(organisers=user)

    def with_waitlist_count(self) -> "AppreciationDayQuerySet":
        waiting = (
            Registration.objects.filter(day=OuterRef("pk"), status=RegistrationStatus.WAITLISTED)
            .order_by()
            .values("day")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(waitlist_count=Coalesce(Subquery(waiting), 0))

    def ended_before(self, moment) -> "AppreciationDayQuerySet":
        return self.filter(ends_at__lt=moment)


class AppreciationDay(models.Model):
    """A day where staff and customers meet. Customers take seats through invitation links;
    ``seats_taken`` (the sum of confirmed party sizes) never exceeds ``capacity``."""

    title = models.CharField(max_length=200, validators=[single_line])
    description = models.TextField(max_length=5000, blank=True, validators=[multi_line])
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True, validators=[single_line])
    online_link = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(help_text="Seats for customers.")
    max_party_size = models.PositiveSmallIntegerField(default=4)
    registration_opens_at = models.DateTimeField()
    registration_closes_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=DayStatus.choices, default=DayStatus.DRAFT)
    seats_taken = models.PositiveIntegerField(
        default=0, help_text="Sum of the confirmed registrations' party sizes."
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_days", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = AppreciationDayQuerySet.as_manager()

    class Meta:
        db_table = "programs_appreciationday"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DayStatus.values), name="day_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=0, capacity__lte=MAX_CAPACITY),
                name="day_capacity_in_range",
            ),
            models.CheckConstraint(
                condition=Q(max_party_size__gte=1, max_party_size__lte=MAX_PARTY_SIZE),
                name="day_max_party_size_in_range",
            ),
            models.CheckConstraint(
                condition=Q(seats_taken__gte=0), name="day_seats_taken_not_negative"
            ),
            # The rule the whole feature keeps: never more confirmed seats than the day has.
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="day_never_oversold"
            ),
            # A party larger than every seat could never be confirmed; a day with no seats yet
            # takes registrations onto its waitlist only.
            models.CheckConstraint(
                condition=Q(capacity=0) | Q(max_party_size__lte=F("capacity")),
                name="day_party_fits_capacity",
                violation_error_message="A party cannot be larger than the day's capacity.",
            ),
            models.CheckConstraint(
                condition=~Q(title__regex=SINGLE_LINE_PATTERN),
                name="day_title_one_line",
                violation_error_message=ONE_LINE,
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="day_ordered"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at"))
                & Q(registration_closes_at__lte=F("ends_at")),
                name="day_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def is_published(self) -> bool:
        return self.status == DayStatus.PUBLISHED

    @property
    def is_open_for_changes(self) -> bool:
        """Draft and published days can still be edited, given shifts and links."""
        return self.status in (DayStatus.DRAFT, DayStatus.PUBLISHED)

    def open_to_customers(self, now) -> bool:
        """Published and not yet over: customers may still cancel, move up the waitlist and
        have their private link sent again, whether or not registration is still open."""
        return self.status == DayStatus.PUBLISHED and self.ends_at > now

    def registration_closed_because(self, now) -> "RegistrationClosed | None":
        """Why the day takes no registration at ``now``, or None while it does: the one rule
        for "registration is open", which the service enforces and the pages and e-mails
        offer (each in its own words)."""
        if self.status == DayStatus.CANCELLED:
            return RegistrationClosed.CANCELLED
        if not self.open_to_customers(now):
            return RegistrationClosed.NOT_TAKING
        if now < self.registration_opens_at:
            return RegistrationClosed.NOT_YET
        if now > self.registration_closes_at:
            return RegistrationClosed.CLOSED
        return None

    def registration_open(self, now) -> bool:
        return self.registration_closed_because(now) is None


class ShiftQuerySet(models.QuerySet["Shift"]):
    def overlapping(self, *, starts_at, ends_at) -> "ShiftQuerySet":
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def live(self) -> "ShiftQuerySet":
        """Shifts of days still going ahead."""
        return self.filter(day__status__in=[DayStatus.DRAFT, DayStatus.PUBLISHED])


class Shift(models.Model):
    """A stretch of the day that staff sign up for. ``taken`` never exceeds ``capacity``."""

    day = models.ForeignKey(AppreciationDay, on_delete=models.PROTECT, related_name="shifts")
    role = models.CharField(max_length=120, validators=[single_line])
    description = models.TextField(max_length=1000, blank=True, validators=[multi_line])
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    taken = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        db_table = "programs_shift"
        ordering = ["starts_at", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=500), name="shift_capacity_in_range"
            ),
            models.CheckConstraint(condition=Q(taken__gte=0), name="shift_taken_not_negative"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="shift_never_overfull"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ordered"),
            models.CheckConstraint(
                condition=~Q(role__regex=SINGLE_LINE_PATTERN),
                name="shift_role_one_line",
                violation_error_message=ONE_LINE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} · {self.day}"

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def is_full(self) -> bool:
        return self.taken >= self.capacity


class ShiftSignupQuerySet(models.QuerySet["ShiftSignup"]):
    def of_user(self, user) -> "ShiftSignupQuerySet":
        return self.filter(user=user)

    def with_context(self) -> "ShiftSignupQuerySet":
        return self.select_related("shift__day", "user")


class ShiftSignup(models.Model):
    """A person holding a place on a shift. Leaving deletes it; the audit trail keeps both."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShiftSignupQuerySet.as_manager()

    class Meta:
        db_table = "programs_shiftsignup"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="shift_signup_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.shift}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self, now) -> "InvitationQuerySet":
        """Links that still admit a new registration: not revoked, not expired, not used up."""
        return self.filter(
            Q(revoked_at__isnull=True),
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")),
        )


class Invitation(models.Model):
    """A link customers register through. Its token is 256 random bits from ``secrets``."""

    day = models.ForeignKey(AppreciationDay, on_delete=models.PROTECT, related_name="invitations")
    label = models.CharField(max_length=120, validators=[single_line])
    token = models.CharField(max_length=64, unique=True, editable=False)
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        db_table = "programs_invitation"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(max_uses__gte=1),
                name="invitation_max_uses_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")),
                name="invitation_never_overused",
            ),
            models.CheckConstraint(
                condition=Q(token__regex=TOKEN_PATTERN), name="invitation_token_long"
            ),
            models.CheckConstraint(
                condition=~Q(label__regex=SINGLE_LINE_PATTERN),
                name="invitation_label_one_line",
                violation_error_message=ONE_LINE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.day}"

    def usable_at(self, now) -> bool:
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and (self.max_uses is None or self.uses < self.max_uses)
        )

    def state_at(self, now) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "used up"
        return "active"


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def live(self) -> "RegistrationQuerySet":
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self) -> "RegistrationQuerySet":
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waitlisted(self) -> "RegistrationQuerySet":
        return self.filter(status=RegistrationStatus.WAITLISTED)

    def in_arrival_order(self) -> "RegistrationQuerySet":
        """Arrival order is the order ids were given out: each registration is inserted
        holding its day's lock, so ids follow the lock, whatever the clocks of the servers."""
        return self.order_by("pk")

    def with_email(self, email: str) -> "RegistrationQuerySet":
        return self.filter(email__iexact=email)

    def with_position(self) -> "RegistrationQuerySet":
        """Annotate ``waitlist_position``: the 1-based place of a waitlisted registration in
        its day's waitlist (null otherwise), in one correlated count, not one query a row."""
        ahead = (
            Registration.objects.filter(
                day=OuterRef("day"), status=RegistrationStatus.WAITLISTED, pk__lt=OuterRef("pk")
            )
            .order_by()
            .values("day")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waitlist_position=models.Case(
                models.When(
                    status=RegistrationStatus.WAITLISTED,
                    then=Coalesce(Subquery(ahead), 0) + 1,
                ),
                default=None,
                output_field=models.IntegerField(null=True),
            )
        )


class Registration(models.Model):
    """A customer's registration for a day, with their party. Confirmed when it fits the seats
    left, otherwise waitlisted in arrival order. The manage token (256 random bits) lets its
    holder view and cancel this one registration; the check-in code is what its QR code
    carries to the door."""

    day = models.ForeignKey(AppreciationDay, on_delete=models.PROTECT, related_name="registrations")
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    name = models.CharField(max_length=150, validators=[single_line])
    email = models.EmailField("e-mail address", max_length=254)
    party_size = models.PositiveSmallIntegerField()
    accessibility_needs = models.TextField(max_length=1000, blank=True, validators=[multi_line])
    dietary_needs = models.TextField(max_length=1000, blank=True, validators=[multi_line])
    consent_at = models.DateTimeField(help_text="When the customer agreed to us keeping this.")
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    manage_token = models.CharField(max_length=64, unique=True, editable=False)
    checkin_code = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        db_table = "programs_registration"
        ordering = ["id"]
        indexes = [models.Index(fields=["day", "status", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(party_size__gte=1, party_size__lte=MAX_PARTY_SIZE),
                name="registration_party_size_in_range",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status=RegistrationStatus.CONFIRMED),
                name="registration_checked_in_is_confirmed",
            ),
            models.CheckConstraint(condition=~Q(email="") & ~Q(name=""), name="registration_named"),
            models.CheckConstraint(
                condition=~Q(name__regex=SINGLE_LINE_PATTERN),
                name="registration_name_one_line",
                violation_error_message=ONE_LINE,
            ),
            models.CheckConstraint(
                condition=Q(manage_token__regex=TOKEN_PATTERN),
                name="registration_manage_token_long",
            ),
            # One place per e-mail address and day, whatever its case.
            models.UniqueConstraint(
                F("day"),
                Lower("email"),
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="registration_once_per_email_and_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.party_size}) for {self.day}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED

    @property
    def is_cancelled(self) -> bool:
        return self.status == RegistrationStatus.CANCELLED
