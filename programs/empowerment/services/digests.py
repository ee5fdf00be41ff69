"""The weekly digest for managers: what their teams did, what it cost, and the stories."""

from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import TeamRole, User
from programs.empowerment import notices
from programs.empowerment.models import Budget, Gesture, GestureStatus
from programs.empowerment.selectors.programmes import active_programme
from programs.notifications.services import notify

STORIES = 3


def send_weekly_digest(*, today: date | None = None) -> int:
    """Queue one digest per active manager for the week before ``today``. Idempotent: the week
    is part of each message's key, so running it twice that week adds nothing."""
    today = today or timezone.localdate()
    programme = active_programme()
    if programme is None:
        return 0
    since = today - timedelta(days=7)
    year, week, _ = today.isocalendar()
    period_start, _ = programme.period_bounds(today)
    queued = 0
    managers = (
        User.objects.active()
        .filter(memberships__role=TeamRole.MANAGER)
        .distinct()
        .prefetch_related("memberships__team")
    )
    for manager in managers:
        teams = [m.team for m in manager.memberships.all() if m.role == TeamRole.MANAGER]
        team_ids = [t.pk for t in teams]
        week_gestures = Gesture.objects.filter(
            team_id__in=team_ids, created_at__date__gt=since, created_at__date__lte=today
        )
        totals = week_gestures.aggregate(
            logged=Count("pk"),
            approved=Count("pk", filter=Q(status=GestureStatus.APPROVED)),
            waiting=Count("pk", filter=Q(status=GestureStatus.PENDING)),
            spent=Sum("cost", filter=Q(status=GestureStatus.APPROVED)),
        )
        budgets = Budget.objects.filter(
            team_id__in=team_ids, programme=programme, period_start=period_start
        ).select_related("team")
        stories = (
            week_gestures.exclude(status=GestureStatus.WITHDRAWN)
            .select_related("agent", "category")
            .order_by("-created_at")[:STORIES]
        )
        notify(
            notice=notices.weekly_digest(
                programme=programme,
                since=since,
                today=today,
                totals=totals,
                budgets=budgets,
                stories=stories,
            ),
            recipients=[manager],
            subject=manager,
            event=f"{year}-W{week:02d}",
        )
        queued += 1
    return queued
