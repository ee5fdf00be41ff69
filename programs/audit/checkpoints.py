"""Anchoring the audit chain's head outside the database (see ``programs.audit.checkpoints``).

:func:`checkpoint_audit` runs periodically (Celery beat) and as ``manage.py checkpoint_audit``.
It verifies what was added since the last checkpoint, appends the signed head to the checkpoint
file (fsynced before it returns) and queues the same line by e-mail to
``settings.AUDIT_CHECKPOINT_EMAILS`` through the outbox.

Idempotent: when the head has not moved since the last checkpoint, nothing is written. The
e-mail of the newest checkpoint is queued on every run, but the outbox keys it by the head, so
it goes once per recipient; asking again only repairs a run that stopped between writing the
file and queueing the e-mail.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from programs.audit import checkpoint_log, notices
from programs.audit.checkpoint_log import Checkpoint
from programs.audit.models import AuditEntry
from programs.audit.trail import ChainReport, verify_since
from programs.notifications.services import notify

log = logging.getLogger(__name__)


class ChainBroken(Exception):
    """The chain does not verify, so its head is not anchored: a checkpoint would vouch for it."""

    def __init__(self, report: ChainReport):
        self.report = report
        where = f"entry #{report.first_broken_seq}" if report.first_broken_seq else "the chain"
        super().__init__(f"Audit chain broken at {where}: {report.problem}")


@dataclass(frozen=True)
class CheckpointResult:
    checkpoint: Checkpoint | None
    written: bool


def checkpoint_audit(*, now: datetime | None = None) -> CheckpointResult:
    """Anchor the chain's current head; ``ChainBroken`` (and nothing written) if it is broken."""
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    with checkpoint_log.appending(path) as checkpoint_file:
        for refused in checkpoint_file.log.refused:
            # Not fatal here: the valid lines still anchor, and verify_audit reports it.
            log.error("Audit checkpoint file: %s", refused.problem)
        last = checkpoint_file.log.latest
        head = AuditEntry.objects.order_by("-seq").first()
        if head is None and last is None:
            return CheckpointResult(checkpoint=None, written=False)
        if head is not None and last is not None and (head.seq, head.hash) == (last.seq, last.hash):
            checkpoint, written = last, False
        else:
            report = verify_since(last)
            if not report.ok:
                log.error("Audit chain not anchored: %s", report.problem)
                raise ChainBroken(report)
            checkpoint = Checkpoint.sign(seq=head.seq, hash=head.hash, at=now or timezone.now())
            checkpoint_file.append(checkpoint)
            written = True
    _send(checkpoint, head)
    return CheckpointResult(checkpoint=checkpoint, written=written)


def _send(checkpoint: Checkpoint, head: AuditEntry) -> None:
    recipients = settings.AUDIT_CHECKPOINT_EMAILS
    if not recipients:
        return
    with transaction.atomic():
        notify(
            notice=notices.audit_checkpoint(checkpoint),
            recipients=recipients,
            subject=head,
            event=f"checkpoint:{checkpoint.hash}",
        )
