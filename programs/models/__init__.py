"""The domain models: programmes, budgets, gestures, approvals, audit, appreciation days."""

from programs.models.allowances import AllowanceOverride
from programs.models.audit import AuditEntry
from programs.models.budgets import Budget, BudgetRequest, BudgetRequestStatus
from programs.models.gestures import Channel, Flag, Gesture, GestureStatus, OutcomeRating
from programs.models.programmes import GestureCategory, Period, Programme

__all__ = [
    "AllowanceOverride",
    "AuditEntry",
    "Budget",
    "BudgetRequest",
    "BudgetRequestStatus",
    "Channel",
    "Flag",
    "Gesture",
    "GestureCategory",
    "GestureStatus",
    "OutcomeRating",
    "Period",
    "Programme",
]
