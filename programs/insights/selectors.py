"""What the dashboards show, each figure from one SQL aggregate whatever the amount of data.

Who sees what: everyone reads which categories of gesture delight customers (the
organisation's, or a manager's own teams by default); managers read their teams' unused
empowerment, finance and administrators every team's.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.http import Http404

from accounts.models import Membership, Team, TeamRole
from accounts.permissions import Access
from portal.money import as_money
from programs.days.models import Registration, RegistrationStatus, Shift
from programs.empowerment.models import (
    ApprovalRequest,
    ApprovalStatus,
    BudgetRequest,
    BudgetRequestStatus,
    Gesture,
    GestureReview,
    GestureStatus,
    OutcomeRating,
    Programme,
    ReviewStatus,
)
from programs.empowerment.selectors.allowances import allowance_summaries
from programs.stories.models import Thanks

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


@dataclass(frozen=True)
class MonthRow:
    month: date
    gestures: int
    spent: Decimal


def gestures_by_month(agent_id: int, *, today: date, months: int = 6) -> list[MonthRow]:
    """An agent's gestures (approved or waiting) and what they spent, month by month, the
    last ``months`` months with this one; months without any show as nothing."""
    first = _months_back(today.replace(day=1), months - 1)
    rows = {
        row["month"]: row
        for row in Gesture.objects.filter(
            agent_id=agent_id,
            occurred_on__gte=first,
            status__in=[GestureStatus.APPROVED, GestureStatus.PENDING],
        )
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(count=Count("pk"), spent=Sum("cost", filter=Q(status=GestureStatus.APPROVED)))
        .order_by("month")
    }
    result = []
    for n in range(months):
        month = _months_back(today.replace(day=1), months - 1 - n)
        row = rows.get(month, {})
        result.append(
            MonthRow(month=month, gestures=row.get("count", 0), spent=as_money(row.get("spent")))
        )
    return result


def _months_back(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ThanksReceived:
    total: int
    this_period: int
    stories: int


def thanks_received(agent_id: int, *, period_start: date) -> ThanksReceived:
    """How often colleagues thanked an agent's stories, ever and this period, in one query."""
    counts = Thanks.objects.filter(agent_id=agent_id).aggregate(
        total=Count("pk"),
        this_period=Count("pk", filter=Q(created_at__date__gte=period_start)),
        stories=Count("gesture", distinct=True),
    )
    return ThanksReceived(**counts)


@dataclass(frozen=True)
class WeekRow:
    week: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def gestures_by_week(
    teams: QuerySet[Team] | None, *, today: date, weeks: int = 8
) -> tuple[list[tuple[str, str]], list[WeekRow]]:
    """Gestures logged (approved or waiting) week by week and category by category, the last
    ``weeks`` weeks (Monday to Sunday) with this one; the categories that appear, by name."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    gestures = Gesture.objects.filter(
        occurred_on__gte=first, status__in=[GestureStatus.APPROVED, GestureStatus.PENDING]
    )
    if teams is not None:
        gestures = gestures.filter(team__in=teams)
    rows = list(
        gestures.annotate(week=TruncWeek("occurred_on"))
        .values("week", "category__slug", "category__name")
        .annotate(count=Count("pk"))
        .order_by("week", "category__name")
    )
    categories = sorted(
        {(r["category__slug"], r["category__name"]) for r in rows}, key=lambda c: c[1]
    )
    by_week: dict[date, dict[str, int]] = {}
    for row in rows:
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        by_week.setdefault(week, {})[row["category__slug"]] = row["count"]
    weeks_shown = [first + timedelta(weeks=n) for n in range(weeks)]
    return categories, [WeekRow(week=w, counts=by_week.get(w, {})) for w in weeks_shown]


@dataclass(frozen=True)
class BudgetProgress:
    """A team's budget this period: what is spent and waiting, and where spending at the rate
    so far would end the period."""

    team_id: int
    team_name: str
    amount: Decimal
    spent: Decimal
    committed: Decimal
    projected: Decimal

    @property
    def projected_share(self) -> int:
        return round(self.projected * 100 / self.amount) if self.amount else 0

    @property
    def spent_share(self) -> int:
        return round(self.spent * 100 / self.amount) if self.amount else 0


def budget_progress(
    teams: QuerySet[Team] | None, *, programme: Programme | None, today: date
) -> list[BudgetProgress]:
    """Each team's budget for the period containing ``today``, with a straight-line projection
    of its spending to the period's end; one query."""
    if programme is None:
        return []
    start, end = programme.period_bounds(today)
    budgets = programme.budgets.filter(period_start=start)
    if teams is not None:
        budgets = budgets.filter(team__in=teams)
    elapsed = (today - start).days + 1
    length = (end - start).days + 1
    return [
        BudgetProgress(
            team_id=b.team_id,
            team_name=b.team.name,
            amount=b.amount,
            spent=b.spent,
            committed=b.committed,
            projected=as_money(b.spent * length / elapsed),
        )
        for b in budgets.select_related("team").order_by("team__name")
    ]


