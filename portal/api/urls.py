from django.urls import path

from accounts.api import auth, me

app_name = "api"

urlpatterns = [
    path("auth/token/", auth.ObtainTokenView.as_view(), name="auth-token"),
    path("me/", me.MeView.as_view(), name="me"),
]
