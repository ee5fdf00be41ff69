"""Finance's (and a manager's) exports of a period: gestures, budgets and approval steps.

Each is a header and a generator of rows read from the database in chunks (a server-side cursor
on PostgreSQL), so a 100,000-row file is streamed as it is read and never held in memory. The
teams are those the person oversees, as on every page; every cell is made safe for
spreadsheets by ``portal.csv``.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Q, QuerySet, Sum

from accounts.models import Team
from programs.empowerment.models import (
    ApprovalRequest,
    Budget,
    BudgetRequestStatus,
    Gesture,
    Programme,
)

CHUNK = 2000

GESTURE_HEADER = [
    "id",
    "occurred_on",
    "logged_at",
    "agent",
    "team",
    "category",
    "channel",
    "customer_ref",
    "cost",
    "currency",
    "status",
    "committed",
    "over_budget",
    "possible_duplicate",
    "decided_at",
    "outcome_rating",
    "situation",
    "action",
    "outcome",
]
BUDGET_HEADER = [
    "team",
    "period_start",
    "period_end",
    "amount",
    "committed",
    "spent",
    "available",
    "topups_granted",
]
APPROVAL_HEADER = [
    "id",
    "kind",
    "gesture",
    "topup",
    "team",
    "level",
    "status",
    "amount",
    "requested_by",
    "assignee",
    "created_at",
    "due_at",
    "decided_by",
    "on_behalf_of",
    "decided_at",
    "comment",
]


def _within(rows: QuerySet, teams: QuerySet[Team] | None, field: str = "team") -> QuerySet:
    return rows if teams is None else rows.filter(**{f"{field}__in": teams})


def gesture_rows(
    teams: QuerySet[Team] | None, *, programme: Programme, period_start: date
) -> Iterator[list]:
    _, end = programme.period_bounds(period_start)
    gestures = _within(
        Gesture.objects.filter(programme=programme, occurred_on__range=(period_start, end)), teams
    )
    for g in (
        gestures.select_related("agent", "team", "category")
        .order_by("occurred_on", "id")
        .iterator(chunk_size=CHUNK)
    ):
        yield [
            g.pk,
            g.occurred_on,
            g.created_at,
            g.agent.name,
            g.team.name,
            g.category.name,
            g.channel,
            g.customer_ref,
            g.cost,
            g.currency,
            g.status,
            g.committed_amount,
            g.over_budget,
            g.possible_duplicate,
            g.decided_at or "",
            g.outcome_rating,
            g.situation,
            g.action,
            g.outcome,
        ]


def budget_rows(
    teams: QuerySet[Team] | None, *, programme: Programme, period_start: date
) -> Iterator[list]:
    _, end = programme.period_bounds(period_start)
    budgets = _within(Budget.objects.filter(programme=programme, period_start=period_start), teams)
    granted = Sum("requests__amount", filter=Q(requests__status=BudgetRequestStatus.APPROVED))
    for b in (
        budgets.select_related("team")
        .annotate(topups_granted=granted)
        .order_by("team__name")
        .iterator(chunk_size=CHUNK)
    ):
        yield [
            b.team.name,
            b.period_start,
            end,
            b.amount,
            b.committed,
            b.spent,
            b.available,
            b.topups_granted or 0,
        ]


def approval_rows(
    teams: QuerySet[Team] | None, *, programme: Programme, period_start: date
) -> Iterator[list]:
    """The steps asked in the period, about the programme's gestures and top-ups."""
    _, end = programme.period_bounds(period_start)
    steps = _within(
        ApprovalRequest.objects.filter(
            Q(gesture__programme=programme) | Q(budget_request__budget__programme=programme),
            created_at__date__range=(period_start, end),
        ),
        teams,
    )
    for s in (
        steps.select_related("team", "requested_by", "assignee", "decided_by", "on_behalf_of")
        .order_by("created_at", "id")
        .iterator(chunk_size=CHUNK)
    ):
        yield [
            s.pk,
            s.kind,
            s.gesture_id or "",
            s.budget_request_id or "",
            s.team.name,
            s.get_level_display(),
            s.status,
            s.amount,
            s.requested_by.name,
            s.assignee.name if s.assignee_id else "",
            s.created_at,
            s.due_at or "",
            s.decided_by.name if s.decided_by_id else "",
            s.on_behalf_of.name if s.on_behalf_of_id else "",
            s.decided_at or "",
            s.comment,
        ]
