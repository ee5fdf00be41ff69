"""The "Recent sign-ins" page (account menu): the person's own sign-in events, newest first,
and the "Log out everywhere" form (``sessions.views`` answers it)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.paging import page_of
from programs.identity.signins.forms import LogOutEverywhereForm
from programs.identity.signins.models import SignInEvent


@login_required
@require_GET
def recent_sign_ins(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "identity/sign_ins.html",
        {
            "page": page_of(request, SignInEvent.objects.of(request.user)),
            "form": LogOutEverywhereForm(),
            "retention_days": settings.SIGN_IN_EVENT_RETENTION_DAYS,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "max_hours": settings.SESSION_MAX_HOURS,
        },
    )
