"""Telling approvers a step waits for them, settling what they were told once it no longer
does, and telling the requester the answer."""

from datetime import datetime

from programs.empowerment import notices
from programs.empowerment.models import (
    ApprovalRequest,
    Gesture,
)
from programs.empowerment.selectors.approvals import approvers_for
from programs.notifications.models import Notification
from programs.notifications.services import notify, resolve_notifications


def announce_step(step: ApprovalRequest) -> None:
    """Tell the people who can now decide a step that it waits for them."""
    # A step can come back to someone asked before (their delegate left): that is a new ask,
    # not the first one, which was settled when the step moved on. The asks settled so far
    # tell the two apart; announcing the same ask again (a retried job) still adds nothing.
    settled = Notification.objects.filter(
        kind="approval_requested",
        subject_type=ApprovalRequest._meta.model_name,
        subject_id=str(step.pk),
        resolved_at__isnull=False,
    ).count()
    notify(
        notice=notices.approval_requested(step),
        recipients=approvers_for(step),
        subject=step,
        event=f"{step.level}:{step.assignee_id or 'all'}:{step.status}:{settled}",
    )


def settle_asks(
    step: ApprovalRequest,
    *,
    resolution: str,
    keep: list[int] | None = None,
    now: datetime | None = None,
) -> None:
    """The step no longer waits for the people told "Approval needed" (but those in ``keep``):
    their notifications say so, and stop counting as new. Call inside the step's transaction.

    Recorded here, by the services that settle a step, rather than worked out when the bell is
    read: the bell's count is asked by every open page every few seconds, so it must stay one
    indexed query on the notification table alone, whatever a notification is about; and only
    the service knows in words what happened (who decided, for whom, that it moved to a
    delegate), which the step's row no longer shows once it changes again. Every change of a
    step's status or approver is in this module, and each calls this.
    """
    resolve_notifications(
        kind="approval_requested", subject=step, resolution=resolution, keep=keep or (), now=now
    )


def announce_decision(step: ApprovalRequest, *, gesture: Gesture | None, approved: bool) -> None:
    """Tell the requester the final answer, with the approver's reason."""
    verdict = "approved" if approved else "declined"
    notify(
        notice=notices.request_decided(step, gesture=gesture, verdict=verdict),
        recipients=[step.requested_by],
        subject=step,
        event=verdict,
    )
