"""Programmes and their policy: the limits that decide which gestures need approval.

A change of policy is audited with the values before and after. Gestures already logged keep
the policy that decided them (their snapshot), so a change never rewrites history.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.permissions import access_for
from portal.errors import InvalidInput, NotPermitted
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.models import Programme

# What a programme is made of; everything else on the row is the database's own.
FIELDS = (
    "name",
    "currency",
    "period",
    "gesture_limit",
    "agent_allowance",
    "allowance_floor",
    "allowance_ceiling",
    "second_tier_threshold",
    "escalate_after_hours",
    "customer_daily_limit",
    "review_sample_percent",
    "starts_on",
    "ends_on",
    "is_active",
)


@transaction.atomic
def create_programme(*, values: Mapping[str, object], actor: User | None) -> Programme:
    """Create a programme. ``actor=None`` is the system (seeding)."""
    _check_may(actor, "empowerment.add_programme")
    programme = Programme(**_known(values))
    _validate(programme)
    programme.save()
    trail.record(
        action=AuditAction.PROGRAMME_CREATED,
        actor=actor,
        subject=programme,
        data={field: getattr(programme, field) for field in FIELDS},
    )
    return programme


@transaction.atomic
def update_programme(
    *, programme: Programme, changes: Mapping[str, object], actor: User | None
) -> Programme:
    """Change a programme's name or policy. Writes nothing when nothing differs; the audit
    entry names only the fields that changed, before and after."""
    _check_may(actor, "empowerment.change_programme")
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    changed = {
        field: value for field, value in _known(changes).items() if getattr(locked, field) != value
    }
    if not changed:
        return locked
    before = {field: getattr(locked, field) for field in changed}
    for field, value in changed.items():
        setattr(locked, field, value)
    _validate(locked)
    locked.save(update_fields=list(changed))
    trail.record(
        action=AuditAction.PROGRAMME_UPDATED,
        actor=actor,
        subject=locked,
        data={"before": before, "after": changed},
    )
    for field, value in changed.items():
        setattr(programme, field, value)
    return locked


def _check_may(actor: User | None, permission: str) -> None:
    if actor is None or access_for(actor).is_admin or actor.has_perm(permission):
        return
    raise NotPermitted("You may not change programmes.")


def _known(values: Mapping[str, object]) -> dict[str, object]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidInput(f"A programme has no {', '.join(sorted(unknown))}.")
    return dict(values)


def _validate(programme: Programme) -> None:
    try:
        programme.full_clean()
    except ValidationError as error:
        raise InvalidInput(
            "Please correct the programme's values.",
            field_errors={field: list(messages) for field, messages in error.message_dict.items()},
        ) from None
