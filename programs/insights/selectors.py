"""What the dashboards show, each figure from one SQL aggregate whatever the amount of data.

Who sees what: everyone reads which categories of gesture delight customers (the
organisation's, or a manager's own teams by default); managers read their teams' unused
empowerment, finance and administrators every team's.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from accounts.models import Membership, Team, TeamRole
from accounts.permissions import Access
from portal.money import as_money
from programs.empowerment.models import Gesture, GestureStatus, OutcomeRating, Programme
from programs.empowerment.selectors.allowances import allowance_summaries

RATINGS = [value for value, _ in OutcomeRating.choices]
UNUSED_DAYS = 28


@dataclass(frozen=True)
class OutcomeRow:
    """How the customers took one category's approved gestures."""

    category: str
    category_name: str
    gestures: int
    cost: Decimal
    delighted: int
    satisfied: int
    neutral: int
    unhappy: int
    unrated: int

    @property
    def rated(self) -> int:
        return self.gestures - self.unrated

    @property
    def rated_share(self) -> int:
        """Percent of the category's gestures whose reaction was recorded."""
        return round(self.rated * 100 / self.gestures) if self.gestures else 0

    @property
    def delighted_share(self) -> int:
        """Percent of the rated gestures that delighted the customer."""
        return round(self.delighted * 100 / self.rated) if self.rated else 0


def insight_teams(access: Access, team_id: int | None = None) -> QuerySet[Team] | None:
    """The teams a dashboard covers: ``None`` for the whole organisation. A manager reads their
    own teams unless they ask for another (everyone may read outcomes organisation-wide); a
    team id nobody has is a 404."""
    if team_id is not None:
        teams = Team.objects.filter(pk=team_id)
        if not teams.exists():
            raise Http404("No such team.")
        return teams
    if access.is_manager and not access.sees_every_team:
        return Team.objects.filter(pk__in=access.managed_team_ids)
    return None


def outcomes_by_category(
    access: Access,
    *,
    since: date | None = None,
    until: date | None = None,
    team_id: int | None = None,
) -> list[OutcomeRow]:
    """Approved gestures by category, with how many customers were delighted, satisfied,
    neutral or unhappy and how many were never asked; the five counts add up to ``gestures``."""
    gestures = Gesture.objects.filter(status=GestureStatus.APPROVED)
    teams = insight_teams(access, team_id)
    if teams is not None:
        gestures = gestures.filter(team__in=teams)
    if since:
        gestures = gestures.filter(occurred_on__gte=since)
    if until:
        gestures = gestures.filter(occurred_on__lte=until)
    rows = (
        gestures.values("category__slug", "category__name")
        .annotate(
            count=Count("pk"),
            spent=Sum("cost"),
            unrated=Count("pk", filter=Q(outcome_rating="")),
            **{rating: Count("pk", filter=Q(outcome_rating=rating)) for rating in RATINGS},
        )
        .order_by("category__name")
    )
    return [
        OutcomeRow(
            category=row["category__slug"],
            category_name=row["category__name"],
            gestures=row["count"],
            cost=as_money(row["spent"]),
            unrated=row["unrated"],
            **{rating: row[rating] for rating in RATINGS},
        )
        for row in rows
    ]


@dataclass(frozen=True)
class UnusedRow:
    """An agent who has not used their empowerment lately, and what they could still spend."""

    agent_id: int
    agent_name: str
    team_id: int
    team_name: str
    last_gesture_on: date | None
    allowance: Decimal
    spent: Decimal
    remaining: Decimal


def unused_empowerment(
    access: Access,
    *,
    programme: Programme | None,
    today: date,
    days: int = UNUSED_DAYS,
    team_id: int | None = None,
) -> list[UnusedRow]:
    """Agents of the teams a person oversees with no gesture in the last ``days`` days (or
    never), oldest silence first, with their allowance left this period. Two queries."""
    memberships = Membership.objects.filter(role=TeamRole.AGENT, user__is_active=True)
    if team_id is not None:
        if not (access.sees_every_team or access.manages(team_id)):
            raise Http404("No such team.")
        memberships = memberships.filter(team_id=team_id)
    elif not access.sees_every_team:
        memberships = memberships.filter(team_id__in=access.managed_team_ids)
    latest = (
        Gesture.objects.filter(agent=OuterRef("user"))
        .values("agent")
        .annotate(last=Max("occurred_on"))
        .values("last")
    )
    quiet_since = today - timedelta(days=days)
    rows = list(
        memberships.annotate(
            last_gesture_on=Subquery(latest),
            agent_name=F("user__name"),
            team_name=F("team__name"),
        )
        .filter(Q(last_gesture_on__isnull=True) | Q(last_gesture_on__lt=quiet_since))
        .order_by(F("last_gesture_on").asc(nulls_first=True), "user__name", "team__name")
        .values("user_id", "agent_name", "team_id", "team_name", "last_gesture_on")
    )
    summaries = (
        allowance_summaries(programme=programme, agent_ids={r["user_id"] for r in rows}, day=today)
        if programme is not None and rows
        else {}
    )
    zero = as_money(None)
    return [
        UnusedRow(
            agent_id=row["user_id"],
            agent_name=row["agent_name"],
            team_id=row["team_id"],
            team_name=row["team_name"],
            last_gesture_on=row["last_gesture_on"],
            allowance=summaries[row["user_id"]].allowance if summaries else zero,
            spent=summaries[row["user_id"]].spent if summaries else zero,
            remaining=summaries[row["user_id"]].remaining if summaries else zero,
        )
        for row in rows
    ]
