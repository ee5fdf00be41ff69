"""The outbox in the back office."""

from django.contrib import admin

from portal.admin_views import ReadOnlyAdmin
from programs.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox. Filter by "Gave up" to see every e-mail that was not sent, and why."""

    list_display = [
        "created_at",
        "kind",
        "email",
        "title",
        "email_status",
        "attempts",
        "last_error",
    ]
    list_filter = ["email_status", "kind"]
    search_fields = ["email", "title"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
