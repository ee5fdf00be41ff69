"""``Authorization: Bearer <personal token>`` for the API, beside ``Token <key>`` and the
browser session (REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from typing_extensions import override

from accounts.two_factor import enrolment_refusal, must_enrol
from programs.identity.api_tokens.models import KEY_PREFIX
from programs.identity.api_tokens.services import token_for_key

REFUSED = "Invalid or revoked personal token."


class PersonalTokenAuthentication(BaseAuthentication):
    """A personal API token (programs/identity/api_tokens). A request with another scheme is
    left to the other classes; a Bearer that is not a live token of an active person is
    refused outright (401), whatever else the request carries. Like every other way in, a token
    of someone who must enrol in two-factor authentication first (finance or an administrator
    who removed theirs) is refused with where to enrol (403)."""

    keyword = b"bearer"

    @override
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:  # the scheme and the key
            raise AuthenticationFailed("Give the token after Bearer, with no spaces in it.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(REFUSED) from None
        token = token_for_key(key)
        if token is None or not token.person.is_active:
            raise AuthenticationFailed(REFUSED)
        if must_enrol(token.person):
            raise PermissionDenied(enrolment_refusal(request._request))
        return (token.person, token)

    @override
    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """How the schema (/api/schema/) describes the scheme to integrators."""

    target_class = PersonalTokenAuthentication
    name = "personalToken"

    @override
    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": f"{KEY_PREFIX}…",
            "description": "A personal API token from the portal's “API tokens” page "
            "(account menu): `Authorization: Bearer " + KEY_PREFIX + "…`.",
        }
