"""Ends a session that went idle or grew old (``sessions/limits.py``), before the view runs.

The person is signed out (recorded as "Session expired") and told why on the login page. What
the request gets depends on what asked: a page is sent to the login page (and back afterwards
for a GET), an htmx request gets ``HX-Redirect`` there so the whole page goes, and an API call
simply carries on without a session (so it is answered 401 or 403 like any other).

What counts as activity: a request that reaches a view, except a page's background poll (the
notification bell), so a tab left open still goes idle.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

from portal.activity import is_background_poll
from programs.identity.sessions import limits
from programs.identity.signins.receivers import EXPIRY_REASON

API_PREFIX = "/api/"


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        expiry = limits.expiry_of(request.session)
        if expiry is None:
            return self.get_response(request)
        setattr(request, EXPIRY_REASON, expiry.value)
        logout(request)
        if request.path.startswith(API_PREFIX):
            return self.get_response(request)
        messages.info(request, limits.explanation(expiry))
        login = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        if request.method == "GET":
            login = f"{login}?{urlencode({'next': request.get_full_path()})}"
        return redirect(login)

    def process_view(self, request: HttpRequest, view_func, *view_args_and_kwargs) -> None:
        """A request to a view counts as activity, unless the view is a page's background
        poll (``portal.activity``)."""
        if request.user.is_authenticated and not is_background_poll(view_func):
            limits.note_activity(request.session)
