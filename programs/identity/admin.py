"""Read-only views of sign-in events and personal tokens for administrators: events are a
record, and a token is changed only by its owner's page (or a deactivation)."""

from django.contrib import admin
from typing_extensions import override

from programs.identity.models import PersonalToken, SignInEvent


class ReadOnly(admin.ModelAdmin):
    @override
    def has_add_permission(self, request) -> bool:
        return False

    @override
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @override
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnly):
    list_display = ("at", "kind", "method", "person", "email", "ip", "detail")
    list_filter = ("kind", "method")
    search_fields = ("person__email", "email", "ip")
    list_select_related = ("person",)
    date_hierarchy = "at"


@admin.register(PersonalToken)
class PersonalTokenAdmin(ReadOnly):
    list_display = ("name", "person", "hint", "created_at", "last_used_at", "revoked_at")
    search_fields = ("person__email", "name", "hint")
    list_select_related = ("person",)
    exclude = ("key_hash",)
