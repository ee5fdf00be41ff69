from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.money import MoneyField
from portal.validators import TEXT_LIMIT


class ApprovalKind(models.TextChoices):
    GESTURE = "gesture", "Gesture"
    BUDGET_REQUEST = "budget_request", "Budget top-up"


class ApprovalLevel(models.IntegerChoices):
    MANAGER = 1, "Team manager"
    FINANCE = 2, "Finance"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    ESCALATED = "escalated", "Escalated"
    CANCELLED = "cancelled", "Cancelled"


class DecisionOutcome(StrEnum):
    """What a decision did; recorded as such in its audit entry."""

    GESTURE_APPROVED = "gesture approved"
    GESTURE_DECLINED = "gesture declined"
    SENT_TO_FINANCE = "sent to finance"
    TOPUP_APPROVED = "top-up approved"
    TOPUP_DECLINED = "top-up declined"


class ApprovalRequestQuerySet(models.QuerySet["ApprovalRequest"]):
    def pending(self) -> "ApprovalRequestQuerySet":
        return self.filter(status=ApprovalStatus.PENDING)

    def with_context(self) -> "ApprovalRequestQuerySet":
        return self.select_related(
            "team",
            "assignee",
            "requested_by",
            "decided_by",
            "on_behalf_of",
            "gesture__category",
            "gesture__agent",
            "gesture__budget",
            "budget_request__budget__team",
        )


class ApprovalRequest(models.Model):
    """One step of a decision: a team manager (level 1) or finance (level 2) approves or
    declines a waiting gesture or a manager's budget top-up."""

    # The audit trail shows a step's entries among its gesture's or top-up's.
    audited_as_part_of = ("gesture", "budget_request")

    kind = models.CharField(max_length=16, choices=ApprovalKind.choices)
    gesture = models.ForeignKey(
        "empowerment.Gesture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    budget_request = models.ForeignKey(
        "empowerment.BudgetRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    level = models.PositiveSmallIntegerField(choices=ApprovalLevel.choices)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a manager's step, the team whose managers decide.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_approvals",
        help_text="The person expected to decide; shown in the inbox and moved when they are away.",
    )
    amount = MoneyField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    note = models.CharField(
        max_length=500, blank=True, help_text="Why it is where it is: reassigned, escalated."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(max_length=TEXT_LIMIT, blank=True)

    objects = ApprovalRequestQuerySet.as_manager()

    class Meta:
        db_table = "programs_approvalrequest"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "level", "team", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=ApprovalKind.GESTURE, gesture__isnull=False, budget_request__isnull=True)
                    | Q(
                        kind=ApprovalKind.BUDGET_REQUEST,
                        gesture__isnull=True,
                        budget_request__isnull=False,
                    )
                ),
                name="approval_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApprovalStatus.values), name="approval_status_valid"
            ),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="approval_level_valid"),
            models.CheckConstraint(
                condition=~Q(level=1) | Q(team__isnull=False), name="approval_manager_step_team"
            ),
            # A decline always carries its reason.
            models.CheckConstraint(
                condition=~Q(status=ApprovalStatus.DECLINED) | ~Q(comment=""),
                name="approval_decline_has_reason",
            ),
            # Nobody decides their own request.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="approval_not_self_decided",
            ),
            # At most one open step per subject: two approvers can never both be asked.
            models.UniqueConstraint(
                fields=["gesture"],
                condition=Q(status=ApprovalStatus.PENDING, gesture__isnull=False),
                name="approval_one_pending_per_gesture",
            ),
            models.UniqueConstraint(
                fields=["budget_request"],
                condition=Q(status=ApprovalStatus.PENDING, budget_request__isnull=False),
                name="approval_one_pending_per_budget_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.subject_id} at level {self.level}"

    @property
    def subject_id(self) -> int:
        return self.gesture_id or self.budget_request_id

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "To review"
    REVIEWED = "reviewed", "Reviewed, fine"
    CONCERN = "concern", "Concern raised"


class GestureReview(models.Model):
    """An automatically approved gesture picked at random for finance to look at."""

    # The audit trail shows a review's entries among its gesture's (programs/audit/selectors.py).
    audited_as_part_of = ("gesture",)

    gesture = models.OneToOneField(
        "empowerment.Gesture", on_delete=models.PROTECT, related_name="review"
    )
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(max_length=TEXT_LIMIT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programs_gesturereview"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.CONCERN) | ~Q(note=""),
                name="review_concern_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of gesture #{self.gesture_id}"
