"""Reading the audit trail: the entries a page or an export shows, filtered."""

import re
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from programs.models import ApprovalRequest, AuditEntry, GestureReview

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
    about = Q(subject_type=subject_type, subject_id=subject_id)
    if subject_type == "gesture":
        about |= _entries_of("approvalrequest", ApprovalRequest.objects.filter(gesture=subject_id))
        about |= _entries_of("gesturereview", GestureReview.objects.filter(gesture=subject_id))
    elif subject_type == "budgetrequest":
        about |= _entries_of(
            "approvalrequest", ApprovalRequest.objects.filter(budget_request=subject_id)
        )
    return about


def _entries_of(subject_type: str, subjects: QuerySet) -> Q:
    ids = subjects.annotate(subject_key=Cast("pk", CharField())).values("subject_key")
    return Q(subject_type=subject_type, subject_id__in=ids)
