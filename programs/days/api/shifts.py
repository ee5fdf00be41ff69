"""A day's shifts through the API: organisers add them, staff sign up and leave."""

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import access_for
from portal.api.fields import LineField, MomentField, TextField, WholeNumberField
from portal.api.input import checked
from portal.api.responses import errors
from programs.days.api.permissions import CanOrganiseDays
from programs.days.models import (
    Shift,
)
from programs.days.selectors import (
    day_for,
    my_shifts,
    organised_day_for,
    shift_for,
    shifts_for,
)
from programs.days.services import shifts as shift_service


class ShiftSerializer(serializers.ModelSerializer):
    signed_up = serializers.BooleanField(
        source="is_mine", read_only=True, help_text="Whether the caller holds this shift."
    )

    class Meta:
        model = Shift
        fields = [
            "id",
            "day",
            "role",
            "description",
            "starts_at",
            "ends_at",
            "capacity",
            "taken",
            "signed_up",
        ]
        read_only_fields = fields


class ShiftInputSerializer(serializers.Serializer):
    role = LineField(max_length=120)
    starts_at = MomentField()
    ends_at = MomentField()
    capacity = WholeNumberField(min_value=1, max_value=shift_service.MOST_PER_SHIFT)
    description = TextField(max_length=1000, required=False, allow_blank=True, default="")


@extend_schema_view(get=extend_schema(responses={200: ShiftSerializer, **errors(401, 404)}))
class DayShiftListView(generics.ListAPIView):
    """A day's shifts, soonest first, each with how many have taken it and whether the caller
    has; the day's organisers add one by posting it."""

    serializer_class = ShiftSerializer

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [CanOrganiseDays()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Shift]:
        pk = self.kwargs["pk"]
        day = day_for(self.request.user, pk)
        return shifts_for(access_for(self.request.user)).filter(day=day)

    @extend_schema(
        request=ShiftInputSerializer,
        responses={201: ShiftSerializer, **errors(400, 401, 403, 404, 409)},
        description="409 when the day is cancelled or completed.",
    )
    def post(self, request, pk: int) -> Response:
        day = organised_day_for(request.user, pk)
        entered = checked(ShiftInputSerializer, request.data)
        shift = shift_service.add_shift(day=day, actor=request.user, **entered)
        return Response(
            ShiftSerializer(shift_for(request.user, shift.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ShiftSignupView(APIView):
    """Any member of staff takes a place on a shift, or gives it back."""

    @extend_schema(
        request=None,
        responses={201: ShiftSerializer, **errors(401, 404, 409)},
        description="409 when the shift is full, has started, is already the caller's, or "
        "overlaps another shift the caller holds, or when the day is not published.",
    )
    def post(self, request, pk: int) -> Response:
        shift = shift_for(request.user, pk)
        shift_service.sign_up_for_shift(shift=shift, user=request.user)
        return Response(
            ShiftSerializer(shift_for(request.user, pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={204: None, **errors(401, 404, 409)})
    def delete(self, request, pk: int) -> Response:
        shift = shift_for(request.user, pk)
        shift_service.leave_shift(shift=shift, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(get=extend_schema(responses={200: ShiftSerializer, **errors(401)}))
class MyShiftsView(generics.ListAPIView):
    """The caller's shifts that have not ended, soonest first."""

    serializer_class = ShiftSerializer

    def get_queryset(self) -> QuerySet[Shift]:
        ids = my_shifts(self.request.user, now=timezone.now()).values("shift_id")
        return (
            shifts_for(access_for(self.request.user)).filter(pk__in=ids).order_by("starts_at", "id")
        )
