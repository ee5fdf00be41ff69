"""What the back-office views of every context share."""

from django.contrib import admin
from typing_extensions import override


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
