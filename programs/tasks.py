"""Background jobs: thin wrappers that call the services. Each is idempotent."""

from celery import shared_task
from django.conf import settings

# The outbox's own tasks (delivering and sweeping notifications) live with it, in
# programs.outbox; importing it here registers them with a worker that discovers this module.
from programs import outbox  # noqa: F401
from programs.services import audit_checkpoints, budgets, digests, reminders
from programs.services.approvals import escalate_overdue
from programs.services.delegations import apply_started_delegations
from programs.services.registrations import anonymise_registrations


@shared_task(name="programs.tasks.escalate_overdue_approvals", ignore_result=True)
def escalate_overdue_approvals() -> dict:
    """Hand started delegations over, then escalate manager steps left too long."""
    return {"reassigned": apply_started_delegations(), "escalated": escalate_overdue()}


@shared_task(name="programs.tasks.send_weekly_digest", ignore_result=True)
def send_weekly_digest() -> int:
    return digests.send_weekly_digest()


@shared_task(name="programs.tasks.roll_over_budgets", ignore_result=True)
def roll_over_budgets() -> int:
    return budgets.roll_over_budgets()


@shared_task(name="programs.tasks.anonymise_old_registrations", ignore_result=True)
def anonymise_old_registrations() -> dict:
    """Daily: erase customers' details for days past the retention period. Idempotent."""
    report = anonymise_registrations(older_than_days=settings.REGISTRATION_RETENTION_DAYS)
    return {"days": report.days, "registrations": report.registrations}


@shared_task(name="programs.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return reminders.send_reminders()


@shared_task(name="programs.tasks.checkpoint_audit", ignore_result=True)
def checkpoint_audit() -> dict:
    """Periodic: anchor the audit chain's head outside the database. Idempotent; a broken
    chain raises, so the failure is logged by the worker and nothing is anchored."""
    result = audit_checkpoints.checkpoint_audit()
    checkpoint = result.checkpoint
    return {"seq": checkpoint.seq if checkpoint else None, "written": result.written}
