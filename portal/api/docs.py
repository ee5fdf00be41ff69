"""The API's schema and its browsable docs, behind a login when ``API_DOCS_REQUIRE_LOGIN``."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from typing_extensions import override


class DocsAccess(BasePermission):
    """Anyone, or (with ``API_DOCS_REQUIRE_LOGIN``) anyone logged in or holding a token."""

    @override
    def has_permission(self, request, view) -> bool:
        if not settings.API_DOCS_REQUIRE_LOGIN:
            return True
        return bool(request.user and request.user.is_authenticated)


class SchemaView(SpectacularAPIView):
    permission_classes = [DocsAccess]


# Swagger UI's stylesheet draws its icons as data: images. Only this page allows them.
@method_decorator(csp_update({"img-src": ["data:"]}), name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI whose start-up script is a file of its own (``?script``), so the page runs
    under the portal's policy with no inline script; a visitor who must log in is sent to the
    login page and back, rather than shown an error."""

    permission_classes = [DocsAccess]
    template_name = "api/swagger_ui.html"

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
