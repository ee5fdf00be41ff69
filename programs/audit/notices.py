"""What the keepers of the audit checkpoints are sent (see programs/notifications/notices.py)."""

from django.urls import reverse

from programs.audit.checkpoint_log import Checkpoint
from programs.notifications.notices import Attachment, Notice


def audit_checkpoint(checkpoint: Checkpoint) -> Notice:
    """The chain's head, signed, with the line as a file ready for
    ``verify_audit --checkpoint-file``."""
    return Notice(
        kind="audit_checkpoint",
        title=f"Audit checkpoint: entry #{checkpoint.seq}",
        link=reverse("audit:audit"),
        context={
            "seq": checkpoint.seq,
            "hash": checkpoint.hash,
            "taken_at": checkpoint.at,
            "key_id": checkpoint.key_id,
            "line": checkpoint.line(),
        },
        attachments=(
            Attachment(
                f"audit-checkpoint-{checkpoint.seq}.jsonl", f"{checkpoint.line()}\n", "text/plain"
            ),
        ),
    )
