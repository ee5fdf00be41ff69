"""A day's registrations through the API: the organisers' list and check-in at the door."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import LineField
from portal.api.input import checked
from portal.api.responses import errors
from programs.days.api.permissions import CanOrganiseDays
from programs.days.models import (
    Registration,
    RegistrationStatus,
)
from programs.days.selectors import (
    organised_day_for,
    registration_for_organiser,
    registrations_of,
)
from programs.days.services.registrations import check_in_registration


class RegistrationSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(
        source="waitlist_position",
        read_only=True,
        allow_null=True,
        help_text="1-based place in the waitlist; null unless waitlisted.",
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "name",
            "email",
            "party_size",
            "status",
            "position",
            "checked_in_at",
            "accessibility_needs",
            "dietary_needs",
            "created_at",
            "promoted_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class RegistrationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RegistrationStatus.choices, required=False)
    search = LineField(
        max_length=254, required=False, help_text="Part of a name or e-mail address."
    )


@extend_schema_view(
    get=extend_schema(
        parameters=[RegistrationFilterSerializer],
        responses={200: RegistrationSerializer, **errors(400, 401, 403, 404)},
    )
)
class DayRegistrationListView(generics.ListAPIView):
    """A day's registrations in arrival order (so the waitlist reads in its order), for the
    day's organisers only: anyone else gets 403, an organiser of other days 404."""

    serializer_class = RegistrationSerializer
    permission_classes = [CanOrganiseDays]

    def get_queryset(self) -> QuerySet[Registration]:
        pk = self.kwargs["pk"]
        day = organised_day_for(self.request.user, pk)
        wanted = checked(RegistrationFilterSerializer, self.request.query_params)
        return registrations_of(
            day, search=wanted.get("search", ""), status=wanted.get("status", "")
        )


class CheckInView(APIView):
    """The day's organisers check a confirmed party in at the door, once."""

    permission_classes = [CanOrganiseDays]

    @extend_schema(
        request=None,
        responses={200: RegistrationSerializer, **errors(401, 403, 404, 409)},
        description="409 when the registration is not confirmed or is already checked in.",
    )
    def post(self, request, pk: int) -> Response:
        registration = registration_for_organiser(request.user, pk)
        check_in_registration(registration=registration, actor=request.user)
        return Response(RegistrationSerializer(registration_for_organiser(request.user, pk)).data)
