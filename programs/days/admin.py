"""Appreciation days change only through their services (locked, audited); the admin reads them."""

from django.contrib import admin

from portal.admin_views import ReadOnlyAdmin
from programs.days.models import AppreciationDay, Invitation, Registration, Shift


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
