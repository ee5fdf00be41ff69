"""allauth's social account hooks, wired to the portal's rules (``admission``, ``groups``)."""

import logging

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render
from typing_extensions import override

from accounts.models import User
from programs.identity.sso import admission
from programs.identity.sso.admission import Decision, Refused
from programs.identity.sso.provider import NonceProvider
from programs.people import services as people

logger = logging.getLogger(__name__)


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-in through the company's provider: link, create or refuse (see ``admission``)."""

    @override
    def get_provider(self, request: HttpRequest, provider, client_id=None):
        found = super().get_provider(request, provider, client_id=client_id)
        if type(found) is OpenIDConnectProvider:
            return NonceProvider(request, app=found.app)
        return found

    @override
    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            # Accounts are linked by signing in (below), never from a page while signed in.
            raise ImmediateHttpResponse(refusal(request, Decision("", Refused.NOT_SIGN_IN)))
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise ImmediateHttpResponse(
                    refusal(request, Decision(sociallogin.user.email, Refused.INACTIVE))
                )
            return
        decision = _decide(sociallogin)
        if decision.refused:
            raise ImmediateHttpResponse(refusal(request, decision))
        if decision.person is not None:
            sociallogin.connect(request, decision.person)

    @override
    def on_authentication_error(
        self, request: HttpRequest, provider, error=None, exception=None, extra_context=None
    ) -> None:
        # The page tells the person little; the log tells the administrator why.
        logger.warning(
            "Sign-in through %s failed: %s %s",
            getattr(provider, "sub_id", provider),
            error,
            exception or "",
        )

    @override
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # The account adapter keeps sign-up closed; a sign-in that pre_social_login admitted
        # for creation is the one way in.
        decision = _decide(sociallogin)
        return decision.refused is None and decision.person is None

    @override
    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None) -> User:
        claims = admission.claims_of(sociallogin.account.extra_data)
        email = admission.clean_email(claims.get("email"))
        with transaction.atomic():
            person = people.create_person(
                email=email, name=admission.display_name(claims, email), actor=None
            )
            sociallogin.user = person
            sociallogin.save(request)
        return person


def _decide(sociallogin: SocialLogin) -> Decision:
    return admission.decide(
        claims=admission.claims_of(sociallogin.account.extra_data),
        verified_claim=sociallogin.provider.app.settings.get("verified_claim", "email_verified"),
    )


def refusal(request: HttpRequest, decision: Decision):
    return render(
        request,
        "identity/sso_refused.html",
        {
            "reason": decision.refused,
            "email": decision.email,
            "domain": decision.email.rpartition("@")[2],
        },
        status=403,
    )
