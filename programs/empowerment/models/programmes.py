import calendar
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from portal.money import MoneyField
from portal.validators import EARLIEST_DAY, LATEST_DAY, single_line


class Period(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def active(self) -> "ProgrammeQuerySet":
        return self.filter(is_active=True)


class Programme(models.Model):
    """An empowerment programme: one currency, one budget period, and the policy that decides
    which gestures an agent may make without asking."""

    name = models.CharField(max_length=120, unique=True, validators=[single_line])
    currency = models.CharField(max_length=3, default="GBP")
    period = models.CharField(max_length=16, choices=Period.choices, default=Period.MONTHLY)
    gesture_limit = MoneyField(help_text="Largest single gesture an agent may make unasked.")
    agent_allowance = MoneyField(help_text="What one agent may spend per period unasked.")
    allowance_floor = MoneyField(
        default=Decimal("0.00"), help_text="Lowest allowance a manager may set for an agent."
    )
    allowance_ceiling = MoneyField(help_text="Highest allowance a manager may boost an agent to.")
    second_tier_threshold = MoneyField(help_text="Above it a gesture also needs finance.")
    escalate_after_hours = models.PositiveIntegerField(default=24)
    customer_daily_limit = MoneyField(
        help_text="What all agents together may spend on one customer in one day unasked."
    )
    review_sample_percent = models.PositiveSmallIntegerField(
        default=10, help_text="Share of automatically approved gestures finance reviews."
    )
    starts_on = models.DateField(
        null=True,
        blank=True,
        help_text="Its first day: no budget for a period before the one holding it. "
        "Empty: no limit.",
    )
    ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="Its last day: no budget for a period after the one holding it. Empty: no limit.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        db_table = "programs_programme"
        ordering = ["-is_active", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="programme_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values), name="programme_period_valid"
            ),
            models.CheckConstraint(
                condition=Q(gesture_limit__gte=0)
                & Q(agent_allowance__gte=0)
                & Q(second_tier_threshold__gte=0)
                & Q(customer_daily_limit__gte=0)
                & Q(allowance_floor__gte=0),
                name="programme_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(allowance_floor__lte=F("agent_allowance"))
                & Q(agent_allowance__lte=F("allowance_ceiling")),
                name="programme_allowance_within_bounds",
            ),
            models.CheckConstraint(
                condition=Q(review_sample_percent__lte=100), name="programme_sample_percent"
            ),
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_programme"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="programme_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def period_bounds(self, day: date) -> tuple[date, date]:
        """The first and last day of the budget period that contains ``day``."""
        if self.period == Period.QUARTERLY:
            first_month = 3 * ((day.month - 1) // 3) + 1
            last_month = first_month + 2
        else:
            first_month = last_month = day.month
        last_day = calendar.monthrange(day.year, last_month)[1]
        return date(day.year, first_month, 1), date(day.year, last_month, last_day)

    def period_label(self, start: date) -> str:
        """``November 2026``, or ``Q4 2026 (October to December)`` for a quarterly programme."""
        if self.period != Period.QUARTERLY:
            return f"{start:%B %Y}"
        _, end = self.period_bounds(start)
        return f"Q{(start.month - 1) // 3 + 1} {start:%Y} ({start:%B} to {end:%B})"

    def is_period_start(self, day: date) -> bool:
        return self.period_bounds(day)[0] == day

    def period_range(self) -> tuple[date, date]:
        """The first days of its first and last budget periods: those holding its first and
        last day, and never outside the years every date in the portal keeps to."""
        first = max(self.starts_on or EARLIEST_DAY, EARLIEST_DAY)
        last = min(self.ends_on or LATEST_DAY, LATEST_DAY)
        return self.period_bounds(first)[0], self.period_bounds(last)[0]

    def has_period(self, start: date) -> bool:
        first, last = self.period_range()
        return first <= start <= last

    def nearest_period(self, day: date) -> tuple[date, date]:
        """The bounds of the period holding ``day``, or of its first or last period when
        ``day`` lies outside the programme."""
        first, last = self.period_range()
        return self.period_bounds(min(max(day, first), last))

    def policy(self) -> dict:
        """The policy values, as kept in each gesture's snapshot."""
        return {
            "programme": self.pk,
            "currency": self.currency,
            "period": self.period,
            "gesture_limit": str(self.gesture_limit),
            "agent_allowance": str(self.agent_allowance),
            "second_tier_threshold": str(self.second_tier_threshold),
            "escalate_after_hours": self.escalate_after_hours,
            "customer_daily_limit": str(self.customer_daily_limit),
        }


class GestureCategory(models.Model):
    name = models.CharField(max_length=80, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=255, blank=True, validators=[single_line])
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "programs_gesturecategory"
        verbose_name_plural = "gesture categories"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
