"""The customer's pages, with no account: register at an invitation link (or ask there for a
lost private link again), then view, add to a calendar, show at the door, or cancel through the
private manage link.

They use their own small layout with no portal navigation and no JavaScript, and every request
counts against the same per-address throttle as the public API (``portal.clients`` decides the
address, so a forged X-Forwarded-For changes nothing).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.api.throttling import ClientScopedRateThrottle
from portal.errors import ApplicationError, Conflict, NotFound
from portal.formatting import day_label
from programs.days.calendar import ics_response, qr_svg, registration_calendar
from programs.days.forms import RegistrationForm, ResendLinkForm
from programs.days.models import AppreciationDay, Registration, RegistrationClosed
from programs.days.ratelimits import may_resend_link
from programs.days.selectors import invitation_by_token, registration_by_token
from programs.days.services.registrations import (
    cancel_registration,
    register_customer,
    resend_registration_link,
)


class _PublicPages:
    """What the throttle asks of a view: the pages share the public API's scope."""

    throttle_scope = "public"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Throttle per client address (429 with Retry-After) and never cache a personal page."""

    @wraps(view)
    @never_cache
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        throttle = ClientScopedRateThrottle()
        if not throttle.allow_request(request, _PublicPages):
            wait = throttle.wait()
            response = render(request, "days/public/throttled.html", {"wait": wait}, status=429)
            if wait:
                response["Retry-After"] = str(max(1, round(wait)))
            return response
        return view(request, *args, **kwargs)

    return wrapped


@public_page
@require_http_methods(["GET", "POST"])
def register_page(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    invitation = invitation_by_token(token)
    if invitation is None or not invitation.usable_at(now):
        return _link_gone(request, token)
    day = invitation.day
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        max_party_size=day.max_party_size,
        retention_days=settings.REGISTRATION_RETENTION_DAYS,
    )
    closed = _closed_reason(day, now)
    status = 200
    already = None
    if request.method == "POST" and closed:
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            outcome = register_customer(token=token, **form.cleaned_data, now=now)
        except NotFound:
            return _link_gone(request, token)
        except Conflict as error:
            closed, status = error.message, 409
        except ApplicationError as error:
            form.show_error(error)
        else:
            if outcome.created:
                return redirect("days:registration-manage", token=outcome.registration.manage_token)
            already = outcome
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "days/public/register.html",
        {
            "day": day,
            "form": form,
            "closed": closed,
            "already": already,
            "full": day.seats_left == 0,
            "token": token,
            "resend_form": ResendLinkForm() if _links_resendable(day, now) else None,
        },
        status=status,
    )


@public_page
@require_http_methods(["GET", "POST"])
def resend_link_page(request: HttpRequest, token: str) -> HttpResponse:
    """ "Lost your private link?": the customer gives their e-mail address and the link is
    e-mailed to it again (resend_registration_link says what is sent when).

    The answer never says whether the address is registered: every valid address gets the same
    redirect and the same words, whatever the link or the address. Limited per client address
    and per e-mail address (``RESEND_LINK_RATE_LIMIT``), counted whether or not anything is
    sent, so the limit reveals nothing either. The forms on the invitation page and the "link
    does not work" page post here; this page itself shows the form again with what was wrong.
    """
    now = timezone.now()
    invitation = invitation_by_token(token)
    # The day is named only where the invitation page would name it, so that this page tells
    # nothing more about a withdrawn link than the invitation page does.
    day = invitation.day if invitation is not None and invitation.usable_at(now) else None
    form = ResendLinkForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not may_resend_link(request, email=form.cleaned_data["email"]):
            status = 429
        else:
            email = form.cleaned_data["email"]
            resend_registration_link(token=token, email=email, now=now)
            messages.success(
                request,
                f"If {email} is registered for this day, its private link is on its way to "
                "that address. It can take a few minutes: look in your spam folder too.",
            )
            return redirect("days:public-register", token=token)
    return render(
        request,
        "days/public/resend_link.html",
        {"day": day, "form": form, "token": token, "throttled": status == 429},
        status=status,
    )


@public_page
@require_GET
def manage_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_by_token(token)
    now = timezone.now()
    return render(
        request,
        "days/public/registration.html",
        {
            "registration": registration,
            "day": registration.day,
            "position": registration.waitlist_position,
            "can_cancel": _can_cancel(registration, now),
            "register_again": _register_again_token(registration, now),
            "token": token,
        },
    )


@public_page
@require_http_methods(["GET", "POST"])
def cancel_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks first, saying what happens to the seats; only the POST it leads to cancels,
    so a stray tap, a link preview or a prefetch changes nothing."""
    registration = registration_by_token(token)
    if request.method == "GET":
        if not _can_cancel(registration, timezone.now()):
            return redirect("days:registration-manage", token=token)
        return render(
            request,
            "days/public/registration_cancel.html",
            {
                "registration": registration,
                "day": registration.day,
                "position": registration.waitlist_position,
                "token": token,
            },
        )
    was_confirmed = registration.is_confirmed
    try:
        cancel_registration(registration=registration)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Your registration is cancelled and your seats are passed on. Thank you for telling us."
            if was_confirmed
            else "Your registration is cancelled: you have left the waitlist.",
        )
    return redirect("days:registration-manage", token=token)


@public_page
@require_GET
def calendar_file(_request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_by_token(token)
    return ics_response(registration_calendar(registration), "appreciation-day.ics")


@public_page
@require_GET
def qr_code(request: HttpRequest, token: str) -> HttpResponse:
    """The code the organisers scan at the door: their check-in page for this registration."""
    registration = registration_by_token(token)
    url = request.build_absolute_uri(
        reverse("days:day-door", args=[registration.day_id]) + f"?code={registration.checkin_code}"
    )
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


def _can_cancel(registration: Registration, now) -> bool:
    """What cancel_registration would accept, so the page never offers what it would refuse."""
    day = registration.day
    return (
        not registration.is_cancelled
        and registration.checked_in_at is None
        and day.open_to_customers(now)
    )


def _register_again_token(registration: Registration, now) -> str | None:
    """The invitation link a cancelled customer could register through again, while it works
    and the day takes registrations; None otherwise."""
    invitation = registration.invitation
    if not registration.is_cancelled or invitation is None:
        return None
    if not invitation.usable_at(now) or not registration.day.registration_open(now):
        return None
    return invitation.token


def _closed_reason(day: AppreciationDay, now) -> str:
    """The invitation page's words for why the day takes no registration ("" while it does)."""
    match day.registration_closed_because(now):
        case None:
            return ""
        case RegistrationClosed.CANCELLED:
            return f"Sorry: {day.title} has been cancelled."
        case RegistrationClosed.NOT_YET:
            opens = timezone.localtime(day.registration_opens_at)
            return (
                f"Registration opens on {day_label(opens.date())} at {opens:%H:%M}: come back then."
            )
        case RegistrationClosed.CLOSED:
            return f"Registration for {day.title} has closed."
        case _:
            return f"{day.title} is not taking registrations."


def _links_resendable(day: AppreciationDay, now) -> bool:
    """Private links are sent again while the day is published and not over, whether or not
    it still takes registrations (resend_registration_link sends nothing otherwise)."""
    return day.open_to_customers(now)


def _link_gone(request: HttpRequest, token: str) -> HttpResponse:
    """Alike for every link that does not work, with the form for a lost private link: the
    registrations made through a revoked, expired or used-up link stand, and their holders
    still need their links. The form is there for a mistyped link too, so the page never
    tells which it is."""
    return render(
        request,
        "days/public/link_gone.html",
        {"token": token, "resend_form": ResendLinkForm()},
        status=404,
    )
