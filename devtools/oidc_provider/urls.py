from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import include, path


def home(_request):
    return HttpResponse(
        "Test OpenID Connect provider. Discovery: /o/.well-known/openid-configuration\n",
        content_type="text/plain",
    )


urlpatterns = [
    path("", home),
    path("login/", LoginView.as_view(template_name="oidc_provider/login.html"), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
