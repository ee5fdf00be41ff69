"""Who may call /scim/v2/: only a bearer of a live provisioning token. A signed-in session is
not enough (the predicate refuses every user), so no browser can be led to provision people."""

import json

from django.http import HttpResponse
from django_scim import constants
from django_scim.middleware import SCIMAuthCheckMiddleware
from typing_extensions import override

from programs.people.provisioning import token_for_key


def no_session_is_a_provisioner(_user) -> bool:
    """``GET_IS_AUTHENTICATED_PREDICATE``: a person's session never authenticates SCIM."""
    return False


class ProvisioningTokenAuth(SCIMAuthCheckMiddleware):
    """django-scim2's auth check (it wraps each SCIM view), reading ``Authorization: Bearer``."""

    @override
    def process_request(self, request):
        scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        token = token_for_key(key.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            body = {
                "schemas": [constants.SchemaURI.ERROR],
                "detail": "A valid provisioning token is required.",
                "status": 401,
            }
            response = HttpResponse(
                json.dumps(body), status=401, content_type=constants.SCIM_CONTENT_TYPE
            )
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        request.provisioning_token = token
        return None
