"""Back-office views of programmes, budgets and gestures. Money and decisions change only through
the services (so every change is locked and audited); the admin shows them read-only and edits
programmes (through their service, audited) and categories."""

from django.contrib import admin

from portal.admin_views import ReadOnlyAdmin
from programs.empowerment.models import (
    AllowanceOverride,
    Budget,
    BudgetRequest,
    Gesture,
    GestureCategory,
    Programme,
)
from programs.empowerment.services import programmes


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
