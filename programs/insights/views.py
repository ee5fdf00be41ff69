"""The insights page: charts first, each with the table of its numbers and a CSV of exactly
that table. One page for everyone, with a section for each role the person holds."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import Access, access_for, capability_required
from portal.charts import stacked_bars, stacked_columns
from portal.csv import streaming_csv
from portal.formatting import money
from programs.days.selectors import organised_days
from programs.empowerment.models import OutcomeRating, Programme
from programs.empowerment.selectors.allowances import allowance_summary
from programs.empowerment.selectors.programmes import active_programme
from programs.insights.exports import (
    APPROVAL_HEADER,
    BUDGET_HEADER,
    GESTURE_HEADER,
    approval_rows,
    budget_rows,
    gesture_rows,
)
from programs.insights.forms import ExportForm, InsightFilterForm
from programs.insights.selectors import (
    RATINGS,
    DayFigures,
    OutcomeRow,
    approval_turnaround,
    budget_progress,
    gestures_by_month,
    gestures_by_week,
    insight_teams,
    money_flow,
    organised_day_figures,
    outcomes_by_category,
    seats_over_time,
    spend_by_category,
    spend_through_period,
    thanks_received,
    unused_empowerment,
)

OUTCOME_SERIES = [*OutcomeRating.choices, ("unrated", "Not recorded")]
DAYS_SHOWN = 10


@dataclass(frozen=True)
class Figures:
    """What one page section or download needs, worked out once per request."""

    access: Access
    filters: dict
    programme: Programme | None
    today: object

    @property
    def teams(self):
        return insight_teams(self.access, self.filters["team_id"])


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    form = InsightFilterForm(request.GET or None)
    figures = Figures(access, form.filters(), active_programme(), timezone.localdate())
    outcomes = _outcomes(figures)
    context = {
        "form": form,
        "query": request.GET.urlencode(),
        "programme": figures.programme,
        "currency": figures.programme.currency if figures.programme else "GBP",
        "days": figures.filters["days"],
        "outcomes": outcomes,
        "outcome_chart": stacked_bars(
            [(r.category_name, _rating_counts(r)) for r in outcomes], OUTCOME_SERIES
        ),
    }
    if access.can_log_gestures:
        months = gestures_by_month(request.user.pk, today=figures.today)
        context["my_months"] = months
        context["my_months_chart"] = stacked_columns(
            [(f"{m.month:%b}", {"gestures": m.gestures}) for m in months],
            [("gestures", "Gestures")],
        )
        if figures.programme is not None:
            context["allowance"] = allowance_summary(
                programme=figures.programme, agent_id=request.user.pk, day=figures.today
            )
            context["thanks"] = thanks_received(
                request.user.pk, period_start=context["allowance"].period_start
            )
    if access.can_read_team_insights:
        categories, weeks = _weeks(figures)
        context["categories"] = categories
        context["week_rows"] = [
            (w.week, [w.counts.get(slug, 0) for slug, _ in categories], w.total) for w in weeks
        ]
        # The palette's colours by the categories' order: a category's slug is not a colour.
        colour = {slug: f"c{n % 8}" for n, (slug, _) in enumerate(categories)}
        context["weeks_chart"] = stacked_columns(
            [
                (f"{w.week:%-d %b}", {colour[slug]: n for slug, n in w.counts.items()})
                for w in weeks
            ],
            [(colour[slug], name) for slug, name in categories],
        )
        budgets = context["budgets"] = _budgets(figures)
        through = spend_through_period(
            figures.teams, programme=figures.programme, today=figures.today
        )
        if through and budgets:
            allocated = sum(b.amount for b in budgets)
            context["through_period"] = through
            context["projected"] = sum(b.projected for b in budgets)
            context["allocated"] = allocated
            context["through_period_chart"] = stacked_columns(
                [(f"{d.day:%-d}", {"spent": d.spent_so_far}) for d in through],
                [("spent", "Spent so far")],
                reference=allocated,
                reference_label=f"Budget {money(allocated, figures.programme.currency)}",
                currency=figures.programme.currency,
            )
        context["turnaround"] = approval_turnaround(figures.teams, now=timezone.now())
        context["unused"] = _unused(figures)
    if access.can_organise_days:
        organised = organised_day_figures(organised_days(access)[:DAYS_SHOWN])
        context["organised"] = organised
        focus = _day_in_focus(organised, now=timezone.now())
        if focus is not None:
            seats = seats_over_time(focus.day_id)
            context["focus"] = focus
            context["seats"] = seats
            context["seats_chart"] = stacked_columns(
                [(f"{s.registered_on:%-d %b}", {"seats": s.seats_so_far}) for s in seats],
                [("seats", "Seats confirmed so far")],
            )
    if access.sees_every_team and figures.programme is not None:
        period_start, _ = figures.programme.period_bounds(figures.today)
        by_category = _spend_by_category(figures)
        context["period_start"] = period_start
        context["by_category"] = by_category
        context["by_category_chart"] = stacked_bars(
            [(r.label, {"spent": r.spent, "waiting": r.committed}) for r in by_category],
            [("spent", "Spent"), ("waiting", "Waiting for approval")],
            one_scale=True,
            currency=figures.programme.currency,
        )
        context["flow"] = money_flow(programme=figures.programme, period_start=period_start)
    return render(request, "insights/dashboard.html", context)


@login_required
@require_GET
def download(request: HttpRequest, table: str) -> StreamingHttpResponse:
    """``/insights/<table>.csv``: exactly the rows and columns the page's table shows."""
    if table not in DOWNLOADS:
        raise Http404("No such table.")
    shown_to, table_of = DOWNLOADS[table]
    access = access_for(request.user)
    if not shown_to.fget(access):
        raise PermissionDenied
    figures = Figures(
        access,
        InsightFilterForm(request.GET or None).filters(),
        active_programme(),
        timezone.localdate(),
    )
    header, rows = table_of(figures, request.user.pk)
    return streaming_csv(f"{table}-{figures.today:%Y-%m-%d}.csv", header, rows)


