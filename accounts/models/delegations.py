from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def active_on(self, day: date) -> "DelegationQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day, cancelled_at__isnull=True)


class Delegation(models.Model):
    """A manager hands their approvals to another manager for a range of dates (a holiday)."""

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_received"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(delegator=F("delegate")), name="delegation_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.starts_on}–{self.ends_on})"
