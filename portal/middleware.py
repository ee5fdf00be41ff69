"""Answers for requests the database could not serve in time."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from portal.errors import as_busy

log = logging.getLogger(__name__)


class BusyMiddleware:
    """A lock or statement timeout, anywhere in a view, becomes a 503 with ``Retry-After``.

    ``portal.errors.as_busy`` decides what counts. Under ``/api/`` the answer is JSON
    (``{"detail": ...}``); elsewhere it is the busy page, or, for an htmx request, its message
    swapped into the page's main area. The page is rendered without the request's context
    processors, so it needs nothing more from a database that is already struggling.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        busy = as_busy(exception)
        if busy is None:
            return None
        # A deadlock means some transaction broke the lock order (programs/locking.py).
        level = logging.ERROR if busy.cause == "deadlock" else logging.WARNING
        log.log(
            level,
            "Busy (%s%s) on %s %s",
            busy.cause,
            f": {busy.what}" if busy.what else "",
            request.method,
            request.path,
            exc_info=level == logging.ERROR,
        )
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": busy.message}, status=503)
        else:
            htmx = bool(getattr(request, "htmx", False))
            context = {"message": busy.message, "again": _again(request)}
            template = "503.html#busy" if htmx else "503.html"
            response = HttpResponse(render_to_string(template, context), status=503)
            if htmx:
                response["HX-Retarget"] = "#main"
                response["HX-Reswap"] = "innerHTML"
        response["Retry-After"] = str(busy.retry_after)
        return response


def _again(request: HttpRequest) -> str | None:
    """Where "try again" leads: the page itself for a read; for a form, the page it was on,
    when the browser says so and it is ours (else the page asks to go back and send again)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    htmx = getattr(request, "htmx", None)
    if htmx:
        return htmx.current_url_abs_path
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None
