"""Finance and administrators (``MFA_REQUIRED_ROLES``) reach nothing until they have enrolled
in two-factor authentication: pages send them to the enrolment page, the API answers 403."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import PermissionDenied
from typing_extensions import override

from accounts.two_factor import enrolment_refusal, must_enrol


def _always_open() -> tuple[str, ...]:
    """Where someone who must enrol may still go: allauth's two-factor pages (enrolment, the
    code step, recovery codes, security keys), confirming their password again before enrolling,
    logging out, and what no page is: static files and the health check."""
    return (
        reverse("mfa_index"),
        reverse("account_reauthenticate"),
        reverse("account_logout"),
        "/" + settings.STATIC_URL.lstrip("/"),
        reverse("healthz"),
    )


class TwoFactorEnrolmentGate:
    """For a signed-in person who must enrol: a page sends them to the authenticator app's
    enrolment, an API request (by session) gets 403 with where to enrol, and an htmx request
    (the bell's poll on the enrolment page itself) 403 with nothing to swap in. Tokens are
    refused by :class:`EnrolledTokenAuthentication`, since the API reads them itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path.startswith(_always_open())
            or not must_enrol(user)
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": enrolment_refusal(request)}, status=403)
        if getattr(request, "htmx", False):
            return HttpResponseForbidden(enrolment_refusal(request), content_type="text/plain")
        # The enrolment page says why they are there.
        return redirect("mfa_activate_totp")


class EnrolledTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused (403, saying where to enrol) for someone who
    must enrol in two-factor authentication first."""

    @override
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None and must_enrol(found[0]):
            raise PermissionDenied(enrolment_refusal(request._request))
        return found
