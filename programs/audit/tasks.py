"""Background jobs of the audit trail: thin wrappers that call the services. Each is idempotent.

The task names are those the beat schedule and queued messages already carry."""

from celery import shared_task

from programs.audit import checkpoints


@shared_task(name="programs.tasks.checkpoint_audit", ignore_result=True)
def checkpoint_audit() -> dict:
    """Periodic: anchor the audit chain's head outside the database. Idempotent; a broken
    chain raises, so the failure is logged by the worker and nothing is anchored."""
    result = checkpoints.checkpoint_audit()
    checkpoint = result.checkpoint
    return {"seq": checkpoint.seq if checkpoint else None, "written": result.written}
