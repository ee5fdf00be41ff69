"""Agents logging gestures and following them; anyone who may see a gesture reading its story."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import Access, access_for, capability_required
from portal.errors import ApplicationError, NotPermitted
from portal.paging import page_of
from programs.empowerment.formatting import logged_message, policy_in_words, waiting_reasons
from programs.empowerment.forms import GestureForm, OutcomeForm
from programs.empowerment.models import Gesture, GestureStatus, Programme
from programs.empowerment.selectors.allowances import AllowanceSummary, allowance_summary
from programs.empowerment.selectors.decisions import approval_steps
from programs.empowerment.selectors.gestures import filter_gestures, gesture_for, visible_gestures
from programs.empowerment.selectors.programmes import active_programme
from programs.empowerment.services.gestures import (
    log_gesture,
    record_gesture_outcome,
    withdraw_gesture,
)
from programs.empowerment.views.lists import status_from, status_tabs

can_log = capability_required(Access.can_log_gestures)


@can_log
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    programme = active_programme()
    form = GestureForm(
        request.POST if request.method == "POST" else None,
        agent_team_ids=access.agent_team_ids,
        programme=programme,
    )
    if request.method == "POST" and programme is not None and form.is_valid():
        try:
            logged = log_gesture(agent=request.user, programme=programme, **form.cleaned_data)
        except ApplicationError as error:
            form.show_error(error)
        else:
            gesture = logged.gesture
            level = messages.SUCCESS if gesture.status == GestureStatus.APPROVED else messages.INFO
            message = logged_message(gesture, logged.allowance_after, today=timezone.localdate())
            messages.add_message(request, level, message)
            return redirect("empowerment:my-gestures")
    return render(
        request,
        "empowerment/log_gesture.html",
        {
            "form": form,
            "programme": programme,
            "allowance": _allowance_today(programme, request.user.pk),
        },
    )


@can_log
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    status = status_from(request)
    own = filter_gestures(visible_gestures(access), agent_id=request.user.pk)
    programme = active_programme()
    return render(
        request,
        "empowerment/my_gestures.html",
        {
            "programme": programme,
            "allowance": _allowance_today(programme, request.user.pk),
            "tabs": status_tabs(request.path, own, status),
            "page": page_of(request, filter_gestures(own, status=status)),
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, gesture_for(request.user, pk))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    gesture = gesture_for(request.user, pk)
    try:
        gesture = withdraw_gesture(gesture=gesture, actor=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    except ApplicationError as error:
        notice, level = error.message, messages.ERROR
    else:
        notice = "Withdrawn — it no longer counts against your allowance or the team budget."
        level = messages.SUCCESS
    if request.htmx:
        # Only the status panel is swapped in, so the notice travels with it rather than as a
        # message that would surface again on the next full page.
        return _render_detail(request, gesture, notice=notice, partial="status")
    messages.add_message(request, level, notice)
    return redirect("empowerment:gesture-detail", pk=gesture.pk)


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    gesture = gesture_for(request.user, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            record_gesture_outcome(gesture=gesture, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, "Outcome saved. Thank you for closing the loop.")
            return redirect("empowerment:gesture-detail", pk=gesture.pk)
    return _render_detail(request, gesture, outcome_form=form)


def _render_detail(
    request: HttpRequest,
    gesture: Gesture,
    *,
    outcome_form: OutcomeForm | None = None,
    notice: str = "",
    partial: str = "",
) -> HttpResponse:
    is_own = gesture.agent_id == request.user.pk
    if is_own and outcome_form is None:
        outcome_form = OutcomeForm(
            initial={"outcome": gesture.outcome, "outcome_rating": gesture.outcome_rating}
        )
    template = "empowerment/gesture_detail.html" + (f"#{partial}" if partial else "")
    return render(
        request,
        template,
        {
            "gesture": gesture,
            "is_own": is_own,
            "can_withdraw": is_own and gesture.is_pending,
            "outcome_form": outcome_form,
            "reasons": waiting_reasons(gesture, yours=is_own),
            "policy": policy_in_words(gesture),
            "notice": notice,
            "steps": approval_steps(gesture),
        },
    )


def _allowance_today(programme: Programme | None, agent_id: int) -> AllowanceSummary | None:
    if programme is None:
        return None
    return allowance_summary(programme=programme, agent_id=agent_id, day=timezone.localdate())
