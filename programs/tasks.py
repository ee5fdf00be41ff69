"""Background jobs: thin wrappers that call the services. Each is idempotent."""

from celery import shared_task

from programs.services.approvals import escalate_overdue
from programs.services.delegations import apply_started_delegations


@shared_task(name="programs.tasks.escalate_overdue_approvals", ignore_result=True)
def escalate_overdue_approvals() -> dict:
    """Hand started delegations over, then escalate manager steps left too long."""
    return {"reassigned": apply_started_delegations(), "escalated": escalate_overdue()}
