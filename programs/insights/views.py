"""The insights page: charts first, each with the table of its numbers and a CSV of exactly
that table."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import Access, access_for, capability_required
from portal.charts import stacked_bars
from portal.csv import streaming_csv
from programs.empowerment.models import OutcomeRating, Programme
from programs.empowerment.selectors.programmes import active_programme
from programs.insights.forms import InsightFilterForm
from programs.insights.selectors import (
    RATINGS,
    OutcomeRow,
    UnusedRow,
    outcomes_by_category,
    unused_empowerment,
)

SERIES = [*OutcomeRating.choices, ("unrated", "Not recorded")]
OUTCOME_HEADER = ["category", "gestures", "cost", *RATINGS, "unrated"]
UNUSED_HEADER = ["agent", "team", "last_gesture_on", "allowance", "spent", "remaining"]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    form = InsightFilterForm(request.GET or None)
    filters = form.filters()
    programme = active_programme()
    outcomes = outcomes_by_category(
        access, since=filters["since"], until=filters["until"], team_id=filters["team_id"]
    )
    context = {
        "form": form,
        "query": request.GET.urlencode(),
        "outcomes": outcomes,
        "outcome_chart": _outcome_chart(outcomes),
        "days": filters["days"],
        "currency": programme.currency if programme else "GBP",
    }
    if access.can_read_team_insights:
        context["unused"] = _unused(access, filters, programme)
    return render(request, "insights/dashboard.html", context)


@login_required
@require_GET
def outcomes_csv(request: HttpRequest) -> StreamingHttpResponse:
    filters = InsightFilterForm(request.GET or None).filters()
    rows = outcomes_by_category(
        access_for(request.user),
        since=filters["since"],
        until=filters["until"],
        team_id=filters["team_id"],
    )
    return streaming_csv(
        f"outcomes-by-category-{timezone.localdate():%Y-%m-%d}.csv",
        OUTCOME_HEADER,
        (
            [r.category_name, r.gestures, r.cost, *(getattr(r, k) for k in RATINGS), r.unrated]
            for r in rows
        ),
    )


@capability_required(Access.can_read_team_insights)
@require_GET
def unused_csv(request: HttpRequest) -> StreamingHttpResponse:
    filters = InsightFilterForm(request.GET or None).filters()
    rows = _unused(access_for(request.user), filters, active_programme())
    return streaming_csv(
        f"unused-empowerment-{timezone.localdate():%Y-%m-%d}.csv",
        UNUSED_HEADER,
        (
            [r.agent_name, r.team_name, r.last_gesture_on or "", r.allowance, r.spent, r.remaining]
            for r in rows
        ),
    )


def _unused(access: Access, filters: dict, programme: Programme | None) -> list[UnusedRow]:
    return unused_empowerment(
        access,
        programme=programme,
        today=timezone.localdate(),
        days=filters["days"],
        team_id=filters["team_id"],
    )


def _outcome_chart(rows: list[OutcomeRow]):
    return stacked_bars(
        [(r.category_name, {key: getattr(r, key) for key in [*RATINGS, "unrated"]}) for r in rows],
        SERIES,
    )
