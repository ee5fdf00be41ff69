"""Appreciation days through the API: listing, creating, changing, publishing, cancelling
and completing them (shifts, invitation links and registrations have modules of their own)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import access_for
from portal.api.fields import LineField, MomentField, TextField, WebAddressField, WholeNumberField
from portal.api.input import checked
from portal.api.responses import errors
from programs.days.api.permissions import CanOrganiseDays
from programs.days.models import (
    MAX_CAPACITY,
    MAX_PARTY_SIZE,
    AppreciationDay,
    DayStatus,
)
from programs.days.selectors import (
    day_for,
    organised_day_for,
    visible_days,
)
from programs.days.services import days as day_service


class AppreciationDaySerializer(serializers.ModelSerializer):
    online_link = serializers.URLField(
        read_only=True, allow_blank=True, help_text="Blank when the day has no online part."
    )
    waitlist_count = serializers.IntegerField(
        read_only=True, help_text="Registrations waiting for a seat."
    )

    class Meta:
        model = AppreciationDay
        fields = [
            "id",
            *day_service.DAY_FIELDS,
            "status",
            "seats_taken",
            "waitlist_count",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"seats_taken": {"help_text": "Sum of the confirmed party sizes."}}


class DayInputSerializer(serializers.Serializer):
    title = LineField(max_length=200)
    description = TextField(max_length=5000, required=False, allow_blank=True, default="")
    starts_at = MomentField()
    ends_at = MomentField()
    venue = LineField(max_length=300, required=False, allow_blank=True, default="")
    online_link = WebAddressField(max_length=500, required=False, allow_blank=True, default="")
    capacity = WholeNumberField(min_value=0, max_value=MAX_CAPACITY)
    max_party_size = WholeNumberField(
        min_value=1, max_value=MAX_PARTY_SIZE, required=False, default=4
    )
    registration_opens_at = MomentField(
        required=False, allow_null=True, default=None, help_text="Now, when left out."
    )
    registration_closes_at = MomentField(
        required=False, allow_null=True, default=None, help_text="The start, when left out."
    )


class CancelDaySerializer(serializers.Serializer):
    reason = TextField(max_length=1000, required=False, allow_blank=True, default="")


class DayFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DayStatus.choices, required=False)


def _day_out(request, day_id: int) -> dict:
    return AppreciationDaySerializer(day_for(request.user, day_id)).data


@extend_schema_view(
    get=extend_schema(
        parameters=[DayFilterSerializer],
        responses={200: AppreciationDaySerializer, **errors(400, 401)},
    )
)
class AppreciationDayListView(generics.ListAPIView):
    """Appreciation days, newest first: everyone sees published, completed and cancelled
    days; organisers see drafts too. An organiser creates one (as a draft) by posting it."""

    serializer_class = AppreciationDaySerializer

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [CanOrganiseDays()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[AppreciationDay]:
        wanted = checked(DayFilterSerializer, self.request.query_params)
        days = visible_days(access_for(self.request.user)).order_by("-starts_at", "-id")
        if wanted.get("status"):
            days = days.filter(status=wanted["status"])
        return days

    @extend_schema(
        request=DayInputSerializer,
        responses={201: AppreciationDaySerializer, **errors(400, 401, 403)},
        description="201 with status draft; the caller organises it. 400 names every bad field "
        "(a day that has ended, an end before the start, registration closing after the end).",
    )
    def post(self, request) -> Response:
        entered = checked(DayInputSerializer, request.data)
        day = day_service.create_day(actor=request.user, **entered)
        return Response(_day_out(request, day.pk), status=status.HTTP_201_CREATED)


class AppreciationDayDetailView(APIView):
    """One day, for anyone who may see it; its organisers change it with PATCH."""

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "PATCH":
            return [CanOrganiseDays()]
        return [IsAuthenticated()]

    @extend_schema(responses={200: AppreciationDaySerializer, **errors(401, 404)})
    def get(self, request, pk: int) -> Response:
        return Response(_day_out(request, pk))

    @extend_schema(
        request=DayInputSerializer(partial=True),
        responses={200: AppreciationDaySerializer, **errors(400, 401, 403, 404, 409)},
        description="The day's organisers only. Capacity cannot drop below the seats already "
        "confirmed (400); more capacity promotes the waitlist at once. 409 once the day is "
        "cancelled or completed.",
    )
    def patch(self, request, pk: int) -> Response:
        day = organised_day_for(request.user, pk)
        entered = checked(DayInputSerializer, request.data, partial=True)
        changes = {k: v for k, v in entered.items() if k in request.data}
        day_service.update_day(day=day, actor=request.user, **changes)
        return Response(_day_out(request, pk))


class _DayAction(APIView):
    permission_classes = [CanOrganiseDays]

    def _day(self, request, pk: int) -> AppreciationDay:
        return organised_day_for(request.user, pk)


class PublishDayView(_DayAction):
    """A draft day opens to customers (inside its registration window) and to staff."""

    @extend_schema(
        request=None, responses={200: AppreciationDaySerializer, **errors(401, 403, 404, 409)}
    )
    def post(self, request, pk: int) -> Response:
        day_service.publish_day(day=self._day(request, pk), actor=request.user)
        return Response(_day_out(request, pk))


class CancelDayView(_DayAction):
    """A draft or published day is called off; its customers and staff are told."""

    @extend_schema(
        request=CancelDaySerializer,
        responses={200: AppreciationDaySerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        day = self._day(request, pk)
        entered = checked(CancelDaySerializer, request.data)
        day_service.cancel_day(day=day, actor=request.user, **entered)
        return Response(_day_out(request, pk))


class CompleteDayView(_DayAction):
    """A published day that has begun is marked as held."""

    @extend_schema(
        request=None, responses={200: AppreciationDaySerializer, **errors(401, 403, 404, 409)}
    )
    def post(self, request, pk: int) -> Response:
        day_service.complete_day(day=self._day(request, pk), actor=request.user)
        return Response(_day_out(request, pk))
