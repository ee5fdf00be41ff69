"""Decisions already taken: a gesture's approval steps, and what an approver's scope decided."""

from django.db.models import QuerySet

from accounts.models import User
from programs.empowerment.models import ApprovalRequest, ApprovalStatus, Gesture
from programs.empowerment.selectors.approvals import in_scope_of


def approval_steps(gesture: Gesture) -> QuerySet[ApprovalRequest]:
    """Every step of the gesture's approval, first to last, with the people it names."""
    return (
        ApprovalRequest.objects.filter(gesture=gesture)
        .select_related("assignee", "decided_by", "on_behalf_of")
        .order_by("created_at", "id")
    )


def recently_decided(user: User) -> QuerySet[ApprovalRequest]:
    """Steps approved or declined in the person's scope, the latest decision first."""
    return (
        in_scope_of(user)
        .filter(status__in=[ApprovalStatus.APPROVED, ApprovalStatus.DECLINED])
        .select_related("budget_request__budget__programme")
        .order_by("-decided_at", "-id")
    )
