"""Steps that move without a decision: escalated to finance when left undecided, reassigned
when their approver is away or leaves."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from portal import locking
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.models import (
    ApprovalLevel,
    ApprovalRequest,
    ApprovalStatus,
    Gesture,
)
from programs.empowerment.selectors.approvals import approvers_for
from programs.empowerment.services.approval_asks import announce_step, settle_asks
from programs.empowerment.services.approvals import open_step, team_approver


def escalate_overdue(*, now: datetime | None = None) -> int:
    """Move every manager step still undecided after the programme's hours to finance.

    Idempotent: an escalated step is no longer pending, so running it again changes nothing.
    """
    now = now or timezone.now()
    overdue = ApprovalRequest.objects.pending().filter(level=ApprovalLevel.MANAGER, due_at__lte=now)
    escalated = 0
    for step_id, gesture_id in overdue.values_list("pk", "gesture_id"):
        with transaction.atomic():
            # The gesture before its step, as in decide_approval(): the successor step points to the
            # gesture, and checking that takes a lock on the gesture's row.
            if gesture_id is not None:
                locking.lock_row(Gesture.objects, gesture_id)
            step = locking.lock_row(ApprovalRequest.objects.select_related("team"), step_id)
            if step.status != ApprovalStatus.PENDING or step.due_at > now:
                continue
            hours = round((now - step.created_at).total_seconds() / 3600)
            step.status = ApprovalStatus.ESCALATED
            step.decided_at = now
            step.note = f"Not decided within {hours} hours; escalated to finance."
            step.save(update_fields=["status", "decided_at", "note"])
            successor = open_step(
                kind=step.kind,
                gesture_id=step.gesture_id,
                budget_request_id=step.budget_request_id,
                level=ApprovalLevel.FINANCE,
                team=step.team,
                amount=step.amount,
                requested_by=step.requested_by,
                note=f"Escalated: {step.team}'s managers did not decide within {hours} hours.",
                due_at=now + (step.due_at - step.created_at),
            )
            settle_asks(step, resolution=f"Escalated to finance after {hours} hours", now=now)
            trail.record(
                action=AuditAction.APPROVAL_ESCALATED,
                actor=None,
                subject=step,
                data={"to": successor.pk, "level": successor.level, "overdue_since": step.due_at},
            )
            escalated += 1
    return escalated


def reassign_from(
    *, person: User, reason: str, day: date, actor: User | None, to: User | None = None
) -> int:
    """Visibly move the person's open manager steps to ``to`` (a delegate), or else to another
    manager of the team, or else to finance, so that nothing is left stuck.

    One transaction (or part of the caller's): every step locked first, in primary-key order,
    and their audit entries written together at the end.
    """
    with transaction.atomic():
        moved = move_steps(person=person, reason=reason, day=day, to=to)
        record_moves(moved, person=person, actor=actor)
    return len(moved)


def move_steps(
    *, person: User, reason: str, day: date, to: User | None = None
) -> list[ApprovalRequest]:
    """The work of :func:`reassign_from` without its audit entries, for a caller that has its
    own entry to write first; it then calls :func:`record_moves`. Call inside a transaction."""
    waiting = ApprovalRequest.objects.pending().filter(assignee=person, level=ApprovalLevel.MANAGER)
    steps = locking.lock_rows(
        ApprovalRequest.objects.select_related("team"), waiting.values_list("pk", flat=True)
    )
    moved = []
    for step in steps:
        if step.status != ApprovalStatus.PENDING or step.assignee_id != person.pk:
            continue
        successor = to if to is not None and to.pk != step.requested_by_id else None
        if successor is None:
            successor, _ = team_approver(
                team_id=step.team_id, exclude=step.requested_by_id, day=day, skip=person.pk
            )
        if successor is None:
            step.level = ApprovalLevel.FINANCE
            step.assignee = None
            step.note = f"{reason} No other manager of {step.team} can decide it: sent to finance."
        else:
            step.assignee = successor
            step.note = f"{reason} Reassigned from {person} to {successor}."
        step.save(update_fields=["level", "assignee", "note"])
        settle_asks(
            step,
            resolution=f"Reassigned to {successor}" if successor else "Sent to finance",
            keep=[approver.pk for approver in approvers_for(step)],
        )
        announce_step(step)
        moved.append(step)
    return moved


def record_moves(moved: list[ApprovalRequest], *, person: User, actor: User | None) -> None:
    """The audit entries of :func:`move_steps`, written after the transaction's last row lock."""
    for step in moved:
        trail.record(
            action=AuditAction.APPROVAL_REASSIGNED,
            actor=actor,
            subject=step,
            data={
                "from": person.pk,
                "to": step.assignee_id,
                "level": step.level,
                "note": step.note,
            },
        )
