"""Organisers' pages for appreciation days: create and edit a day and move it through its life,
add shifts, organisers and invitation links, watch the registrations and the waitlist, export
the attendees, and check people in at the door from a phone."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import Access, access_for, capability_required
from portal.csv import streaming_csv
from portal.errors import ApplicationError, NotPermitted
from portal.forms import ServiceForm
from portal.paging import Tab, back_to_list, page_of
from programs.days.formatting import door_state
from programs.days.forms import (
    CancelDayForm,
    DayForm,
    DoorSearchForm,
    InvitationForm,
    OrganiserForm,
    RegistrationSearchForm,
    ShiftForm,
)
from programs.days.models import AppreciationDay, RegistrationStatus
from programs.days.selectors import (
    door_matches,
    invitation_for_organiser,
    invitations_of,
    organised_day_for,
    organised_days,
    registration_for_organiser,
    registrations_of,
)
from programs.days.services import days as day_service
from programs.days.services import shifts as shift_service
from programs.days.services.registrations import check_in_registration

can_organise = capability_required(Access.can_organise_days)

EXPORT_HEADER = [
    "name",
    "email",
    "party_size",
    "status",
    "waitlist_position",
    "accessibility_needs",
    "dietary_needs",
    "registered_at",
    "checked_in_at",
]
REGISTRATION_TABS = [("", "All"), *RegistrationStatus.choices]
# Where what each form of the day's page adds shows on it.
_SECTIONS = {
    "shift_form": "shifts",
    "invitation_form": "invitations",
    "organiser_form": "organisers",
}


@can_organise
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    days = organised_days(access_for(request.user))
    return render(
        request,
        "days/organise_days.html",
        {"page": page_of(request, days), "list_url": request.path},
    )


@can_organise
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = day_service.create_day(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(
                request,
                "Day drafted. Add its shifts and an invitation link, then publish it.",
            )
            return redirect("days:day-manage", pk=day.pk)
    return render(request, "days/day_form.html", {"form": form, "day": None})


@can_organise
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = organised_day_for(request.user, pk)
    initial = {name: getattr(day, name) for name in day_service.DAY_FIELDS}
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        initial[name] = timezone.localtime(initial[name])
    form = DayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            day_service.update_day(day=day, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, "Saved.")
            return redirect("days:day-manage", pk=day.pk)
    return render(request, "days/day_form.html", {"form": form, "day": day})


@can_organise
@require_GET
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_manage(request, organised_day_for(request.user, pk))


@can_organise
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    day = organised_day_for(request.user, pk)
    return _act(
        request, day, lambda: day_service.publish_day(day=day, actor=request.user), "Published."
    )


@can_organise
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    day = organised_day_for(request.user, pk)
    return _act(
        request,
        day,
        lambda: day_service.complete_day(day=day, actor=request.user),
        "Marked as held. Thank you for organising it!",
    )


@can_organise
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    day = organised_day_for(request.user, pk)
    form = CancelDayForm(request.POST)
    if not form.is_valid():
        return _render_manage(request, day, cancel_form=form)
    return _act(
        request,
        day,
        lambda: day_service.cancel_day(day=day, actor=request.user, **form.cleaned_data),
        "Cancelled. Its customers and staff are being told.",
    )


@can_organise
@require_POST
def add_shift(request: HttpRequest, pk: int) -> HttpResponse:
    day = organised_day_for(request.user, pk)

    def add(cleaned: dict) -> str:
        shift = shift_service.add_shift(day=day, actor=request.user, **cleaned)
        return f"Shift added: {shift.role}."

    return _submit(request, day, ShiftForm(request.POST), add, form_name="shift_form")


@can_organise
@require_POST
def add_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    day = organised_day_for(request.user, pk)

    def add(cleaned: dict) -> str:
        invitation = day_service.create_invitation(day=day, actor=request.user, **cleaned)
        url = request.build_absolute_uri(day_service.invitation_path(invitation))
        return f"Invitation link “{invitation.label}” created: {url}"

    return _submit(request, day, InvitationForm(request.POST), add, form_name="invitation_form")


@can_organise
@require_http_methods(["GET", "POST"])
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first, saying what revoking does; only the POST it leads to revokes."""
    link = invitation_for_organiser(request.user, pk)
    day = link.day
    if request.method == "GET":
        if link.revoked_at is not None:
            messages.info(request, f"The link “{link.label}” is already revoked.")
            return redirect(reverse("days:day-manage", args=[day.pk]) + "#invitations")
        return render(
            request,
            "days/invitation_revoke.html",
            {
                "day": day,
                "invitation": link,
                "url": request.build_absolute_uri(day_service.invitation_path(link)),
            },
        )
    return _act(
        request,
        day,
        lambda: day_service.revoke_invitation(invitation=link, actor=request.user),
        f"The link “{link.label}” no longer works.",
        anchor="invitations",
    )


