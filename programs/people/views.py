"""People management at /people/: for administrators and HR (the people capability); every
other person gets a 404, as the pages do not exist for them. Every change goes through the
services, which check and audit it; the pages only offer what the person may do."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import OrgRole
from accounts.permissions import access_for
from portal.errors import ApplicationError
from portal.forms import focus_first_error
from portal.paging import page_of
from programs.people import imports, invitations, provisioning, selectors
from programs.people import services as people
from programs.people.access import may_manage_people, person_for, require_people_manager
from programs.people.forms import (
    AcceptInvitationForm,
    ImportForm,
    InviteForm,
    MembershipForm,
    PersonSearchForm,
    ProvisioningTokenForm,
    RemoveTeamForm,
    RolesForm,
    grantable_roles,
)
from programs.people.models import (
    ImportRun,
    ImportStatus,
    LineOutcome,
    PersonInvitation,
    ProvisioningToken,
)
from programs.people.tasks import enqueue_import

LINES_PER_PAGE = 100


def people_pages(view):
    """Sign in first; then the page exists only for those who may manage people."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        require_people_manager(request.user)
        return view(request, *args, **kwargs)

    return wrapped


@people_pages
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET)
    search = status = ""
    if form.is_valid():
        search, status = form.cleaned_data["q"].strip(), form.cleaned_data["status"]
    page = page_of(request, selectors.people_list(search=search, status=status))
    return render(
        request,
        "people/people_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(search or status),
            "invitations": selectors.pending_invitations(),
            "is_admin": access_for(request.user).is_admin,
        },
    )


@people_pages
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    return _person_page(request, person)


def _person_page(
    request: HttpRequest,
    person,
    *,
    membership_form: MembershipForm | None = None,
    roles_form: RolesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    held = list(OrgRole.objects.filter(user=person).values_list("role", flat=True))
    grantable = {value for value, _ in grantable_roles(request.user)}
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "memberships": person.memberships.select_related("team").order_by("team__name"),
            "held_roles": OrgRole.objects.filter(user=person).order_by("role"),
            "kept_roles": [role for role in held if role not in grantable],
            "membership_form": membership_form or MembershipForm(),
            "roles_form": roles_form or RolesForm(initial={"roles": held}, actor=request.user),
            "may_change": people.may_change_person(actor=request.user, person=person),
            "is_admin": access_for(request.user).is_admin,
            "holds_people": people.holds_people_capability(person),
            "is_self": person.pk == request.user.pk,
        },
        status=status,
    )