def _day_in_focus(days: list[DayFigures], *, now) -> DayFigures | None:
    """The soonest day still to come, or else the latest one held."""
    coming = [d for d in days if d.starts_at >= now]
    if coming:
        return min(coming, key=lambda d: d.starts_at)
    return max(days, key=lambda d: d.starts_at, default=None)


def _rating_counts(row: OutcomeRow) -> dict[str, int]:
    return {key: getattr(row, key) for key in [*RATINGS, "unrated"]}


def _outcomes(figures: Figures) -> list[OutcomeRow]:
    return outcomes_by_category(
        figures.access,
        since=figures.filters["since"],
        until=figures.filters["until"],
        team_id=figures.filters["team_id"],
    )


def _weeks(figures: Figures):
    return gestures_by_week(figures.teams, today=figures.today)


def _budgets(figures: Figures):
    return budget_progress(figures.teams, programme=figures.programme, today=figures.today)


def _spend_by_category(figures: Figures):
    period_start, _ = figures.programme.period_bounds(figures.today)
    return spend_by_category(figures.teams, programme=figures.programme, period_start=period_start)


def _unused(figures: Figures):
    return unused_empowerment(
        figures.access,
        programme=figures.programme,
        today=figures.today,
        days=figures.filters["days"],
        team_id=figures.filters["team_id"],
    )


Table = tuple[list[str], Iterable[list]]


def _outcome_table(figures: Figures, _user_id: int) -> Table:
    rows = (
        [r.category_name, r.gestures, r.cost, *_rating_counts(r).values()]
        for r in _outcomes(figures)
    )
    return ["category", "gestures", "cost", *RATINGS, "unrated"], rows


def _month_table(figures: Figures, user_id: int) -> Table:
    months = gestures_by_month(user_id, today=figures.today)
    return ["month", "gestures", "spent"], (
        [f"{m.month:%Y-%m}", m.gestures, m.spent] for m in months
    )


def _week_table(figures: Figures, _user_id: int) -> Table:
    categories, weeks = _weeks(figures)
    header = ["week_starting", *(name for _, name in categories), "total"]
    rows = ([w.week, *(w.counts.get(slug, 0) for slug, _ in categories), w.total] for w in weeks)
    return header, rows


def _budget_table(figures: Figures, _user_id: int) -> Table:
    header = ["team", "budget", "spent", "committed", "projected_at_period_end"]
    rows = ([b.team_name, b.amount, b.spent, b.committed, b.projected] for b in _budgets(figures))
    return header, rows


