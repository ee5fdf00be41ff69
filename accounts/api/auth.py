from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.signals import api_token_issued
from portal.api.fields import EmailAddressField, PasswordField
from portal.api.input import checked
from portal.api.throttling import ClientScopedRateThrottle


class TokenRequestSerializer(serializers.Serializer):
    email = EmailAddressField(max_length=254)
    password = PasswordField(max_length=256)


class ObtainTokenView(APIView):
    """Exchange an e-mail and password for an API token (``Authorization: Token <key>``).

    Failed attempts count against the account together with those at the login page (allauth's
    ``login_failed`` rate limit, whatever the client address); while the account is locked the
    answer is 429, even for the right password. A success removes only its own attempt from
    the count, as on the login page, so it never clears someone else's guesses.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: inline_serializer(
                "TokenError",
                {
                    # Each field's own messages, or the refusal of the pair as a whole.
                    name: serializers.ListField(child=serializers.CharField(), required=False)
                    for name in ("email", "password", "non_field_errors")
                },
            ),
            429: OpenApiResponse(
                inline_serializer("TokenThrottled", {"detail": serializers.CharField()}),
                description="Too many requests from this address, or too many failed "
                "attempts for this account (at the API and the login page together).",
            ),
        },
        auth=[],
    )
    def post(self, request):
        entered = checked(TokenRequestSerializer, request.data)
        try:
            user = get_adapter(request).authenticate(
                request._request,
                email=entered["email"],
                password=entered["password"],
            )
        except ValidationError as refusal:
            if refusal.code != "too_many_login_attempts":
                raise
            raise Throttled(detail=refusal.messages[0]) from None
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": ["Unable to log in with that e-mail address and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _ = Token.objects.get_or_create(user=user)
        api_token_issued.send(sender=type(self), request=request._request, user=user)
        return Response({"token": token.key})
