"""The domain models: programmes, budgets, gestures, approvals, audit, appreciation days."""

from programs.models.allowances import AllowanceOverride
from programs.models.approvals import (
    ApprovalKind,
    ApprovalLevel,
    ApprovalRequest,
    ApprovalStatus,
    GestureReview,
    ReviewStatus,
)
from programs.models.audit import AuditEntry
from programs.models.budgets import Budget, BudgetRequest, BudgetRequestStatus
from programs.models.days import (
    AppreciationDay,
    DayStatus,
    Invitation,
    Registration,
    RegistrationClosed,
    RegistrationStatus,
    Shift,
    ShiftSignup,
)
from programs.models.gestures import Channel, Flag, Gesture, GestureStatus, OutcomeRating
from programs.models.notifications import DeliveryStatus, Notification
from programs.models.programmes import GestureCategory, Period, Programme

__all__ = [
    "AllowanceOverride",
    "AppreciationDay",
    "ApprovalKind",
    "ApprovalLevel",
    "ApprovalRequest",
    "ApprovalStatus",
    "AuditEntry",
    "Budget",
    "BudgetRequest",
    "BudgetRequestStatus",
    "Channel",
    "DayStatus",
    "DeliveryStatus",
    "Flag",
    "Gesture",
    "GestureCategory",
    "GestureReview",
    "GestureStatus",
    "Invitation",
    "Notification",
    "OutcomeRating",
    "Period",
    "Programme",
    "Registration",
    "RegistrationClosed",
    "RegistrationStatus",
    "ReviewStatus",
    "Shift",
    "ShiftSignup",
]