@can_organise
@require_POST
def add_organiser(request: HttpRequest, pk: int) -> HttpResponse:
    day = organised_day_for(request.user, pk)

    def add(cleaned: dict) -> str:
        person = cleaned["person"]
        day_service.add_organiser(day=day, actor=request.user, person=person)
        return f"{person.name} now organises this day too."

    form = OrganiserForm(request.POST, day=day)
    return _submit(request, day, form, add, form_name="organiser_form")


@can_organise
@require_GET
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """The live list: seats taken, the waitlist in order, search. htmx refreshes the list part
    every half minute; without JavaScript it is an ordinary page."""
    day = organised_day_for(request.user, pk)
    form = RegistrationSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    status = request.GET.get("status", "")
    status = status if status in RegistrationStatus.values else ""
    counts = _counts(day)
    context = {
        "day": day,
        "form": form,
        "search": search,
        "tabs": _registration_tabs(request, counts, status, search),
        "page": page_of(request, registrations_of(day, search=search, status=status)),
        "list_url": request.path,
        "counts": counts,
    }
    template = "days/day_registrations.html" + ("#live" if request.htmx else "")
    return render(request, template, context)


@can_organise
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone still coming or waiting, in arrival order, every cell safe for a spreadsheet."""
    day = organised_day_for(request.user, pk)
    rows = (
        [
            r.name,
            r.email,
            r.party_size,
            r.status,
            r.waitlist_position or "",
            r.accessibility_needs,
            r.dietary_needs,
            timezone.localtime(r.created_at).isoformat(),
            timezone.localtime(r.checked_in_at).isoformat() if r.checked_in_at else "",
        ]
        for r in registrations_of(day).live().iterator(chunk_size=500)
    )
    return streaming_csv(f"attendees-day-{day.pk}.csv", EXPORT_HEADER, rows)


@can_organise
@require_GET
def door(request: HttpRequest, pk: int) -> HttpResponse:
    """Check-in at the door: search by name, or scan the QR code from the confirmation (the
    phone's camera opens this page with the registration's code). Everyone found is listed
    with their state; only a confirmed party gets a check-in button, and a scanned code says
    in large type when it belongs to a cancelled or already checked-in registration."""
    day = organised_day_for(request.user, pk)
    form = DoorSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    code = request.GET.get("code", "")
    page = page_of(request, door_matches(day, search=search, code=code), size=20)
    now = timezone.now()
    for registration in page:
        registration.door = door_state(registration, now=now, scanned=bool(code))
    return render(
        request,
        "days/day_door.html",
        {
            "day": day,
            "form": form,
            "code": code,
            "scanned": bool(code),
            "searched": bool(search.strip() or code),
            "page": page,
            "list_url": request.path,
            "next_url": request.get_full_path(),
            "counts": _counts(day),
        },
        # A scanned code names one registration; a code that names none of this day's is a
        # link to nothing (the page still offers the search).
        status=404 if code and not page.paginator.count else 200,
    )


@can_organise
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap at the door. With htmx the answer is the registration's card, with what
    happened, and the page's "N of M checked in" counter swapped out of band, counted afresh
    (another phone at the door may have checked people in too). After a check-in the search
    box comes back empty with the cursor in it: the next guest is already at the door."""
    registration = registration_for_organiser(request.user, pk)
    door_url = reverse("days:day-door", args=[registration.day_id])
    ok = True
    try:
        registration = check_in_registration(registration=registration, actor=request.user)
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    except ApplicationError as error:
        notice, ok = error.message, False
    else:
        guests = "" if registration.party_size == 1 else f" (party of {registration.party_size})"
        notice = f"{registration.name}{guests} checked in. Welcome!"
    if request.htmx:
        registration = registration_for_organiser(request.user, pk)
        registration.door = door_state(registration, now=timezone.now())
        return render(
            request,
            "days/partials/door_check_in.html",
            {
                "registration": registration,
                "notice": notice,
                "ok": ok,
                "next_url": door_url,
                "counts": _counts(registration.day),
                "form": DoorSearchForm(),
            },
        )
    messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, notice)
    return redirect(back_to_list(request, door_url))


