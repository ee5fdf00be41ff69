"""Reading the audit trail: the entries a page or an export shows, filtered."""

import re
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from programs.audit.models import AuditEntry

SUBJECT = re.compile(r"^(?P<type>[a-z_]{1,40}):(?P<id>[0-9]{1,18})$")

# People name some subjects as they know them; the trail records the model's name.
SUBJECT_ALIASES = {
    "approval": "approvalrequest",
    "approval_request": "approvalrequest",
    "budget_request": "budgetrequest",
    "topup": "budgetrequest",
    "review": "gesturereview",
}


def parse_subject(value: str) -> tuple[str, str] | None:
    """``"Gesture:12"`` → ``("gesture", "12")``; ``None`` for anything else."""
    match = SUBJECT.match(value.strip().lower())
    if match is None:
        return None
    return SUBJECT_ALIASES.get(match["type"], match["type"]), str(int(match["id"]))


def audit_entries(
    *,
    subject: tuple[str, str] | None = None,
    action: str = "",
    actor_id: int | None = None,
    actor_email: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching every filter given, with the people they name; unordered.

    A gesture's (or top-up's) entries include those of its approval steps and its review, which
    are recorded against the step or review. ``actor_email`` finds what the person did and what
    a delegate did on their behalf. ``since`` and ``until`` are local days, both included.
    """
    entries = AuditEntry.objects.select_related("actor", "on_behalf_of")
    if subject is not None:
        entries = entries.filter(_about(*subject))
    if action:
        entries = entries.filter(action=action)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if actor_email:
        entries = entries.filter(
            Q(actor__email__iexact=actor_email) | Q(on_behalf_of__email__iexact=actor_email)
        )
    if since:
        entries = entries.filter(at__gte=_start_of(since))
    if until:
        entries = entries.filter(at__lt=_start_of(until + timedelta(days=1)))
    return entries


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _about(subject_type: str, subject_id: str) -> Q:
    """Entries about the subject and about the records audited as part of it.

    A model says which of its foreign keys point at the record it belongs to in the trail
    (``audited_as_part_of``: an approval step belongs to its gesture or top-up), so the trail
    needs to know no context's models.
    """
    about = Q(subject_type=subject_type, subject_id=subject_id)
    for model in apps.get_models():
        for field_name in getattr(model, "audited_as_part_of", ()):
            if model._meta.get_field(field_name).related_model._meta.model_name == subject_type:
                parts = model._default_manager.filter(**{field_name: subject_id})
                about |= _entries_of(model._meta.model_name, parts)
    return about


def _entries_of(subject_type: str, subjects: QuerySet) -> Q:
    ids = subjects.annotate(subject_key=Cast("pk", CharField())).values("subject_key")
    return Q(subject_type=subject_type, subject_id__in=ids)
