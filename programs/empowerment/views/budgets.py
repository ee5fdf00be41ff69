"""Finance's budget page: every team's budget for one period, and a form per team to set it."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from accounts.models import Team
from accounts.permissions import Access, capability_required
from portal.errors import ApplicationError
from portal.formatting import money
from portal.paging import page_of
from programs.empowerment.forms import BudgetAllocationForm, PeriodForm
from programs.empowerment.models import Budget, Programme
from programs.empowerment.selectors.budgets import current_budgets
from programs.empowerment.selectors.programmes import active_programme
from programs.empowerment.selectors.teams import all_teams_overview
from programs.empowerment.services.budgets import allocate_budget


@dataclass(frozen=True)
class Row:
    team: Team
    budget: Budget | None
    form: BudgetAllocationForm
    saved: str = ""


@capability_required(Access.can_allocate_budgets)
@require_http_methods(["GET", "POST"])
def budgets(request: HttpRequest) -> HttpResponse:
    programme = active_programme()
    if programme is None:
        return render(request, "empowerment/budgets.html", {"programme": None})
    period_form = PeriodForm(
        request.GET if "period" in request.GET else None,
        initial={"period": timezone.localdate()},
        programme=programme,
    )
    chosen = period_form.cleaned_data["period"] if period_form.is_valid() else None
    # A refused period is shown beside the field, over the programme's period nearest today.
    start, end = programme.nearest_period(chosen or timezone.localdate())
    first, last = programme.period_range()

    posted = None
    if request.method == "POST":
        posted = _allocation_form(request.POST.get("team", ""), start, data=request.POST)
        if posted.is_valid():
            try:
                budget, created = allocate_budget(
                    programme=programme, actor=request.user, **posted.cleaned_data
                )
            except ApplicationError as error:
                posted.show_error(error, field="amount")
            else:
                saved = _saved_message(budget, programme, created=created)
                if not request.htmx:
                    messages.success(request, saved)
                    return redirect(request.get_full_path())
                form = _allocation_form(str(budget.team_id), budget.period_start, budget=budget)
                return _row(request, programme, Row(budget.team, budget, form, saved))
        if request.htmx:
            team = posted.cleaned_data.get("team")
            if team is None:
                # Only a tampered form names no known team; the whole page shows it best.
                return HttpResponseClientRefresh()
            budget = current_budgets(programme=programme, team_ids=[team.pk], day=start)
            return _row(request, programme, Row(team, budget.get(team.pk), posted))

    page = page_of(request, all_teams_overview())
    budgets_by_team = current_budgets(programme=programme, team_ids=[t.pk for t in page], day=start)
    rows = [
        Row(
            team,
            budgets_by_team.get(team.pk),
            posted
            if posted is not None and posted.data.get("team") == str(team.pk)
            else _allocation_form(str(team.pk), start, budget=budgets_by_team.get(team.pk)),
        )
        for team in page
    ]
    return render(
        request,
        "empowerment/budgets.html",
        {
            "programme": programme,
            "period_form": period_form,
            "period": programme.period_label(start),
            "previous": programme.period_bounds(start - timedelta(days=1))[0]
            if start > first
            else None,
            "next": end + timedelta(days=1) if start < last else None,
            "page": page,
            "rows": rows,
            # A refused form whose team is not on this page still has to be seen.
            "unplaced": posted
            if posted is not None and not any(row.form is posted for row in rows)
            else None,
        },
    )


def _allocation_form(
    team_id: str, start: date, *, budget: Budget | None = None, data=None
) -> BudgetAllocationForm:
    initial = {"team": team_id, "period_start": start}
    if budget is not None:
        initial["amount"] = budget.amount
    # One form per row: ids carry the team so each label and error points at its own row.
    row_id = team_id if team_id.isdigit() else "unknown"
    return BudgetAllocationForm(data, initial=initial, auto_id=f"id_budget_{row_id}_%s")


def _row(request: HttpRequest, programme: Programme, row: Row) -> HttpResponse:
    return render(
        request, "empowerment/budgets.html#budget-row", {"row": row, "programme": programme}
    )


def _saved_message(budget: Budget, programme: Programme, *, created: bool) -> str:
    verb = "allocated" if created else "changed to"
    return (
        f"{budget.team.name}’s budget for {programme.period_label(budget.period_start)}"
        f" {verb} {money(budget.amount, programme.currency)}."
    )
