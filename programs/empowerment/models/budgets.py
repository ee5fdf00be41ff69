from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q

from portal.money import MoneyField
from portal.validators import TEXT_LIMIT, multi_line


class BudgetQuerySet(models.QuerySet["Budget"]):
    def with_context(self) -> "BudgetQuerySet":
        return self.select_related("team", "programme")

    def for_period(self, *, team_id: int, programme_id: int, day) -> "BudgetQuerySet":
        return self.filter(
            team_id=team_id, programme_id=programme_id, period_start__lte=day, period_end__gte=day
        )


class Budget(models.Model):
    """A team's money for one programme period. Never overspent: the database itself refuses
    ``committed + spent > amount``."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="budgets")
    programme = models.ForeignKey(
        "empowerment.Programme", on_delete=models.PROTECT, related_name="budgets"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    amount = MoneyField()
    committed = MoneyField(default=Decimal("0.00"))
    spent = MoneyField(default=Decimal("0.00"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BudgetQuerySet.as_manager()

    class Meta:
        db_table = "programs_budget"
        ordering = ["-period_start", "team__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "programme", "period_start"], name="budget_one_per_team_period"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(committed__gte=0), name="budget_committed_not_negative"
            ),
            models.CheckConstraint(condition=Q(spent__gte=0), name="budget_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(committed__lte=F("amount") - F("spent")),
                name="budget_never_overspent",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="budget_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.period_start:%b %Y}"

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed - self.spent

    def share(self, part: Decimal) -> int:
        """Percentage of the amount, for budget bars."""
        if not self.amount:
            return 0
        return min(100, round(part * 100 / self.amount))

    @property
    def committed_percent(self) -> int:
        return self.share(self.committed)

    @property
    def spent_percent(self) -> int:
        return self.share(self.spent)


class BudgetRequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class BudgetRequest(models.Model):
    """A manager's request to top up a team budget, for finance to decide."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="requests")
    amount = MoneyField()
    reason = models.TextField(
        max_length=TEXT_LIMIT, validators=[MaxLengthValidator(TEXT_LIMIT), multi_line]
    )
    status = models.CharField(
        max_length=16, choices=BudgetRequestStatus.choices, default=BudgetRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="budget_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "programs_budgetrequest"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_request_positive"),
            models.CheckConstraint(
                condition=Q(status__in=BudgetRequestStatus.values),
                name="budget_request_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Top-up of {self.amount} for {self.budget}"
