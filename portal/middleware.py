"""Answers for requests the database could not serve in time, and the portal's own error
pages while ``DEBUG`` is on."""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, get_resolver
from django.utils.http import url_has_allowed_host_and_scheme

from portal import error_pages
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
        # A deadlock means some transaction broke the lock order (portal/locking.py).
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


class PortalErrorPagesMiddleware:
    """The portal's own 400, 404 and 500 pages (JSON under ``/api/``) while ``DEBUG`` is on.

    With ``DEBUG`` Django answers these itself with its technical pages, which list every URL
    pattern and show tracebacks: not what a person trying the development profile should meet.
    Set ``DEBUG_ERROR_PAGES=true`` to get Django's pages back while debugging. With ``DEBUG``
    off Django already uses the handlers in ``portal.urls``, and this does nothing.

    It sits just before ``BusyMiddleware``: a URL that names nothing is answered here before a
    view is looked for, after the sessions, the user and ``APPEND_SLASH`` (which still
    redirects ``/gestures`` to ``/gestures/``) have run; and a view's exception reaches it only
    after ``BusyMiddleware`` has turned timeouts into its 503.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _portal_pages_in_debug():
            try:
                get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
            except Resolver404 as exception:
                return error_pages.not_found(request, exception)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _portal_pages_in_debug():
            return None
        if isinstance(exception, Http404):
            return error_pages.not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django uses handler403 whatever DEBUG says.
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            log.warning("Bad request (%s) on %s %s", exception, request.method, request.path)
            return error_pages.bad_request(request, exception)
        # The developer still reads the traceback, in the server's log.
        log.error("Server error on %s %s", request.method, request.path, exc_info=exception)
        return error_pages.server_error(request)


def _portal_pages_in_debug() -> bool:
    return settings.DEBUG and not settings.DEBUG_ERROR_PAGES
