from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.throttling import ClientScopedRateThrottle
from programs.api.fields import EmailAddressField, PasswordField


class TokenRequestSerializer(serializers.Serializer):
    email = EmailAddressField(max_length=254)
    password = PasswordField(max_length=256)


class ObtainTokenView(APIView):
    """Exchange an e-mail and password for an API token (``Authorization: Token <key>``)."""

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
                {"non_field_errors": serializers.ListField(child=serializers.CharField())},
            ),
            429: None,
        },
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            email=data.validated_data["email"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": ["Unable to log in with that e-mail address and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