@people_pages
@require_POST
def set_team(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            people.set_membership(
                user=person,
                team=form.cleaned_data["team"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, f"{person} is now in {form.cleaned_data['team']}.")
            return redirect("people:person", person.pk)
    focus_first_error(form)
    return _person_page(request, person, membership_form=form, status=400)


@people_pages
@require_POST
def remove_team(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    form = RemoveTeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a team to remove them from.")
        return redirect("people:person", person.pk)
    team = form.cleaned_data["team"]
    try:
        people.remove_membership(user=person, team=team, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{person} is no longer in {team}.")
    return redirect("people:person", person.pk)


@people_pages
@require_POST
def set_roles(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    form = RolesForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _person_page(request, person, roles_form=form, status=400)
    wanted = set(form.cleaned_data["roles"])
    offered = {value for value, _ in form.fields["roles"].choices}
    held = set(OrgRole.objects.filter(user=person).values_list("role", flat=True))
    try:
        with transaction.atomic():
            for role in sorted((held & offered) - wanted):
                people.revoke_role(user=person, role=role, actor=request.user)
            for role in sorted(wanted - held):
                people.grant_role(user=person, role=role, actor=request.user)
    except ApplicationError as error:
        form.show_error(error, field="roles")
        return _person_page(request, person, roles_form=form, status=400)
    messages.success(request, f"{person}’s roles are saved.")
    return redirect("people:person", person.pk)


@people_pages
@require_POST
def set_people_capability(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    holds = request.POST.get("holds") == "on"
    try:
        people.set_people_capability(person=person, holds=holds, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("people:person", person.pk)


@people_pages
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    try:
        moved = people.deactivate_person(person=person, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{person} is deactivated; {moved} open approvals were handed on."
        )
    return redirect("people:person", person.pk)


@people_pages
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    try:
        people.reactivate_person(person=person, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{person} can sign in again.")
    return redirect("people:person", person.pk)


# Invitations.


@people_pages
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = invitations.invite_person(
                email=data["email"],
                name=data["name"],
                team=data["team"],
                team_role=data["team_role"],
                roles=data["roles"],
                actor=request.user,
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, f"An invitation is on its way to {issued.invitation.email}.")
            return redirect("people:people")
    focus_first_error(form)
    return render(request, "people/invite.html", {"form": form}, status=400 if form.errors else 200)


@people_pages
@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(PersonInvitation, pk=pk)
    try:
        invitations.revoke_invitation(invitation=invitation, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation for {invitation.email} is withdrawn.")
    return redirect("people:people")


# SCIM provisioning tokens: administrators only (HR manages people, not the identity
# provider's access); for anyone else the pages do not exist.


def _require_administrator(request: HttpRequest) -> None:
    if not people.is_administrator(request.user):
        raise Http404


@people_pages
@never_cache
@require_http_methods(["GET", "POST"])
def provisioning_tokens(request: HttpRequest) -> HttpResponse:
    """The tokens an identity provider uses at /scim/v2/; a new key is shown on this response
    only (never stored, never cached), so it cannot be fetched again."""
    _require_administrator(request)
    form = ProvisioningTokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = provisioning.create_provisioning_token(
                name=form.cleaned_data["name"], actor=request.user
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            form = ProvisioningTokenForm()
    focus_first_error(form)
    return render(
        request,
        "people/provisioning.html",
        {
            "form": form,
            "issued": issued,
            "tokens": selectors.provisioning_tokens(),
            "scim_url": request.build_absolute_uri(reverse("scim:root")),
        },
        status=400 if form.errors else 200,
    )


@people_pages
@require_POST
def revoke_provisioning_token(request: HttpRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    token = get_object_or_404(ProvisioningToken, pk=pk)
    try:
        provisioning.revoke_provisioning_token(token=token, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("people:provisioning")


def sso_providers() -> list[dict]:
    """The configured OpenID Connect providers, as (id, name) for "Sign in with …" buttons."""
    oidc = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}).get("openid_connect", {})
    return [
        {"id": app["provider_id"], "name": app.get("name") or app["provider_id"]}
        for app in oidc.get("APPS", [])
        if app.get("provider_id")
    ]


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page: choose a password, or sign in with SSO. Open to anyone with the
    link; an unknown, expired, withdrawn or used link says so (404 or 410)."""
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationUnusable as unusable:
        return _unusable(request, unusable)
    providers = sso_providers()
    form = AcceptInvitationForm(
        request.POST if "password1" in request.POST else None,
        email=invitation.email,
        name=invitation.name,
    )
    if request.method == "POST":
        chosen = request.POST.get("provider", "")
        if chosen and chosen in {provider["id"] for provider in providers}:
            return _accept(request, token, password=None, provider=chosen)
        if form.is_valid():
            return _accept(request, token, password=form.cleaned_data["password1"])
    return render(
        request,
        "people/accept_invitation.html",
        {"invitation": invitation, "form": form, "providers": providers},
        status=400 if form.errors else 200,
    )


def _accept(
    request: HttpRequest, token: str, *, password: str | None, provider: str = ""
) -> HttpResponse:
    try:
        person = invitations.accept_invitation(token=token, password=password)
    except invitations.InvitationUnusable as unusable:
        return _unusable(request, unusable)
    if provider:
        # The person exists now; the provider's sign-in links them by their verified e-mail.
        return redirect(reverse("openid_connect_login", kwargs={"provider_id": provider}))
    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Welcome to the Appreciation Portal.")
    return redirect("home")


def _unusable(request: HttpRequest, unusable: invitations.InvitationUnusable) -> HttpResponse:
    return render(
        request,
        "people/invitation_unusable.html",
        {"reason": unusable.reason, "message": unusable.message},
        status=404 if unusable.reason == "unknown" else 410,
    )


# CSV import.


@people_pages
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.PEOPLE_IMPORT_MAX_BYTES:
            form.add_error("file", "The file is too large: split it into smaller files.")
        else:
            try:
                run = imports.preview_import(
                    data=upload.read(), filename=upload.name or "", actor=request.user
                )
            except ApplicationError as error:
                for message in error.field_errors.get("file", [error.message]):
                    form.add_error("file", message)
            else:
                return redirect("people:import-run", run.pk)
    return render(
        request,
        "people/import_upload.html",
        {"form": form, "runs": selectors.recent_imports()},
        status=400 if form.errors else 200,
    )


def _run_for(request: HttpRequest, pk: int) -> ImportRun:
    require_people_manager(request.user)
    run = ImportRun.objects.select_related("created_by", "applied_by").filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


@people_pages
@require_GET
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    lines = Paginator(run.lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/import_run.html",
        {"run": run, "lines": lines, "page": lines, "outcomes": LineOutcome},
    )


@people_pages
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    try:
        run = imports.queue_import(run=run, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        transaction.on_commit(lambda: enqueue_import(run.pk))
    return redirect("people:import-run", run.pk)


@people_pages
@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the run page polls while the worker applies it."""
    run = _run_for(request, pk)
    response = render(request, "people/partials/import_status.html", {"run": run})
    if run.status not in (ImportStatus.QUEUED, ImportStatus.APPLYING):
        # Finished: the whole page again, with the results of every line.
        response["HX-Refresh"] = "true"
    return response


def may_use_people_pages(request: HttpRequest, _access) -> bool:
    """For the navigation: whether the People entry shows."""
    return may_manage_people(request.user)
