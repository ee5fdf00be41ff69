"""The audit trail in the back office: read-only, like the chain itself."""

from django.contrib import admin

from portal.admin_views import ReadOnlyAdmin
from programs.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor", "action", "subject_type", "subject_id"]
    list_filter = ["action", "subject_type"]
    search_fields = ["subject_id"]
    list_select_related = ["actor"]
