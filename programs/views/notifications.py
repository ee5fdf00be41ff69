"""The bell: what the portal has told a person, newest first."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from programs.models import Notification
from programs.services.notifications import mark_read
from programs.views.lists import page_of


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_user(request.user).order_by("-created_at", "-id")
    return render(request, "programs/notifications.html", {"page": page_of(request, notifications)})


@login_required
@require_GET
def open_one(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(notification.link or "programs:notifications")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(user=request.user)
    return redirect("programs:notifications")
