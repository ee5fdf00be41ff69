"""Back office for people, teams and roles.

Every change made here goes through the services with the signed-in person as the actor, so
each one is checked (``programs.people.services`` says who may do what) and audited, and open
approvals are never left stuck. What the person may not do is refused as a form error before
anything is saved; pages they may not use at all answer 403.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from typing_extensions import override

from accounts.models import Membership, OrgRole, Team, User
from accounts.permissions import access_for
from portal.errors import ApplicationError, NotPermitted
from programs.people import services as people


class PortalUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "name")


class PasswordForm(AdminPasswordChangeForm):
    """The admin's password form, saved through the service: checked against who acts, and
    audited."""

    def __init__(self, user: User, *args, actor: User, **kwargs):
        self.actor = actor
        super().__init__(user, *args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            people.check_may_set_password(actor=self.actor, person=self.user)
        except NotPermitted as error:
            # The page shows errors beside its fields only, not above them.
            self.add_error("password1", error.message)
        return cleaned

    @override
    def save(self, commit: bool = True) -> User:
        usable = self.cleaned_data["set_usable_password"]
        return people.set_password(
            person=self.user,
            password=self.cleaned_data["password1"] if usable else None,
            actor=self.actor,
        )


@dataclass(frozen=True)
class _Grant:
    role: str


@dataclass(frozen=True)
class _Revoke:
    role: str


@dataclass(frozen=True)
class _SetMembership:
    user: User
    team: Team
    role: str


@dataclass(frozen=True)
class _RemoveMembership:
    user: User
    team: Team


class ServiceFormSet(BaseInlineFormSet):
    """An inline whose rows are written by services instead of saved as rows.

    It knows who acts, so a change they may not make is refused above the inline while the
    form is checked, not half-way through saving.
    """

    def __init__(self, *args, actor: User, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def changes(self) -> list:
        """What the submitted rows ask for, removals first."""
        raise NotImplementedError

    def check(self, change) -> None:
        """Raise ``NotPermitted`` when the actor may not make ``change``."""

    def apply(self, change) -> None:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        refusals: list[str] = []
        for change in self.changes():
            try:
                self.check(change)
            except NotPermitted as error:
                if error.message not in refusals:
                    refusals.append(error.message)
        if refusals:
            raise ValidationError(refusals)

    def save_through_services(self) -> None:
        for change in self.changes():
            self.apply(change)

    def _rows(self):
        """``(original, form)`` for each row that changes; ``original`` is None for a new row
        and ``form`` is None for a deleted one. The original is read afresh, as the form has
        already written the submitted values onto its copy."""
        for form in self.initial_forms:
            if self._should_delete_form(form):
                yield self.model.objects.get(pk=form.instance.pk), None
            elif form.has_changed():
                yield self.model.objects.get(pk=form.instance.pk), form
        for form in self.extra_forms:
            if form.has_changed() and not self._should_delete_form(form):
                setattr(form.instance, self.fk.name, self.instance)
                yield None, form


class RoleFormSet(ServiceFormSet):
    def changes(self) -> list:
        revokes, grants = [], []
        for original, form in self._rows():
            new = None if form is None else form.cleaned_data["role"]
            if original is not None and original.role != new:
                revokes.append(_Revoke(original.role))
            if new is not None and (original is None or original.role != new):
                grants.append(_Grant(new))
        return revokes + grants

    def check(self, change) -> None:
        people.check_may_change_role(
            actor=self.actor, role=change.role, grant=isinstance(change, _Grant)
        )

    def apply(self, change) -> None:
        if isinstance(change, _Grant):
            people.grant_role(user=self.instance, role=change.role, actor=self.actor)
        else:
            people.revoke_role(user=self.instance, role=change.role, actor=self.actor)


class MembershipFormSet(ServiceFormSet):
    def changes(self) -> list:
        removals, sets = [], []
        for original, form in self._rows():
            new = None if form is None else form.instance
            moved = new is None or (
                original is not None
                and (original.user_id, original.team_id) != (new.user_id, new.team_id)
            )
            if original is not None and moved:
                removals.append(_RemoveMembership(original.user, original.team))
            if new is not None:
                sets.append(_SetMembership(new.user, new.team, new.role))
        return removals + sets

    def apply(self, change) -> None:
        if isinstance(change, _SetMembership):
            people.set_membership(
                user=change.user, team=change.team, role=change.role, actor=self.actor
            )
        else:
            people.remove_membership(user=change.user, team=change.team, actor=self.actor)


class ServiceBackedInlines:
    """Gives service-backed inlines the acting person, and saves them through the services."""

    def get_formset_kwargs(self, request, obj, inline, prefix) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, ServiceFormSet):
            kwargs["actor"] = request.user
        return kwargs

    def save_formset(self, request, form, formset, change):
        if not isinstance(formset, ServiceFormSet):
            return super().save_formset(request, form, formset, change)
        # Without writing anything, this lists the new, changed and deleted rows for the
        # admin's history message; the services then make the changes.
        formset.save(commit=False)
        formset.save_through_services()
        return None


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["user", "team"]


class OrgRoleInline(admin.TabularInline):
    model = OrgRole
    formset = RoleFormSet
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
    actions = ["deactivate", "reactivate"]

    @override
    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Activation changes only through the actions (so approvals are reassigned), and the
        # superuser flag only with the admin role; only administrators open the admin site to
        # someone.
        readonly = ["last_login", "date_joined", "is_active", "is_superuser"]
        if not people.is_administrator(request.user):
            readonly.append("is_staff")
        return readonly

    @override
    def get_inlines(self, request, obj):
        # A new person is created first; their teams and roles are given on the next page.
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or people.may_change_person(actor=request.user, person=obj))

    @override
    def has_delete_permission(self, request, obj=None) -> bool:
        # People are deactivated, never deleted: gestures, decisions and the audit trail name
        # them, and a deletion would drop their roles without an audit entry.
        return False

    def has_administer_permission(self, request) -> bool:
        return access_for(request.user).can_administer

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # Pickers offer only people who still work here; the list still finds everyone.
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # The service creates (and audits) the new person; the admin carries on with them.
        return people.create_person(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
            actor=request.user,
        )

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            return  # created by save_form
        people.update_person(
            person=obj,
            actor=request.user,
            **{
                field: form.cleaned_data[field]
                for field in form.changed_data
                if field in people.PERSON_FIELDS
            },
        )

    def save_related(self, request, form, formsets, change) -> None:
        # A new person has no inlines yet and their form no many-to-many fields: nothing to do.
        if change:
            super().save_related(request, form, formsets, change)

    @method_decorator(sensitive_post_parameters())
    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's password page, with the form saved through the service."""
        person = self.get_object(request, unquote(id))
        if person is None:
            raise Http404("No such person.")
        if not self.has_change_permission(request, person):
            raise PermissionDenied
        if request.method != "POST":
            return self._password_page(request, PasswordForm(person, actor=request.user), form_url)
        form = PasswordForm(person, request.POST, actor=request.user)
        if not form.is_valid():
            return self._password_page(request, form, form_url)
        if not (form.cleaned_data["set_usable_password"] or "unset-password" in request.POST):
            # Both buttons at once (possible without JavaScript): ask again rather than guess.
            messages.error(request, "Conflicting form data submitted. Please try again.")
            return HttpResponseRedirect(request.get_full_path())
        with transaction.atomic():
            person = form.save()
            self.log_change(request, person, self.construct_change_message(request, form, None))
        if person.has_usable_password():
            messages.success(request, "Password changed successfully.")
        else:
            messages.success(request, "Password-based authentication was disabled.")
        update_session_auth_hash(request, person)
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[person.pk]))

    def _password_page(self, request: HttpRequest, form: PasswordForm, form_url: str):
        person = form.user
        verb = "Change" if person.has_usable_password() else "Set"
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/auth/user/change_password.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{verb} password: {person.get_username()}",
                "adminForm": admin.helpers.AdminForm(
                    form, [(None, {"fields": list(form.base_fields)})], {}
                ),
                "form_url": form_url,
                "form": form,
                "is_popup": False,
                "add": True,
                "change": False,
                "has_delete_permission": False,
                "has_change_permission": True,
                "has_absolute_url": False,
                "opts": self.opts,
                "original": person,
                "save_as": False,
                "show_save": True,
            },
        )

    @admin.action(
        description="Deactivate (their open approvals are reassigned)",
        permissions=["administer"],
    )
    def deactivate(self, request, queryset):
        for person in queryset.filter(is_active=True):
            try:
                moved = people.deactivate_person(person=person, actor=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{person}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{person} deactivated; {moved} open approvals reassigned."
                )

    @admin.action(description="Reactivate", permissions=["administer"])
    def reactivate(self, request, queryset):
        for person in queryset.filter(is_active=False):
            try:
                people.reactivate_person(person=person, actor=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{person}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{person} reactivated.")


@admin.register(Team)
class TeamAdmin(ServiceBackedInlines, admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]
