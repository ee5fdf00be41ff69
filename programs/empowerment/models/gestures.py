from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q

from portal.money import MoneyField
from portal.validators import (
    NOT_ALLOWED,
    ONE_LINE,
    REFERENCE_PATTERN,
    SINGLE_LINE_PATTERN,
    TEXT_LIMIT,
    multi_line,
    reference,
    single_line,
)

TEXT = [MaxLengthValidator(TEXT_LIMIT), multi_line]
# The limits the form, the API and the service all apply (with the text rules of
# portal/validators.py), so a value one accepts the others accept too.
CUSTOMER_REF_LIMIT = 64
CUSTOMER_NAME_LIMIT = 150
CHOOSE_CATEGORY = "Choose one of the listed categories."
CHOOSE_CHANNEL = "Choose a channel."


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    CHAT = "chat", "Chat"
    IN_PERSON = "in_person", "In person"
    SOCIAL = "social", "Social media"
    OTHER = "other", "Other"


class GestureStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    PENDING = "pending", "Waiting for approval"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class OutcomeRating(models.TextChoices):
    DELIGHTED = "delighted", "Delighted"
    SATISFIED = "satisfied", "Satisfied"
    NEUTRAL = "neutral", "Neutral"
    UNHAPPY = "unhappy", "Unhappy"


class Flag(models.TextChoices):
    OVER_BUDGET = "over_budget", "Over budget"
    POSSIBLE_DUPLICATE = "possible_duplicate", "Possible duplicate"


class GestureQuerySet(models.QuerySet["Gesture"]):
    def with_context(self) -> "GestureQuerySet":
        return self.select_related("agent", "team", "programme", "category")

    def of_agent(self, user) -> "GestureQuerySet":
        return self.filter(agent=user)

    def of_teams(self, team_ids) -> "GestureQuerySet":
        return self.filter(team_id__in=team_ids)

    def pending(self) -> "GestureQuerySet":
        return self.filter(status=GestureStatus.PENDING)

    def live(self) -> "GestureQuerySet":
        """Gestures that still count against money: approved, or waiting for a decision."""
        return self.filter(status__in=[GestureStatus.APPROVED, GestureStatus.PENDING])


class Gesture(models.Model):
    """Something an agent did for a customer, and what it cost.

    Its status is decided when it is logged, from the policy then in force; the values that
    decided it are kept in ``policy_snapshot`` so a later change of policy never rewrites it.
    """

    programme = models.ForeignKey(
        "empowerment.Programme", on_delete=models.PROTECT, related_name="gestures"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gestures"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="gestures")
    budget = models.ForeignKey(
        "empowerment.Budget",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gestures",
    )
    category = models.ForeignKey(
        "empowerment.GestureCategory", on_delete=models.PROTECT, related_name="gestures"
    )
    customer_ref = models.CharField(
        "customer reference", max_length=CUSTOMER_REF_LIMIT, validators=[reference]
    )
    customer_key = models.CharField(max_length=CUSTOMER_REF_LIMIT, editable=False, db_index=True)
    customer_name = models.CharField(
        max_length=CUSTOMER_NAME_LIMIT, blank=True, validators=[single_line]
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    situation = models.TextField("the customer's situation", max_length=TEXT_LIMIT, validators=TEXT)
    action = models.TextField("what you did", max_length=TEXT_LIMIT, validators=TEXT)
    outcome = models.TextField(max_length=TEXT_LIMIT, blank=True, validators=TEXT)
    outcome_rating = models.CharField(max_length=16, choices=OutcomeRating.choices, blank=True)
    cost = MoneyField()
    currency = models.CharField(max_length=3)
    occurred_on = models.DateField("date it happened")
    status = models.CharField(max_length=16, choices=GestureStatus.choices)
    committed_amount = MoneyField(
        default=Decimal("0.00"), help_text="What this gesture holds reserved in its budget."
    )
    over_budget = models.BooleanField(default=False)
    # The agent keeps the story off the wall (a bereavement, anything sensitive).
    keep_private = models.BooleanField(default=False)
    possible_duplicate = models.BooleanField(default=False)
    policy_snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(
        max_length=TEXT_LIMIT,
        blank=True,
        help_text="The approver's comment or reason for declining.",
    )

    objects = GestureQuerySet.as_manager()

    class Meta:
        db_table = "programs_gesture"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agent", "occurred_on"]),
            models.Index(fields=["team", "status", "-created_at"]),
            models.Index(fields=["customer_key", "occurred_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="gesture_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=GestureStatus.values), name="gesture_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="gesture_channel_valid"
            ),
            # References and names go into e-mail headers, CSV cells and calendar files.
            models.CheckConstraint(
                condition=~Q(customer_ref__regex=REFERENCE_PATTERN),
                name="gesture_customer_ref_plain",
                violation_error_message=NOT_ALLOWED,
            ),
            models.CheckConstraint(
                condition=~Q(customer_name__regex=SINGLE_LINE_PATTERN),
                name="gesture_customer_name_one_line",
                violation_error_message=ONE_LINE,
            ),
            models.CheckConstraint(
                condition=Q(outcome_rating__in=[*OutcomeRating.values, ""]),
                name="gesture_rating_valid",
            ),
            # Only a pending gesture holds money reserved, and never more than it costs.
            models.CheckConstraint(
                condition=Q(committed_amount=0)
                | (Q(status=GestureStatus.PENDING) & Q(committed_amount=F("cost"))),
                name="gesture_commitment_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(over_budget=False) | Q(committed_amount=0),
                name="gesture_over_budget_commits_nothing",
            ),
            models.CheckConstraint(
                condition=Q(cost=0) | Q(budget__isnull=False) | ~Q(status=GestureStatus.APPROVED),
                name="gesture_paid_approval_has_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} for {self.customer_ref} ({self.cost} {self.currency})"

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.over_budget:
            flags.append(Flag.OVER_BUDGET.value)
        if self.possible_duplicate:
            flags.append(Flag.POSSIBLE_DUPLICATE.value)
        return flags

    @property
    def is_pending(self) -> bool:
        return self.status == GestureStatus.PENDING