@dataclass(frozen=True)
class Turnaround:
    """How long approval steps took to be decided, and how many wait now."""

    decided: int
    median_hours: float | None
    p90_hours: float | None
    pending: int


def approval_turnaround(teams: QuerySet[Team] | None, *, now, days: int = 90) -> Turnaround:
    """Hours from asking to deciding for the steps decided in the last ``days`` days: the median
    and the 90th percentile (nearest rank), and the steps still waiting. Four queries, all
    counted and ordered in SQL, on PostgreSQL and SQLite alike."""
    steps = ApprovalRequest.objects.all()
    if teams is not None:
        steps = steps.filter(team__in=teams)
    decided = (
        steps.filter(
            status__in=[ApprovalStatus.APPROVED, ApprovalStatus.DECLINED],
            decided_at__gte=now - timedelta(days=days),
        )
        .annotate(hours=HoursBetween("created_at", "decided_at"))
        .order_by("hours", "pk")
    )
    count = decided.count()

    def at_rank(share: float) -> float | None:
        if not count:
            return None
        rank = max(math.ceil(share * count), 1)
        return round(decided.values_list("hours", flat=True)[rank - 1], 1)

    return Turnaround(
        decided=count,
        median_hours=at_rank(0.5),
        p90_hours=at_rank(0.9),
        pending=steps.filter(status=ApprovalStatus.PENDING).count(),
    )


class HoursBetween(Func):
    """Hours from one moment to another, as a number, in the database's own arithmetic."""

    output_field = FloatField()

    def __init__(self, start: str, end: str):
        super().__init__(F(start), F(end))

    def as_postgresql(self, compiler, _connection, **_extra):
        start, end = (compiler.compile(e) for e in self.source_expressions)
        return (
            f"(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 3600.0)",
            [*end[1], *start[1]],
        )

    def as_sqlite(self, compiler, _connection, **_extra):
        start, end = (compiler.compile(e) for e in self.source_expressions)
        return (f"((julianday({end[0]}) - julianday({start[0]})) * 24.0)", [*end[1], *start[1]])


@dataclass(frozen=True)
class SpendRow:
    """Money of one team (its budget) or one category (what its gestures took) in a period."""

    key: str
    label: str
    amount: Decimal
    spent: Decimal
    committed: Decimal

    @property
    def used_share(self) -> int:
        return round((self.spent + self.committed) * 100 / self.amount) if self.amount else 0


def spend_by_team(
    teams: QuerySet[Team] | None, *, programme: Programme, period_start: date
) -> list[SpendRow]:
    """Each team's budget for the period: allocated, spent and waiting; one query."""
    budgets = programme.budgets.filter(period_start=period_start)
    if teams is not None:
        budgets = budgets.filter(team__in=teams)
    return [
        SpendRow(str(b.team_id), b.team.name, b.amount, b.spent, b.committed)
        for b in budgets.select_related("team").order_by("team__name")
    ]


