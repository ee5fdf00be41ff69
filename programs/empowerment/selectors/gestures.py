"""Which gestures a person may see, and the filtered, paginated-ready lists of them."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import Access, access_for
from programs.empowerment.models import Gesture, GestureStatus


def visible_gestures(access: Access) -> QuerySet[Gesture]:
    """Agents see their own, managers their teams', finance and admins everything."""
    gestures = Gesture.objects.with_context()
    if access.sees_every_team:
        return gestures
    if access.user_id is None:
        return gestures.none()
    return gestures.filter(Q(agent_id=access.user_id) | Q(team_id__in=access.managed_team_ids))


def gesture_for(user, gesture_id: int) -> Gesture:
    """The gesture, if the person may see it; otherwise 404, as if it did not exist."""
    try:
        return visible_gestures(access_for(user)).get(pk=gesture_id)
    except (Gesture.DoesNotExist, ValueError, TypeError):
        raise Http404("No such gesture.") from None


def filter_gestures(
    gestures: QuerySet[Gesture],
    *,
    status: str | None = None,
    team_id: int | None = None,
    agent_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Gesture]:
    if status:
        gestures = gestures.filter(status=status)
    if team_id:
        gestures = gestures.filter(team_id=team_id)
    if agent_id:
        gestures = gestures.filter(agent_id=agent_id)
    if since:
        gestures = gestures.filter(occurred_on__gte=since)
    if until:
        gestures = gestures.filter(occurred_on__lte=until)
    return gestures.order_by("-created_at", "-id")


STATUS_FILTERS = [("", "All"), *GestureStatus.choices]
