"""The audit trail: one entry for every state change of money, approval, role or registration.

Services call :func:`record` inside their own transaction, so the entry exists exactly when the
change does, and as the transaction's last write: appends to the chain are serialised by the
last lock of the lock order (programs/locking.py), held until commit, so concurrent writers
never fork it; :func:`verify_chain` recomputes it.
"""

import json
from dataclasses import dataclass
from enum import StrEnum

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from programs import locking
from programs.models import AuditEntry
from programs.models.audit import GENESIS_HASH


class AuditAction(StrEnum):
    GESTURE_LOGGED = "gesture.logged"
    GESTURE_WITHDRAWN = "gesture.withdrawn"
    GESTURE_OUTCOME_RECORDED = "gesture.outcome_recorded"
    BUDGET_ALLOCATED = "budget.allocated"
    BUDGET_CHANGED = "budget.changed"
    BUDGET_TOPUP_REQUESTED = "budget.topup_requested"
    ALLOWANCE_SET = "allowance.set"
    APPROVAL_APPROVED = "approval.approved"
    APPROVAL_DECLINED = "approval.declined"
    APPROVAL_ESCALATED = "approval.escalated"
    APPROVAL_REASSIGNED = "approval.reassigned"
    DELEGATION_CREATED = "delegation.created"
    DELEGATION_CANCELLED = "delegation.cancelled"
    PERSON_DEACTIVATED = "person.deactivated"
    ROLE_GRANTED = "role.granted"
    ROLE_REVOKED = "role.revoked"
    MEMBERSHIP_CHANGED = "membership.changed"
    REVIEW_OPENED = "review.opened"
    REVIEW_COMPLETED = "review.completed"
    DAY_CREATED = "day.created"
    DAY_UPDATED = "day.updated"
    DAY_PUBLISHED = "day.published"
    DAY_CANCELLED = "day.cancelled"
    DAY_COMPLETED = "day.completed"
    DAY_ORGANISER_ADDED = "day.organiser_added"
    SHIFT_CREATED = "shift.created"
    SHIFT_SIGNED_UP = "shift.signed_up"
    SHIFT_LEFT = "shift.left"
    INVITATION_CREATED = "invitation.created"
    INVITATION_REVOKED = "invitation.revoked"
    REGISTRATION_CREATED = "registration.created"
    REGISTRATION_CANCELLED = "registration.cancelled"
    REGISTRATION_PROMOTED = "registration.promoted"
    REGISTRATION_CHECKED_IN = "registration.checked_in"
    REGISTRATIONS_ANONYMISED = "registrations.anonymised"


def record(
    *,
    action: AuditAction,
    actor,
    subject: models.Model,
    data: dict,
    on_behalf_of=None,
) -> AuditEntry:
    """Append one entry to the chain. Call it inside the transaction of the change, after its
    last row lock and its last other write (several entries: all together, at the end)."""
    locking.lock_audit_chain(people=[getattr(actor, "pk", None), getattr(on_behalf_of, "pk", None)])
    last = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
    entry = AuditEntry(
        seq=(last["seq"] + 1) if last else 1,
        at=timezone.now(),
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action.value,
        subject_type=subject._meta.model_name,
        subject_id=str(subject.pk),
        # Stored as it will read back from the database, so the hash recomputes exactly.
        data=json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
        prev_hash=last["hash"] if last else GENESIS_HASH,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_broken_seq: int | None
    problem: str | None = None


def verify_chain() -> ChainReport:
    """Recompute every hash in order; name the first entry that does not match its record."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        problem = None
        if entry.seq != expected_seq:
            problem = f"sequence jumps from {expected_seq - 1} to {entry.seq}"
        elif entry.prev_hash != expected_prev:
            problem = "its previous hash does not match the entry before it"
        elif entry.compute_hash() != entry.hash:
            problem = "its content does not match its hash"
        if problem:
            return ChainReport(ok=False, entries=count, first_broken_seq=entry.seq, problem=problem)
        expected_prev = entry.hash
        expected_seq += 1
    return ChainReport(ok=True, entries=count, first_broken_seq=None)
