"""Team pages: a manager's view of their team's money, gestures and agents' allowances.

Finance and admins may read every team's page; only the team's managers get its forms.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Membership, Team, TeamRole
from accounts.permissions import Access, access_for, capability_required
from portal.errors import ApplicationError
from portal.formatting import money
from portal.paging import page_of
from programs.empowerment.forms import AllowanceForm, TopUpForm
from programs.empowerment.models import BudgetRequestStatus
from programs.empowerment.selectors.allowances import allowance_summaries
from programs.empowerment.selectors.budgets import current_budgets
from programs.empowerment.selectors.gestures import filter_gestures, visible_gestures
from programs.empowerment.selectors.programmes import active_programme
from programs.empowerment.selectors.teams import all_teams_overview
from programs.empowerment.services.allowances import set_allowance
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.views.lists import status_from, status_tabs

# The team page shows both forms, and both have an amount and a reason: ids of their own keep
# each label pointing at its own form's field.
ALLOWANCE_IDS = "id_allowance_%s"
TOPUP_IDS = "id_topup_%s"


@capability_required(Access.can_view_budgets)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    teams = all_teams_overview()
    if not access.sees_every_team:
        teams = teams.filter(pk__in=access.managed_team_ids)
    page = page_of(request, teams)
    programme = active_programme()
    budgets, period = {}, ""
    if programme is not None:
        start, _ = programme.period_bounds(timezone.localdate())
        budgets = current_budgets(programme=programme, team_ids=[t.pk for t in page], day=start)
        period = programme.period_label(start)
    return render(
        request,
        "empowerment/team_list.html",
        {
            "page": page,
            "rows": [(team, budgets.get(team.pk)) for team in page],
            "programme": programme,
            "period": period,
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_team(request, _team_for(request, pk))


@login_required
@require_POST
def allowance(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk)
    programme = active_programme()
    if programme is None:
        return _no_programme(request, team)
    form = AllowanceForm(request.POST, team=team, programme=programme, auto_id=ALLOWANCE_IDS)
    if form.is_valid():
        agent = form.cleaned_data["agent"]
        try:
            override = set_allowance(
                programme=programme,
                agent=agent,
                day=timezone.localdate(),
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ApplicationError as error:
            form.show_error(error, field="amount")
        else:
            messages.success(
                request,
                f"{agent.name}’s allowance for "
                f"{programme.period_label(override.period_start)} is now "
                f"{money(override.amount, programme.currency)}.",
            )
            return redirect(reverse("empowerment:team-detail", args=[team.pk]) + "#agents")
    return _render_team(request, team, allowance_form=form)


@login_required
@require_POST
def topup(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team_for(request, pk)
    programme = active_programme()
    if programme is None:
        return _no_programme(request, team)
    budget = current_budgets(programme=programme, team_ids=[team.pk], day=timezone.localdate()).get(
        team.pk
    )
    if budget is None:
        messages.error(request, "Finance has not allocated a budget for this period yet.")
        return redirect("empowerment:team-detail", pk=team.pk)
    form = TopUpForm(request.POST, auto_id=TOPUP_IDS)
    if form.is_valid():
        try:
            request_topup(budget=budget, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.show_error(error, field="amount")
        else:
            messages.success(
                request,
                f"Top-up of {money(form.cleaned_data['amount'], programme.currency)} "
                "requested. Finance will decide.",
            )
            return redirect(reverse("empowerment:team-detail", args=[team.pk]) + "#budget")
    return _render_team(request, team, topup_form=form)


def _team_for(request: HttpRequest, pk: int) -> Team:
    """The team, if the person manages it or sees every team; otherwise 404, as if it did not
    exist, so team ids reveal nothing."""
    access = access_for(request.user)
    if not (access.manages(pk) or access.sees_every_team):
        raise Http404("No such team.")
    return get_object_or_404(Team.objects.select_related("parent"), pk=pk)


def _no_programme(request: HttpRequest, team: Team) -> HttpResponse:
    messages.error(request, "There is no active empowerment programme.")
    return redirect("empowerment:team-detail", pk=team.pk)


def _render_team(
    request: HttpRequest,
    team: Team,
    *,
    allowance_form: AllowanceForm | None = None,
    topup_form: TopUpForm | None = None,
) -> HttpResponse:
    access = access_for(request.user)
    programme = active_programme()
    today = timezone.localdate()
    status = status_from(request)
    gestures = filter_gestures(visible_gestures(access), team_id=team.pk)
    url = reverse("empowerment:team-detail", args=[team.pk])
    context = {
        "team": team,
        "programme": programme,
        "list_url": url,
        "tabs": status_tabs(url, gestures, status),
        "page": page_of(request, filter_gestures(gestures, status=status)),
        "manages": access.manages(team.pk),
    }
    if programme is not None:
        budget = current_budgets(programme=programme, team_ids=[team.pk], day=today).get(team.pk)
        agents = (
            Membership.objects.filter(team=team, role=TeamRole.AGENT, user__is_active=True)
            .select_related("user")
            .order_by("user__name")
        )
        context |= {
            "period": programme.period_label(programme.period_bounds(today)[0]),
            "budget": budget,
            "topups": budget.requests.filter(status=BudgetRequestStatus.PENDING).select_related(
                "requested_by"
            )
            if budget
            else [],
            "agents": _with_allowances(agents, programme=programme, day=today),
        }
        if context["manages"]:
            context["allowance_form"] = allowance_form or AllowanceForm(
                team=team, programme=programme, auto_id=ALLOWANCE_IDS
            )
            context["topup_form"] = topup_form or TopUpForm(auto_id=TOPUP_IDS)
    return render(request, "empowerment/team_detail.html", context)


def _with_allowances(memberships, *, programme, day) -> list:
    memberships = list(memberships)
    summaries = allowance_summaries(
        programme=programme, agent_ids=[m.user_id for m in memberships], day=day
    )
    return [(m.user, summaries[m.user_id]) for m in memberships]
