"""allauth's openid_connect provider, with the ID token checks OpenID Connect asks of a client.

allauth skips the ID token's signature when the token came straight from the token endpoint
(the specification allows it over TLS) and sends no nonce. The portal does both: every
authorisation request carries a fresh nonce, kept in allauth's sign-in state in the session,
and the callback accepts an ID token only as ``tokens.verified_claims`` describes. Anything else
ends on the sign-in error page (allauth catches ``OAuth2Error``).
"""

import secrets

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from typing_extensions import override

from programs.identity.sso import tokens


class CheckedIDTokenAdapter(OpenIDConnectOAuth2Adapter):
    """Verifies every ID token, always, against the nonce of the sign-in it answers."""

    expected_nonce: str | None = None

    @override
    def _decode_id_token(self, app, id_token: str) -> dict:
        with get_adapter().get_requests_session() as session:
            jwks = tokens.fetch_jwks(session, self.openid_config["jwks_uri"])
        return tokens.verified_claims(
            id_token,
            jwks=jwks,
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            nonce=self.expected_nonce,
        )


class NonceProvider(OpenIDConnectProvider):
    """Sends a fresh nonce with each authorisation request and keeps it in the sign-in state."""

    oauth2_adapter_class = CheckedIDTokenAdapter

    @override
    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        # Set last, so that no "auth_params" in the query string can replace it.
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


class CheckedCallbackView(OAuth2CallbackView):
    """allauth's callback, handing the nonce it finds in the sign-in state to the adapter."""

    @override
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        if state is not None:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response
