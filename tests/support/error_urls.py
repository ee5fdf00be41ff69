"""The portal's URLs plus views that fail, for the error-page tests."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("a bug in a view")


def suspicious(request):
    raise SuspiciousOperation("a tampered request")


urlpatterns = [
    path("broken/", broken),
    path("suspicious/", suspicious),
    path("api/v1/broken/", broken),
    *urlpatterns,
]