def _category_spend_table(figures: Figures, _user_id: int) -> Table:
    rows = (
        [r.label, r.spent, r.committed, r.amount]
        for r in (_spend_by_category(figures) if figures.programme else [])
    )
    return ["category", "spent", "waiting", "total"], rows


def _days_table(figures: Figures, _user_id: int) -> Table:
    header = [
        "day",
        "starts_at",
        "status",
        "capacity",
        "seats_taken",
        "waiting_people",
        "checked_in_people",
        "shift_places",
        "shift_places_filled",
    ]
    days = organised_day_figures(organised_days(figures.access)[:DAYS_SHOWN])
    rows = (
        [
            d.title,
            d.starts_at,
            d.status,
            d.capacity,
            d.seats_taken,
            d.waiting_people,
            d.checked_in_people,
            d.shift_places,
            d.shift_taken,
        ]
        for d in days
    )
    return header, rows


def _seats_table(figures: Figures, _user_id: int) -> Table:
    organised = organised_day_figures(organised_days(figures.access)[:DAYS_SHOWN])
    focus = _day_in_focus(organised, now=timezone.now())
    rows = (
        [r.registered_on, r.seats, r.seats_so_far]
        for r in (seats_over_time(focus.day_id) if focus else [])
    )
    return ["registered_on", "seats", "seats_so_far"], rows


def _through_period_table(figures: Figures, _user_id: int) -> Table:
    days = spend_through_period(figures.teams, programme=figures.programme, today=figures.today)
    return ["day", "spent", "spent_so_far"], ([d.day, d.spent, d.spent_so_far] for d in days)


def _unused_table(figures: Figures, _user_id: int) -> Table:
    header = ["agent", "team", "last_gesture_on", "allowance", "spent", "remaining"]
    rows = (
        [r.agent_name, r.team_name, r.last_gesture_on or "", r.allowance, r.spent, r.remaining]
        for r in _unused(figures)
    )
    return header, rows


# Each table of the page, by the name of its download, with who may read it.
DOWNLOADS: dict[str, tuple[property, Callable[[Figures, int], Table]]] = {
    "outcomes-by-category": (Access.is_signed_in, _outcome_table),
    "my-gestures-by-month": (Access.can_log_gestures, _month_table),
    "gestures-by-week": (Access.can_read_team_insights, _week_table),
    "budgets-this-period": (Access.can_read_team_insights, _budget_table),
    "unused-empowerment": (Access.can_read_team_insights, _unused_table),
    "spend-by-category": (Access.sees_every_team, _category_spend_table),
    "appreciation-days": (Access.can_organise_days, _days_table),
    "seats-over-time": (Access.can_organise_days, _seats_table),
    "spend-through-period": (Access.can_read_team_insights, _through_period_table),
}


EXPORTS = {
    "gestures": (GESTURE_HEADER, gesture_rows),
    "budgets": (BUDGET_HEADER, budget_rows),
    "approvals": (APPROVAL_HEADER, approval_rows),
}


@capability_required(Access.can_read_team_insights)
@require_GET
def exports(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    programme = active_programme()
    period_start = _export_period(form, programme)
    return render(
        request,
        "insights/exports.html",
        {
            "form": form,
            "programme": programme,
            "period_start": period_start,
            "query": request.GET.urlencode(),
            "kinds": list(EXPORTS),
        },
    )


@capability_required(Access.can_read_team_insights)
@require_GET
def export(request: HttpRequest, kind: str) -> StreamingHttpResponse:
    """A period's gestures, budgets or approval steps, streamed as it is read."""
    if kind not in EXPORTS:
        raise Http404("No such export.")
    form = ExportForm(request.GET or None)
    programme = active_programme()
    if programme is None:
        raise Http404("There is no active programme.")
    period_start = _export_period(form, programme)
    team = form.cleaned_data.get("team") if form.is_valid() else None
    teams = insight_teams(access_for(request.user), team.pk if team else None)
    header, rows = EXPORTS[kind]
    return streaming_csv(
        f"{kind}-{period_start:%Y-%m}.csv",
        header,
        rows(teams, programme=programme, period_start=period_start),
    )


def _export_period(form: ExportForm, programme: Programme | None):
    if programme is None:
        return None
    chosen = form.cleaned_data.get("period") if form.is_valid() else None
    start, _ = programme.period_bounds(chosen or timezone.localdate())
    return start
