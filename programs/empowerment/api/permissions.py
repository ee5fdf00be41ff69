"""Who may call which empowerment endpoint, asked of ``accounts.permissions``."""

from rest_framework.permissions import BasePermission
from typing_extensions import override

from accounts.permissions import Access, api_capability
from programs.empowerment.models import Gesture

CanLogGestures = api_capability(Access.can_log_gestures, "log gestures")
CanSeeBudgets = api_capability(Access.can_view_budgets, "manage a team or allocate budgets")
CanAllocateBudgets = api_capability(Access.can_allocate_budgets, "allocate budgets")
CanRequestTopups = api_capability(Access.can_request_topups, "manage a team")
CanApprove = api_capability(Access.can_approve, "manage a team or work in finance")
CanDelegate = api_capability(Access.can_delegate, "manage a team")
CanReviewGestures = api_capability(Access.can_review_gestures, "work in finance")


class IsTheGesturesAgent(BasePermission):
    """Only the agent who logged a gesture changes it; others who may see it get a 403."""

    message = "Only the agent who logged this gesture may do this."

    @override
    def has_object_permission(self, request, view, obj: Gesture) -> bool:
        return obj.agent_id == request.user.pk
