from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from portal import views
from portal.api.docs import DocsView, SchemaView

handler400 = "portal.error_pages.bad_request"
handler403 = "portal.error_pages.permission_denied"
handler404 = "portal.error_pages.not_found"
handler500 = "portal.error_pages.server_error"

admin.site.site_header = "Appreciation Portal administration"
admin.site.site_title = "Appreciation Portal admin"
# The admin's own login form would take a password alone: send it to the portal's, which asks
# for the second factor (and follows PASSWORD_LOGIN and single sign-on).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("programs.empowerment.urls")),
    path("", include("programs.days.urls")),
    path("", include("programs.stories.urls")),
    path("", include("programs.insights.urls")),
    path("", include("programs.notifications.urls")),
    path("", include("programs.audit.urls")),
    path("", include("programs.people.urls")),
    path("", include("programs.identity.urls")),
    path("scim/v2/", include("programs.people.scim.urls")),
    path("healthz", views.healthz, name="healthz"),
    # Before allauth's: the OpenID Connect callback with the portal's ID token checks, and
    # password reset that follows PASSWORD_LOGIN (programs/identity/sso/urls.py).
    path("accounts/", include("programs.identity.sso.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]
