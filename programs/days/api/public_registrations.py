"""Customers' registrations with no account: through an invitation token, then through the
registration's own manage token. No authentication; throttled per client address."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import (
    EmailAddressField,
    LineField,
    ReferenceField,
    TextField,
    WholeNumberField,
)
from portal.api.input import checked
from portal.api.responses import DETAIL, errors
from portal.api.throttling import ClientScopedRateThrottle
from programs.days.models import MAX_PARTY_SIZE, AppreciationDay, Registration, RegistrationStatus
from programs.days.ratelimits import may_resend_link
from programs.days.selectors import registration_by_token
from programs.days.services.registrations import (
    cancel_registration,
    register_customer,
    resend_registration_link,
)

THROTTLED = {429: OpenApiResponse(DETAIL, description="Too many requests from this address.")}


class PublicRegistrationInputSerializer(serializers.Serializer):
    token = ReferenceField(max_length=200, help_text="The invitation link's token.")
    name = LineField(max_length=150)
    email = EmailAddressField(max_length=254)
    party_size = WholeNumberField(
        min_value=1, max_value=MAX_PARTY_SIZE, help_text="At most the day's max_party_size."
    )
    accessibility_needs = TextField(max_length=1000, required=False, allow_blank=True, default="")
    dietary_needs = TextField(max_length=1000, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(help_text="Must be true.")

    # DRF calls validate_<field>(value) by position.
    def validate_consent(self, value: bool) -> bool:  # noqa: FBT001
        if value is not True:
            raise serializers.ValidationError(
                "Consent is needed: we keep these details only to run the day."
            )
        return value


class PublicRegistrationResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RegistrationStatus.choices)
    position = serializers.IntegerField(
        allow_null=True, help_text="1-based place in the waitlist; null when confirmed."
    )
    manage_token = serializers.CharField(
        allow_null=True,
        help_text="Opens and cancels this registration. Given once, when it is created; null "
        "when the e-mail address was already registered (its holder has the link by e-mail).",
    )
    manage_url = serializers.CharField(allow_null=True)
    detail = serializers.CharField(required=False)


class PublicDaySerializer(serializers.ModelSerializer):
    online_link = serializers.URLField(
        read_only=True, allow_blank=True, help_text="Blank when the day has no online part."
    )

    class Meta:
        model = AppreciationDay
        fields = ["id", "title", "starts_at", "ends_at", "venue", "online_link", "status"]
        read_only_fields = fields


class PublicRegistrationSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(source="waitlist_position", read_only=True, allow_null=True)
    day = PublicDaySerializer(read_only=True)

    class Meta:
        model = Registration
        fields = [
            "name",
            "email",
            "party_size",
            "accessibility_needs",
            "dietary_needs",
            "status",
            "position",
            "checked_in_at",
            "created_at",
            "cancelled_at",
            "day",
        ]
        read_only_fields = fields


class _Public(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "public"


class PublicRegistrationView(_Public):
    """Register for a day through an invitation link, with no account."""

    @extend_schema(
        request=PublicRegistrationInputSerializer,
        responses={
            201: PublicRegistrationResultSerializer,
            200: PublicRegistrationResultSerializer,
            **errors(400, 404, 409),
            **THROTTLED,
        },
        auth=[],
        description="201 confirmed (position null) or waitlisted (position N). The same e-mail "
        "address again for the same day: 200 with the existing registration's status and "
        "position, and no second place. 404 for an unknown, revoked, expired or used-up link; "
        "409 when the day is not open for registration.",
    )
    def post(self, request) -> Response:
        entered = checked(PublicRegistrationInputSerializer, request.data)
        outcome = register_customer(**entered)
        registration = outcome.registration
        body = {"status": registration.status, "position": outcome.position}
        if outcome.created:
            path = reverse("days:registration-manage", args=[registration.manage_token])
            body |= {
                "manage_token": registration.manage_token,
                "manage_url": request.build_absolute_uri(path),
            }
            return Response(body, status=status.HTTP_201_CREATED)
        # Knowing an address is not owning it: the manage token stays with whoever received it.
        body |= {
            "manage_token": None,
            "manage_url": None,
            "detail": "This e-mail address is already registered for this day.",
        }
        return Response(body, status=status.HTTP_200_OK)


class PublicResendLinkInputSerializer(serializers.Serializer):
    token = ReferenceField(
        max_length=200,
        help_text="The invitation link's token; a revoked, expired or used-up link will do.",
    )
    email = EmailAddressField(max_length=254, help_text="The address the customer registered with.")


RESENT = (
    "If this address is registered for the invitation's day, its private link is on its way to it."
)


class PublicResendLinkView(_Public):
    """A customer who lost their confirmation asks for their private link again."""

    @extend_schema(
        request=PublicResendLinkInputSerializer,
        responses={
            202: OpenApiResponse(DETAIL, description="The same answer for every address."),
            **errors(400),
            429: OpenApiResponse(
                DETAIL,
                description="Too many requests from this client address, or for this e-mail "
                "address (RESEND_LINK_RATE_LIMIT, counted with the page's form).",
            ),
        },
        auth=[],
        description="E-mails the address's private link for the invitation's day (an active "
        "registration), or, when it only has cancelled ones, says how to register again; "
        "nothing for an address with no registration for that day. The answer never says "
        "which: 202 whatever the address.",
    )
    def post(self, request) -> Response:
        entered = checked(PublicResendLinkInputSerializer, request.data)
        email = entered["email"]
        if not may_resend_link(request._request, email=email):
            raise Throttled(
                detail="Too many requests for a link, from here or for this address. "
                "Please try again later."
            )
        resend_registration_link(token=entered["token"], email=email)
        return Response({"detail": RESENT}, status=status.HTTP_202_ACCEPTED)


class PublicRegistrationDetailView(_Public):
    """The registration a manage token opens, and nothing else."""

    @extend_schema(
        responses={200: PublicRegistrationSerializer, **errors(404), **THROTTLED}, auth=[]
    )
    def get(self, _request, manage_token: str) -> Response:
        return Response(PublicRegistrationSerializer(registration_by_token(manage_token)).data)


class PublicRegistrationCancelView(_Public):
    """Cancel the registration a manage token opens: its seats go to the waitlist in order."""

    @extend_schema(
        request=None,
        responses={200: PublicRegistrationSerializer, **errors(404, 409), **THROTTLED},
        auth=[],
        description="409 when already cancelled or checked in, or when the day is over.",
    )
    def post(self, _request, manage_token: str) -> Response:
        registration = registration_by_token(manage_token)
        cancel_registration(registration=registration)
        return Response(PublicRegistrationSerializer(registration_by_token(manage_token)).data)
