"""Appreciation days for staff: the upcoming days and their shifts, signing up or giving a shift
back in one click (htmx swaps just the shift; without JavaScript the form posts and comes back),
"my shifts", and a calendar file for each shift."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import access_for
from portal.errors import ApplicationError, NotPermitted
from portal.paging import back_to_list, page_of
from programs.days.calendar import ics_response, shift_calendar
from programs.days.selectors import (
    day_for,
    my_shifts,
    organises,
    shift_for,
    shifts_for,
    upcoming_days,
)
from programs.days.services import shifts as shift_service

DAYS_PER_PAGE = 10


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    now = timezone.now()
    return render(
        request,
        "days/days.html",
        {
            "page": page_of(request, upcoming_days(access, now=now), size=DAYS_PER_PAGE),
            "list_url": request.path,
            "next_url": request.get_full_path(),
            "now": now,
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    day = day_for(request.user, pk)
    shifts = page_of(
        request,
        shifts_for(access_for(request.user)).filter(day=day).select_related("day"),
        param="shifts_page",
    )
    return render(
        request,
        "days/day_detail.html",
        {
            "day": day,
            "shifts": shifts,
            "organises": organises(request.user, day),
            "next_url": request.get_full_path(),
            "now": timezone.now(),
        },
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    page = page_of(request, my_shifts(request.user, now=now))
    return render(
        request,
        "days/my_shifts.html",
        {"page": page, "list_url": request.path, "next_url": request.get_full_path(), "now": now},
    )


@login_required
@require_POST
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, join=True)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, join=False)


@login_required
@require_GET
def shift_ics(request: HttpRequest, pk: int) -> HttpResponse:
    shift = shift_for(request.user, pk)
    return ics_response(shift_calendar(shift), f"shift-{shift.pk}.ics")


def _change(request: HttpRequest, pk: int, *, join: bool) -> HttpResponse:
    shift = shift_for(request.user, pk)
    ok = True
    try:
        if join:
            shift_service.sign_up_for_shift(shift=shift, user=request.user)
        else:
            shift_service.leave_shift(shift=shift, user=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    except ApplicationError as error:
        notice, ok = error.message, False
    else:
        notice = (
            f"You’re down as {shift.role}. Thank you!"
            if join
            else f"You’ve given back your place as {shift.role}."
        )
    if request.htmx:
        fresh = shift_for(request.user, pk)
        return render(
            request,
            "days/partials/shift.html#shift",
            {"shift": fresh, "notice": notice, "ok": ok, "next_url": _next(request)},
        )
    messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, notice)
    return redirect(_next(request))


def _next(request: HttpRequest) -> str:
    return back_to_list(request, reverse("days:days"))
