"""The bell: what the portal has told a person, newest first, and its live count."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.activity import background_poll
from portal.paging import page_of
from programs.notifications.models import Notification
from programs.notifications.selectors import inbox as inbox_of
from programs.notifications.selectors import new_count
from programs.notifications.services import mark_notifications_read

# htmx stops polling an element whose answer has this status.
STOP_POLLING = 286


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = page_of(request, inbox_of(request.user.pk))
    return render(request, "notifications/notifications.html", {"page": page})


@background_poll
@require_GET
@never_cache
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's count for the header's poller (``?shown=`` what the page shows now).

    Nothing (204) while the count is what the page shows, so the page does not change and a
    screen reader hears nothing; otherwise a new poller and the count, swapped out of band into
    the bell's live region. Rendered without the page's context processors: the count is the
    answer's only query, beside the session and the person every request looks up.
    """
    if not request.user.is_authenticated:
        if request.htmx:
            # Signed out meanwhile (in another tab, or the session ended): stop this page's
            # polling, rather than swap the login page into the header.
            return HttpResponse(status=STOP_POLLING)
        return redirect_to_login(request.get_full_path())
    count = new_count(request.user.pk)
    if request.GET.get("shown") == str(count):
        return HttpResponse(status=204)
    html = render_to_string(
        "partials/bell.html#update",
        {"unread_notifications": count, "bell_poll_seconds": settings.NOTIFICATION_POLL_SECONDS},
    )
    return HttpResponse(html)


@login_required
@require_GET
def open_one(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    mark_notifications_read(user=request.user, notification_ids=[notification.pk])
    return redirect(notification.link or "notifications:notifications")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_notifications_read(user=request.user)
    return redirect("notifications:notifications")
