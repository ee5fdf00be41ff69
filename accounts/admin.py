"""Back office for people, teams and roles. Role, membership and activation changes made here
go through the services, so each one is audited and open approvals are never left stuck."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from accounts.models import Membership, OrgRole, Team, User
from accounts.services import people
from portal.errors import ApplicationError
from programs.services.delegations import deactivate_person


class PortalUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "name")


class ServiceBackedInlines:
    """Saves role and membership inlines through the services instead of writing rows."""

    def save_formset(self, request, form, formset, change):
        if formset.model not in (OrgRole, Membership):
            return super().save_formset(request, form, formset, change)
        changed = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if isinstance(obj, OrgRole):
                people.revoke_role(user=obj.user, role=obj.role, actor=request.user)
            else:
                people.remove_membership(user=obj.user, team=obj.team, actor=request.user)
        for obj in changed:
            if isinstance(obj, OrgRole):
                people.grant_role(user=obj.user, role=obj.role, granted_by=request.user)
            else:
                people.set_membership(
                    user=obj.user, team=obj.team, role=obj.role, actor=request.user
                )
        return None


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "team"]


class OrgRoleInline(admin.TabularInline):
    model = OrgRole
    fk_name = "user"
    extra = 0
    readonly_fields = ["granted_at", "granted_by"]


@admin.register(User)
class UserAdmin(ServiceBackedInlines, DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ["name", "email"]
    list_display = ["email", "name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "org_roles__role", "memberships__team"]
    search_fields = ["email", "name"]
    inlines = [MembershipInline, OrgRoleInline]
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )
    # Activation and admin rights change only through the action and the admin role, so that
    # approvals are reassigned and every change is audited.
    readonly_fields = ["last_login", "date_joined", "is_active", "is_staff", "is_superuser"]
    actions = ["deactivate"]

    @admin.action(description="Deactivate (their open approvals are reassigned)")
    def deactivate(self, request, queryset):
        for person in queryset.filter(is_active=True):
            try:
                moved = deactivate_person(person=person, actor=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{person}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{person} deactivated; {moved} open approvals reassigned."
                )


@admin.register(Team)
class TeamAdmin(ServiceBackedInlines, admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]
