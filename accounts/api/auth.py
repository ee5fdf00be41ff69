from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.signals import api_token_issued
from accounts.two_factor import CodeRefused, check_code, enrolment_refusal, has_two_factor
from accounts.two_factor import must_enrol as must_enrol_first
from portal.api.fields import EmailAddressField, LineField, PasswordField
from portal.api.input import checked
from portal.api.throttling import ClientScopedRateThrottle

LOCKED = "too_many_login_attempts"
CODE_NEEDED = "Enter the code from your authenticator app, or a recovery code."


class TokenRequestSerializer(serializers.Serializer):
    email = EmailAddressField(max_length=254)
    password = PasswordField(max_length=256)
    code = LineField(
        max_length=64,
        required=False,
        help_text="For a person with two-factor authentication: a code from their "
        "authenticator app, or one of their unused recovery codes (each works once).",
    )


class ObtainTokenView(APIView):
    """Exchange an e-mail, password and (with two-factor authentication) a code for an API
    token (``Authorization: Token <key>``).

    Failed attempts count against the account together with those at the login page (allauth's
    ``login_failed`` rate limit, whatever the client address); a wrong code counts as one too
    (programs/identity/signals.py). While the account is locked the answer is 429, even for the
    right password. A success removes only its own attempt from the count, as on the login
    page, so it never clears someone else's guesses. Someone whose role requires two-factor
    authentication (``MFA_REQUIRED_ROLES``) and who has not enrolled gets 403.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(
                inline_serializer(
                    "TokenError",
                    {
                        # Each field's own messages, or the refusal of the pair as a whole.
                        name: serializers.ListField(child=serializers.CharField(), required=False)
                        for name in ("email", "password", "code", "non_field_errors")
                    },
                ),
                description="A field is missing or malformed; the e-mail address and password "
                "do not match; or the person has two-factor authentication and the code is "
                "missing, wrong or already used (a `code` error).",
                examples=[
                    OpenApiExample("Code needed", value={"code": [CODE_NEEDED]}),
                    OpenApiExample("Wrong code", value={"code": ["Incorrect code."]}),
                ],
            ),
            403: OpenApiResponse(
                inline_serializer("TokenEnrolFirst", {"detail": serializers.CharField()}),
                description="The person's role requires two-factor authentication and they "
                "have not set it up yet: the message says where to.",
            ),
            429: OpenApiResponse(
                inline_serializer("TokenThrottled", {"detail": serializers.CharField()}),
                description="Too many requests from this address, or too many failed "
                "attempts (passwords and codes) for this account, at the API and the login "
                "page together.",
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
            if refusal.code != LOCKED:
                raise
            raise Throttled(detail=refusal.messages[0]) from None
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": ["Unable to log in with that e-mail address and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if must_enrol_first(user):
            return Response(
                {"detail": enrolment_refusal(request._request)}, status=status.HTTP_403_FORBIDDEN
            )
        if has_two_factor(user):
            if not entered.get("code"):
                return Response(
                    {"code": [CODE_NEEDED]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            try:
                check_code(user=user, code=entered["code"])
            except CodeRefused as refusal:
                if refusal.reason == LOCKED:
                    raise Throttled(detail=refusal.message) from None
                return Response({"code": [refusal.message]}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        api_token_issued.send(sender=type(self), request=request._request, user=user)
        return Response({"token": token.key})
