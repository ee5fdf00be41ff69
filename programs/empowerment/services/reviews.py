"""Finance's review of a random sample of automatically approved gestures: trust, verified."""

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import access_for
from portal.errors import Conflict, NotPermitted
from portal.validation import clean_text
from portal.validators import TEXT_LIMIT, TextKind
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.models import Gesture, GestureReview, ReviewStatus


def sample_for_review(*, gesture: Gesture) -> GestureReview | None:
    """Put an automatically approved, paid gesture in finance's queue with the programme's
    configured probability. Call inside the logging transaction."""
    if gesture.cost <= 0:
        return None
    if secrets.randbelow(100) >= gesture.programme.review_sample_percent:
        return None
    review = GestureReview.objects.create(gesture=gesture)
    trail.record(
        action=AuditAction.REVIEW_OPENED,
        actor=None,
        subject=review,
        data={"gesture": gesture.pk, "percent": gesture.programme.review_sample_percent},
    )
    return review


@transaction.atomic
def complete_review(
    *, review: GestureReview, actor: User, concern: bool, note: str = ""
) -> GestureReview:
    """Finance marks a sampled gesture fine, or raises a concern, which needs a note."""
    if not access_for(actor).is_finance:
        raise NotPermitted("Only finance reviews sampled gestures.")
    note = clean_text(
        note, field="note", max_length=TEXT_LIMIT, required=concern, kind=TextKind.TEXT
    )
    locked = GestureReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != ReviewStatus.PENDING:
        raise Conflict("This gesture has already been reviewed.")
    locked.status = ReviewStatus.CONCERN if concern else ReviewStatus.REVIEWED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.note = note
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "note"])
    trail.record(
        action=AuditAction.REVIEW_COMPLETED,
        actor=actor,
        subject=locked,
        data={"gesture": locked.gesture_id, "status": locked.status, "note": note},
    )
    return locked
