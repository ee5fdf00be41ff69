from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import selectors as people
from accounts.permissions import access_for
from portal import heartbeat
from portal.cache import cache_problem
from programs.days.selectors import organiser_upcoming_days
from programs.empowerment.selectors.allowances import allowance_summary
from programs.empowerment.selectors.programmes import active_programme
from programs.empowerment.selectors.teams import all_teams_overview

HOME_DAYS = 5


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page, with a section for each of the person's roles."""
    access = access_for(request.user)
    context: dict = {"access": access}
    if access.is_agent:
        context["my_teams"] = people.teams_of_member(access)
        programme = context["programme"] = active_programme()
        if programme is not None:
            context["allowance"] = allowance_summary(
                programme=programme, agent_id=request.user.pk, day=timezone.localdate()
            )
    if access.is_manager:
        context["managed_teams"] = people.teams_managed(access)
    if access.sees_every_team:
        context["teams_page"] = Paginator(all_teams_overview(), 20).get_page(
            request.GET.get("teams_page")
        )
    if access.is_organiser:
        days = organiser_upcoming_days(access, now=timezone.now())
        # One more than shown, to know whether to point at the full list.
        shown = list(days[: HOME_DAYS + 1])
        context["upcoming_days"] = shown[:HOME_DAYS]
        context["more_days"] = len(shown) > HOME_DAYS
    return render(request, "portal/home.html", context)


@never_cache
@require_GET
def healthz(_request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: can we reach the database and cache; is a worker alive.

    Without the database nothing works: 503. Without the cache the portal still serves every
    page (rate limits count in each process's memory, see portal.cache), so the answer stays
    200 and says "degraded", with the reason, for operators to act on.
    """
    database_ok = _check_database()
    cache_trouble = cache_problem()
    beat_at, worker = heartbeat.last()
    healthy = database_ok and cache_trouble is None
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": "ok" if database_ok else "unavailable",
            "cache": "ok" if cache_trouble is None else f"unavailable: {cache_trouble}",
            "worker": {"last_seen": beat_at.isoformat() if beat_at else None, "name": worker},
        },
        status=200 if database_ok else 503,
    )


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False
