"""Finance's review queue: the sampled, automatically approved gestures still to look at."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.permissions import access_for
from programs.empowerment.models import GestureReview, ReviewStatus


def _with_gesture() -> QuerySet[GestureReview]:
    return GestureReview.objects.select_related(
        "gesture__agent", "gesture__team", "gesture__category", "reviewed_by"
    )


def reviews_to_do() -> QuerySet[GestureReview]:
    """Reviews waiting for finance, oldest first."""
    return _with_gesture().filter(status=ReviewStatus.PENDING).order_by("created_at", "id")


def reviews_done() -> QuerySet[GestureReview]:
    """Reviews already completed, the latest first."""
    return _with_gesture().exclude(status=ReviewStatus.PENDING).order_by("-reviewed_at", "-id")


def review_for(user, review_id: int) -> GestureReview:
    """A review, for finance; anyone else (or no such review) gets 404."""
    if not access_for(user).is_finance:
        raise Http404("No such review.")
    try:
        return _with_gesture().get(pk=review_id)
    except (GestureReview.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review.") from None