def spend_by_category(
    teams: QuerySet[Team] | None, *, programme: Programme, period_start: date
) -> list[SpendRow]:
    """What each category's gestures took in the period: spent (approved) and waiting (held
    in budgets); ``amount`` is the two together. One query."""
    _, end = programme.period_bounds(period_start)
    gestures = Gesture.objects.filter(
        programme=programme,
        occurred_on__range=(period_start, end),
        status__in=[GestureStatus.APPROVED, GestureStatus.PENDING],
    )
    if teams is not None:
        gestures = gestures.filter(team__in=teams)
    rows = (
        gestures.values("category__slug", "category__name")
        .annotate(
            spent=Sum("cost", filter=Q(status=GestureStatus.APPROVED)),
            committed=Sum("committed_amount"),
        )
        .order_by("category__name")
    )
    return [
        SpendRow(
            row["category__slug"],
            row["category__name"],
            as_money(row["spent"]) + as_money(row["committed"]),
            as_money(row["spent"]),
            as_money(row["committed"]),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class MoneyFlow:
    """A period's top-ups, the share of gestures approved at once, and finance's sample."""

    topups_requested: int
    topups_granted: int
    topups_declined: int
    topups_waiting: int
    amount_requested: Decimal
    amount_granted: Decimal
    approved: int
    approved_at_once: int
    reviews_to_do: int
    reviews_fine: int
    reviews_concern: int

    @property
    def at_once_share(self) -> int:
        return round(self.approved_at_once * 100 / self.approved) if self.approved else 0


def money_flow(*, programme: Programme, period_start: date) -> MoneyFlow:
    """Three queries: top-ups asked in the period, approved gestures (and those no step was
    needed for), and the reviews of the period's gestures."""
    _, end = programme.period_bounds(period_start)
    topups = BudgetRequest.objects.filter(
        budget__programme=programme, budget__period_start=period_start
    ).aggregate(
        requested=Count("pk"),
        granted=Count("pk", filter=Q(status=BudgetRequestStatus.APPROVED)),
        declined=Count("pk", filter=Q(status=BudgetRequestStatus.DECLINED)),
        waiting=Count("pk", filter=Q(status=BudgetRequestStatus.PENDING)),
        asked=Sum("amount"),
        given=Sum("amount", filter=Q(status=BudgetRequestStatus.APPROVED)),
    )
    in_period = Gesture.objects.filter(programme=programme, occurred_on__range=(period_start, end))
    asked = ApprovalRequest.objects.filter(gesture=OuterRef("pk"))
    approved = in_period.filter(status=GestureStatus.APPROVED).aggregate(
        all=Count("pk"), at_once=Count("pk", filter=~Exists(asked))
    )
    reviews = GestureReview.objects.filter(gesture__in=in_period).aggregate(
        to_do=Count("pk", filter=Q(status=ReviewStatus.PENDING)),
        fine=Count("pk", filter=Q(status=ReviewStatus.REVIEWED)),
        concern=Count("pk", filter=Q(status=ReviewStatus.CONCERN)),
    )
    return MoneyFlow(
        topups_requested=topups["requested"],
        topups_granted=topups["granted"],
        topups_declined=topups["declined"],
        topups_waiting=topups["waiting"],
        amount_requested=as_money(topups["asked"]),
        amount_granted=as_money(topups["given"]),
        approved=approved["all"],
        approved_at_once=approved["at_once"],
        reviews_to_do=reviews["to_do"],
        reviews_fine=reviews["fine"],
        reviews_concern=reviews["concern"],
    )


@dataclass(frozen=True)
class DayFigures:
    """An appreciation day at a glance: seats, waitlist, arrivals and staff."""

    day_id: int
    title: str
    starts_at: object
    status: str
    capacity: int
    seats_taken: int
    waiting_people: int
    checked_in_people: int
    shift_places: int
    shift_taken: int

    @property
    def check_in_share(self) -> int | None:
        """Of the confirmed seats, the share that arrived; none before anyone could."""
        return round(self.checked_in_people * 100 / self.seats_taken) if self.seats_taken else None

    @property
    def coverage_share(self) -> int | None:
        return round(self.shift_taken * 100 / self.shift_places) if self.shift_places else None


def organised_day_figures(days: QuerySet) -> list[DayFigures]:
    """Each day's figures in one query, summed in subqueries: the people waiting and checked
    in (a party counts its people), the shift places and those filled."""
    registrations = Registration.objects.filter(day=OuterRef("pk")).order_by().values("day")
    shifts = Shift.objects.filter(day=OuterRef("pk")).order_by().values("day")

    def total(rows, field: str) -> Coalesce:
        return Coalesce(Subquery(rows.annotate(n=Sum(field)).values("n")), 0)

    rows = days.annotate(
        waiting_people=total(
            registrations.filter(status=RegistrationStatus.WAITLISTED), "party_size"
        ),
        checked_in_people=total(
            registrations.filter(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False),
            "party_size",
        ),
        shift_places=total(shifts, "capacity"),
        shift_taken=total(shifts, "taken"),
    ).values(
        "pk",
        "title",
        "starts_at",
        "status",
        "capacity",
        "seats_taken",
        "waiting_people",
        "checked_in_people",
        "shift_places",
        "shift_taken",
    )
    return [DayFigures(day_id=row.pop("pk"), **row) for row in rows]


@dataclass(frozen=True)
class SeatsByDate:
    registered_on: date
    seats: int
    seats_so_far: int


def seats_over_time(day_id: int) -> list[SeatsByDate]:
    """Seats confirmed, by the date the parties registered, and the running total up to each
    date, for the chart of a day filling up against its capacity; one query."""
    confirmed = Registration.objects.filter(day_id=day_id, status=RegistrationStatus.CONFIRMED)
    up_to = (
        confirmed.filter(created_at__date__lte=OuterRef("registered_on"))
        .order_by()
        .values("day")
        .annotate(n=Sum("party_size"))
        .values("n")
    )
    rows = (
        confirmed.annotate(registered_on=TruncDate("created_at"))
        .values("registered_on")
        .annotate(seats=Sum("party_size"), seats_so_far=Subquery(up_to))
        .order_by("registered_on")
    )
    return [SeatsByDate(**row) for row in rows]


@dataclass(frozen=True)
class SpendByDay:
    day: date
    spent: Decimal
    spent_so_far: Decimal


def spend_through_period(
    teams: QuerySet[Team] | None, *, programme: Programme | None, today: date
) -> list[SpendByDay]:
    """What the teams' approved gestures spent, day by day from the period's start to
    ``today``, and in all so far (a running total in SQL); days with nothing spent count 0."""
    if programme is None:
        return []
    start, _ = programme.period_bounds(today)
    approved = Gesture.objects.filter(
        programme=programme, status=GestureStatus.APPROVED, occurred_on__range=(start, today)
    )
    if teams is not None:
        approved = approved.filter(team__in=teams)
    up_to = (
        approved.filter(occurred_on__lte=OuterRef("occurred_on"))
        .order_by()
        .values("programme")
        .annotate(total=Sum("cost"))
        .values("total")
    )
    rows = {
        row["occurred_on"]: row
        for row in approved.values("occurred_on")
        .annotate(spent=Sum("cost"), spent_so_far=Subquery(up_to))
        .order_by("occurred_on")
    }
    result, so_far = [], as_money(None)
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        row = rows.get(day)
        if row is not None:
            so_far = as_money(row["spent_so_far"])
        result.append(
            SpendByDay(day=day, spent=as_money(row["spent"] if row else None), spent_so_far=so_far)
        )
    return result
