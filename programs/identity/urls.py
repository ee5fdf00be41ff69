"""The person's own account safety pages, under /account/ (allauth's are under /accounts/)."""

from django.urls import path

from programs.identity.api_tokens import views as api_tokens
from programs.identity.sessions import views as sessions
from programs.identity.signins import views as signins

app_name = "identity"

urlpatterns = [
    path("account/api-tokens/", api_tokens.api_tokens, name="api-tokens"),
    path(
        "account/api-tokens/<id:pk>/revoke/",
        api_tokens.revoke_api_token,
        name="api-token-revoke",
    ),
    path("account/sign-ins/", signins.recent_sign_ins, name="sign-ins"),
    path(
        "account/sign-ins/log-out-everywhere/",
        sessions.log_out_everywhere_view,
        name="log-out-everywhere",
    ),
]
