"""Background jobs of empowerment: thin wrappers that call the services. Each is idempotent.

The task names are those the beat schedule and queued messages already carry."""

from celery import shared_task

from programs.empowerment.services import budgets, digests
from programs.empowerment.services.delegations import apply_started_delegations
from programs.empowerment.services.escalations import escalate_overdue


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
