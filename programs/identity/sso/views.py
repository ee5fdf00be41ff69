"""The OpenID Connect callback with the portal's ID token checks, the pages whose forms lead to
the identity provider, and password reset switched off together with password sign-in."""

from allauth.account.internal.decorators import login_not_required
from allauth.account.views import login, password_reset, password_reset_from_key
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.openid_connect.views import login as provider_login
from django.http import Http404, HttpRequest
from django.shortcuts import render

from programs.identity.sso import config
from programs.identity.sso.provider import CheckedCallbackView, CheckedIDTokenAdapter


def _configured(provider_id: str) -> None:
    # Only the providers of SSO_PROVIDERS: anything else in the URL is a 404 before allauth
    # looks for it in the database (where a NUL byte, say, would be a server error).
    if provider_id not in {app["provider_id"] for app in config.provider_apps()}:
        raise Http404


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    _configured(provider_id)
    try:
        view = CheckedCallbackView.adapter_view(CheckedIDTokenAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def _forms_may_lead_to_the_providers(response):
    # The Content-Security-Policy's form-action is 'self': a browser would stop the redirect a
    # "Sign in with" form leads to. These pages also allow the providers' origins.
    origins = config.provider_origins()
    if origins:
        response._csp_update = {"form-action": origins}
    return response


@login_not_required
def login_page(request: HttpRequest):
    return _forms_may_lead_to_the_providers(login(request))


@login_not_required
def sign_in_with(request: HttpRequest, provider_id: str):
    """allauth's start of a sign-in (a GET asks first, with a form; a POST goes)."""
    _configured(provider_id)
    return _forms_may_lead_to_the_providers(provider_login(request, provider_id))


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
