"""Mounted under accounts/ before allauth's own URLs, so these paths win over allauth's."""

from allauth.socialaccount import app_settings
from django.urls import path, re_path

from programs.identity.sso import views

PREFIX = app_settings.OPENID_CONNECT_URL_PREFIX

urlpatterns = [
    path("login/", views.login_page, name="sso_login_page"),
    path(f"{PREFIX}/<str:provider_id>/login/", views.sign_in_with, name="sso_sign_in_with"),
    path(
        f"{PREFIX}/<str:provider_id>/login/callback/",
        views.callback,
        name="sso_callback",
    ),
    path("password/reset/", views.reset_password, name="sso_password_reset"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.reset_password_from_key,
        name="sso_password_reset_from_key",
    ),
]
