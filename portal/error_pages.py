"""Error answers that depend on who asks: the API's clients read JSON, people read pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A URL that names nothing, a malformed token in it for one, is a 404 in the API's own
    shape under ``/api/``, and the site's 404 page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