def _act(request, day: AppreciationDay, change, success: str, *, anchor: str = ""):
    try:
        change()
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    url = reverse("days:day-manage", args=[day.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _submit(
    request: HttpRequest,
    day: AppreciationDay,
    form: ServiceForm,
    add: Callable[[dict], str],
    *,
    form_name: str,
) -> HttpResponse:
    """A form of the day's page: ``add`` does what it asks and says so, then the page opens
    where the addition shows; or the page shows the form again with what was wrong."""
    if form.is_valid():
        try:
            said = add(form.cleaned_data)
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, said)
            return redirect(reverse("days:day-manage", args=[day.pk]) + f"#{_SECTIONS[form_name]}")
    return _render_manage(request, day, **{form_name: form})


def _render_manage(
    request: HttpRequest,
    day: AppreciationDay,
    *,
    shift_form: ShiftForm | None = None,
    invitation_form: InvitationForm | None = None,
    organiser_form: OrganiserForm | None = None,
    cancel_form: CancelDayForm | None = None,
) -> HttpResponse:
    shifts = page_of(
        request,
        day.shifts.prefetch_related("signups__user").order_by("starts_at", "role", "id"),
        param="shifts_page",
    )
    if shift_form is None:
        shift_form = ShiftForm(
            initial={
                "starts_at": timezone.localtime(day.starts_at),
                "ends_at": timezone.localtime(day.ends_at),
            }
        )
    invitations = page_of(request, invitations_of(day), size=10)
    for invitation in invitations:
        invitation.url = request.build_absolute_uri(day_service.invitation_path(invitation))
        invitation.state = invitation.state_at(timezone.now())
    refused = [f for f in (shift_form, invitation_form, organiser_form, cancel_form) if f]
    return render(
        request,
        "days/day_manage.html",
        {
            "day": day,
            "counts": _counts(day),
            "shifts": shifts,
            "invitations": invitations,
            "organisers": day.organisers.order_by("name"),
            "shift_form": shift_form,
            "invitation_form": invitation_form or InvitationForm(),
            "organiser_form": organiser_form or OrganiserForm(day=day),
            "cancel_form": cancel_form or CancelDayForm(),
            "can_complete": day.status == "published" and day.starts_at <= timezone.now(),
            "list_url": request.path,
        },
        status=400 if any(form.errors for form in refused) else 200,
    )


def _counts(day: AppreciationDay) -> dict:
    """Seats taken and what the lists hold, in one query."""
    return day.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        all=Count("pk"),
    ) | {"seats_taken": day.seats_taken, "capacity": day.capacity, "seats_left": day.seats_left}


def _registration_tabs(request, counts: dict, current: str, search: str) -> list[Tab]:
    tabs = []
    for value, label in REGISTRATION_TABS:
        query = {"status": value} if value else {}
        if search:
            query["q"] = search
        href = request.path + (f"?{urlencode(query)}" if query else "")
        tabs.append(
            Tab(label=label, href=href, count=counts[value or "all"], current=value == current)
        )
    return tabs
