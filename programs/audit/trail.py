"""The audit trail: one entry for every state change of money, approval, role or registration.

Services call :func:`record` inside their own transaction, so the entry exists exactly when the
change does, and as the transaction's last write: appends to the chain are serialised by the
last lock of the lock order (portal/locking.py), held until commit, so concurrent writers
never fork it. Each entry is signed with the audit key (see ``AuditEntry``); :func:`verify_chain`
recomputes the chain and holds it against the signed checkpoints kept outside the database
(``programs.audit.checkpoints``), so that neither a rewritten entry nor entries cut from the end
pass unnoticed.
"""

import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from portal import locking
from programs.audit import checkpoint_log, keys
from programs.audit.checkpoint_log import Checkpoint
from programs.audit.models import GENESIS_HASH, AuditEntry


class AuditAction(StrEnum):
    GESTURE_LOGGED = "gesture.logged"
    GESTURE_WITHDRAWN = "gesture.withdrawn"
    GESTURE_OUTCOME_RECORDED = "gesture.outcome_recorded"
    BUDGET_ALLOCATED = "budget.allocated"
    BUDGET_CHANGED = "budget.changed"
    BUDGET_TOPUP_REQUESTED = "budget.topup_requested"
    ALLOWANCE_SET = "allowance.set"
    PROGRAMME_CREATED = "programme.created"
    PROGRAMME_UPDATED = "programme.updated"
    APPROVAL_APPROVED = "approval.approved"
    APPROVAL_DECLINED = "approval.declined"
    APPROVAL_ESCALATED = "approval.escalated"
    APPROVAL_REASSIGNED = "approval.reassigned"
    DELEGATION_CREATED = "delegation.created"
    DELEGATION_CANCELLED = "delegation.cancelled"
    PERSON_DEACTIVATED = "person.deactivated"
    PERSON_CREATED = "person.created"
    PERSON_UPDATED = "person.updated"
    PERSON_PASSWORD_SET = "person.password_set"  # noqa: S105 — an action name, not a secret
    PERSON_REACTIVATED = "person.reactivated"
    PERSON_INVITED = "person.invited"
    PERSON_INVITATION_REVOKED = "person.invitation_revoked"
    PERSON_INVITATION_ACCEPTED = "person.invitation_accepted"
    PEOPLE_IMPORTED = "people.imported"
    PROVISIONING_TOKEN_CREATED = "provisioning_token.created"  # noqa: S105 — an action name
    PROVISIONING_TOKEN_REVOKED = "provisioning_token.revoked"  # noqa: S105 — an action name
    PERSONAL_TOKEN_CREATED = "personal_token.created"  # noqa: S105 — an action name
    PERSONAL_TOKEN_REVOKED = "personal_token.revoked"  # noqa: S105 — an action name
    PERSON_SIGNED_OUT_EVERYWHERE = "person.signed_out_everywhere"
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
    STORY_HIDDEN = "story.hidden"
    STORY_SHOWN = "story.shown"
    STORY_THANKED = "story.thanked"
    STORY_THANKS_WITHDRAWN = "story.thanks_withdrawn"


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
        key_id=keys.current_key_id(),
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    """What verification found. ``entries`` is how many were read before it stopped;
    ``unkeyed`` how many of them were written before the chain was keyed; ``last_checkpoint`` the
    seq of the newest valid checkpoint held against the chain."""

    ok: bool
    entries: int
    first_broken_seq: int | None
    problem: str | None = None
    unkeyed: int = 0
    last_checkpoint: int | None = None


def verify_chain(*, checkpoint_files: Iterable[Path] = ()) -> ChainReport:
    """Recompute every hash in order and hold the chain against every checkpoint; name the
    first problem.

    The checkpoints come from ``settings.AUDIT_CHECKPOINT_FILE`` and ``checkpoint_files``
    (e.g. lines collected from the checkpoint e-mails). A line whose signature does not verify
    is a problem in itself: it is reported before anything else, since it means someone is
    writing checkpoints without the key.
    """
    log = checkpoint_log.read([settings.AUDIT_CHECKPOINT_FILE, *checkpoint_files])
    latest = log.latest.seq if log.latest else None
    if log.refused:
        return ChainReport(
            ok=False,
            entries=0,
            first_broken_seq=None,
            problem=log.refused[0].problem,
            last_checkpoint=latest,
        )
    walk = ChainWalk(checkpoints=log.checkpoints)
    return walk.run(AuditEntry.objects.order_by("seq"), last_checkpoint=latest)


