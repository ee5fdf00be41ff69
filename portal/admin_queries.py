"""The Django admin passes its list filters and search straight to the database, where a NUL
is an error (a 500). This middleware refuses such a query string there with a 400 first."""

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from portal.validators import has_forbidden_characters


class RefuseControlCharactersInAdminQueries:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(reverse("admin:index")) and any(
            has_forbidden_characters(text)
            for key, values in request.GET.lists()
            for text in (key, *values)
        ):
            # Django answers it with the 400 page, and logs it as a security event.
            raise SuspiciousOperation("A control character in an admin query string.")
        return self.get_response(request)
