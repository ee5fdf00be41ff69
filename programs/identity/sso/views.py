"""The OpenID Connect callback with the portal's ID token checks, and password reset switched
off together with password sign-in."""

from allauth.account.internal.decorators import login_not_required
from allauth.account.views import password_reset, password_reset_from_key
from allauth.socialaccount.models import SocialApp
from django.http import Http404, HttpRequest
from django.shortcuts import render

from programs.identity.sso import config
from programs.identity.sso.provider import CheckedCallbackView, CheckedIDTokenAdapter


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    try:
        view = CheckedCallbackView.adapter_view(CheckedIDTokenAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def _password_reset_off(request: HttpRequest):
    return render(request, "identity/password_reset_off.html", status=403)


@login_not_required
def reset_password(request: HttpRequest):
    if not config.password_login():
        return _password_reset_off(request)
    return password_reset(request)


@login_not_required
def reset_password_from_key(request: HttpRequest, uidb36: str, key: str):
    if not config.password_login():
        return _password_reset_off(request)
    return password_reset_from_key(request, uidb36=uidb36, key=key)
