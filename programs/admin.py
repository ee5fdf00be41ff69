"""Back-office views. Money and decisions change only through the services (so every change is
locked and audited); the admin shows them read-only and edits programmes (through their service,
audited) and categories."""

from django.contrib import admin
from typing_extensions import override

from programs.models import (
    AllowanceOverride,
    AppreciationDay,
    AuditEntry,
    Budget,
    BudgetRequest,
    Gesture,
    GestureCategory,
    Invitation,
    Notification,
    Programme,
    Registration,
    Shift,
)
from programs.services import programmes


class ReadOnlyAdmin(admin.ModelAdmin):
    @override
    def has_add_permission(self, request) -> bool:
        return False

    @override
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @override
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "currency",
        "period",
        "gesture_limit",
        "agent_allowance",
        "customer_daily_limit",
        "is_active",
    ]
    list_filter = ["is_active", "period"]

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # The service creates (and audits) the new programme; the admin carries on with it.
        return programmes.create_programme(values=form.cleaned_data, actor=request.user)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            programmes.update_programme(
                programme=obj,
                changes={field: form.cleaned_data[field] for field in form.changed_data},
                actor=request.user,
            )

    def save_related(self, request, form, formsets, change) -> None:
        # A programme has no inlines and no many-to-many fields; a new one is already saved.
        if change:
            super().save_related(request, form, formsets, change)


@admin.register(GestureCategory)
class GestureCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["team", "programme", "period_start", "amount", "committed", "spent"]
    list_filter = ["programme", "period_start", "team"]
    list_select_related = ["team", "programme"]


@admin.register(BudgetRequest)
class BudgetRequestAdmin(ReadOnlyAdmin):
    list_display = ["budget", "amount", "status", "requested_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["budget__team", "requested_by"]


@admin.register(AllowanceOverride)
class AllowanceOverrideAdmin(ReadOnlyAdmin):
    list_display = [
        "agent",
        "programme",
        "period_start",
        "amount",
        "reason",
        "set_by",
        "created_at",
    ]
    list_select_related = ["agent", "programme", "set_by"]


@admin.register(Gesture)
class GestureAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "agent",
        "team",
        "category",
        "customer_ref",
        "cost",
        "status",
        "created_at",
    ]
    list_filter = ["status", "team", "category", "channel"]
    search_fields = ["customer_ref", "customer_name", "agent__email"]
    list_select_related = ["agent", "team", "category"]
    date_hierarchy = "created_at"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor", "action", "subject_type", "subject_id"]
    list_filter = ["action", "subject_type"]
    search_fields = ["subject_id"]
    list_select_related = ["actor"]


# Appreciation days change only through their services (locked, audited); the admin reads them.


@admin.register(AppreciationDay)
class AppreciationDayAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "status", "capacity", "seats_taken"]
    list_filter = ["status"]
    search_fields = ["title", "venue"]
    date_hierarchy = "starts_at"


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ["role", "day", "starts_at", "ends_at", "capacity", "taken"]
    list_select_related = ["day"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["label", "day", "uses", "max_uses", "expires_at", "revoked_at"]
    list_select_related = ["day"]
    exclude = ["token"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["name", "day", "party_size", "status", "created_at", "checked_in_at"]
    list_filter = ["status", "day"]
    search_fields = ["name", "email"]
    list_select_related = ["day"]
    exclude = ["manage_token", "checkin_code"]


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
