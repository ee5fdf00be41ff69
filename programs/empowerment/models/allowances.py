from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.money import MoneyField


class AllowanceOverride(models.Model):
    """A manager's change to one agent's allowance for one period, with the reason.

    Rows are never edited: a new decision is a new row, so every reason is kept. The latest row
    for an agent and period is the one in force.
    """

    programme = models.ForeignKey(
        "empowerment.Programme", on_delete=models.PROTECT, related_name="allowance_overrides"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="allowance_overrides"
    )
    period_start = models.DateField()
    amount = MoneyField()
    reason = models.CharField(max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programs_allowanceoverride"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "agent", "period_start", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="allowance_not_negative"),
            models.CheckConstraint(condition=~Q(reason=""), name="allowance_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.agent}: {self.amount} from {self.period_start}"