def verify_since(checkpoint: Checkpoint | None) -> ChainReport:
    """Verify what was added after ``checkpoint``: the entry it names must still be there with
    the same hash, and the entries after it must chain from it. What the checkpoint job runs
    before anchoring a new head; without a checkpoint, or when the one given no longer holds,
    it walks the whole chain, so that the first problem is named as ``verify_chain`` names it.
    """
    everything = AuditEntry.objects.order_by("seq")
    latest = checkpoint.seq if checkpoint else None
    anchor = AuditEntry.objects.filter(seq=checkpoint.seq).first() if checkpoint else None
    if anchor is None or not hmac.compare_digest(anchor.hash, checkpoint.hash):
        walk = ChainWalk(checkpoints=[checkpoint] if checkpoint else [])
        return walk.run(everything, last_checkpoint=latest)
    walk = ChainWalk(checkpoints=[checkpoint], after=anchor)
    return walk.run(everything.filter(seq__gt=anchor.seq), last_checkpoint=latest)


class ChainWalk:
    """Checks entries one by one, in order, from the genesis or from an entry already trusted."""

    def __init__(
        self, *, checkpoints: Iterable[Checkpoint] = (), after: AuditEntry | None = None
    ) -> None:
        self.expected_seq = after.seq + 1 if after else 1
        self.expected_prev = after.hash if after else GENESIS_HASH
        self.keyed_seen = bool(after and after.keyed)
        self.entries = 0
        self.unkeyed = 0
        self.checkpoints: dict[int, list[Checkpoint]] = {}
        for checkpoint in checkpoints:
            self.checkpoints.setdefault(checkpoint.seq, []).append(checkpoint)

    def run(self, entries, *, last_checkpoint: int | None) -> ChainReport:
        for entry in entries.iterator(chunk_size=2000):
            problem = self.step(entry)
            if problem:
                return self.broken(entry.seq, problem, last_checkpoint)
        last_seq = self.expected_seq - 1
        beyond = [c for seq, found in self.checkpoints.items() if seq > last_seq for c in found]
        if beyond:
            # The table ends before a checkpoint: entries were cut from the end.
            furthest = max(beyond, key=lambda checkpoint: checkpoint.seq)
            missing = (
                f"entries after #{last_seq} are missing" if last_seq else "every entry is missing"
            )
            return self.broken(
                last_seq + 1,
                f"{missing} ({furthest.described} saw #{furthest.seq})",
                last_checkpoint,
            )
        return ChainReport(
            ok=True,
            entries=self.entries,
            first_broken_seq=None,
            unkeyed=self.unkeyed,
            last_checkpoint=last_checkpoint,
        )

    def step(self, entry: AuditEntry) -> str | None:
        """What is wrong with this entry, or None (and it becomes the one the next must follow)."""
        self.entries += 1
        if entry.seq != self.expected_seq:
            return f"sequence jumps from {self.expected_seq - 1} to {entry.seq}"
        if entry.prev_hash != self.expected_prev:
            return "its previous hash does not match the entry before it"
        if not entry.keyed:
            if self.keyed_seen:
                # Otherwise anyone could rewrite an entry as "unkeyed" with a plain SHA-256.
                return "it is unkeyed, but an entry before it is keyed (a downgrade)"
            self.unkeyed += 1
        elif not keys.is_configured(entry.key_id):
            return f"it is signed with the audit key {entry.key_id!r}, which is not configured"
        else:
            self.keyed_seen = True
        if not hmac.compare_digest(entry.compute_hash(), entry.hash):
            return "its content does not match its hash"
        for checkpoint in self.checkpoints.get(entry.seq, ()):
            if not hmac.compare_digest(checkpoint.hash, entry.hash):
                return self.mismatch(entry.seq, checkpoint)
        self.expected_prev = entry.hash
        self.expected_seq += 1
        return None

    @staticmethod
    def mismatch(seq: int, checkpoint: Checkpoint) -> str:
        return (
            f"entry #{seq} does not match {checkpoint.described}: it, or an entry before it, "
            "was rewritten and the hashes after it recomputed"
        )

    def broken(self, seq: int, problem: str, last_checkpoint: int | None) -> ChainReport:
        return ChainReport(
            ok=False,
            entries=self.entries,
            first_broken_seq=seq,
            problem=problem,
            unkeyed=self.unkeyed,
            last_checkpoint=last_checkpoint,
        )
