"""The audit trail: one entry for every state change of money, approval, role or registration.

Services call :func:`record` inside their own transaction, so the entry exists exactly when the
change does.
"""

from enum import StrEnum

from django.db import models

from programs.models import AuditEntry


class AuditAction(StrEnum):
    GESTURE_LOGGED = "gesture.logged"
    GESTURE_WITHDRAWN = "gesture.withdrawn"
    GESTURE_OUTCOME_RECORDED = "gesture.outcome_recorded"
    BUDGET_ALLOCATED = "budget.allocated"
    BUDGET_CHANGED = "budget.changed"
    BUDGET_TOPUP_REQUESTED = "budget.topup_requested"
    ALLOWANCE_SET = "allowance.set"


def record(
    *,
    action: AuditAction,
    actor,
    subject: models.Model,
    data: dict,
    on_behalf_of=None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action.value,
        actor=actor,
        on_behalf_of=on_behalf_of,
        subject_type=subject._meta.model_name,
        subject_id=str(subject.pk),
        data=data,
    )
