"""Programmes, budgets, gestures, allowances and the approvals that decide them."""

from programs.empowerment.models.allowances import AllowanceOverride
from programs.empowerment.models.approvals import (
    ApprovalKind,
    ApprovalLevel,
    ApprovalRequest,
    ApprovalStatus,
    DecisionOutcome,
    GestureReview,
    ReviewStatus,
)
from programs.empowerment.models.budgets import Budget, BudgetRequest, BudgetRequestStatus
from programs.empowerment.models.gestures import (
    CHOOSE_CATEGORY,
    CHOOSE_CHANNEL,
    CUSTOMER_NAME_LIMIT,
    CUSTOMER_REF_LIMIT,
    Channel,
    Flag,
    Gesture,
    GestureStatus,
    OutcomeRating,
)
from programs.empowerment.models.programmes import GestureCategory, Period, Programme

__all__ = [
    "CHOOSE_CATEGORY",
    "CHOOSE_CHANNEL",
    "CUSTOMER_NAME_LIMIT",
    "CUSTOMER_REF_LIMIT",
    "AllowanceOverride",
    "ApprovalKind",
    "ApprovalLevel",
    "ApprovalRequest",
    "ApprovalStatus",
    "Budget",
    "BudgetRequest",
    "BudgetRequestStatus",
    "Channel",
    "DecisionOutcome",
    "Flag",
    "Gesture",
    "GestureCategory",
    "GestureReview",
    "GestureStatus",
    "OutcomeRating",
    "Period",
    "Programme",
    "ReviewStatus",
]
