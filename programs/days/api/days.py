"""Appreciation days: days and their life, shifts and sign-ups, invitation links, the
organisers' registrations list and check-in."""

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Access, access_for, api_capability
from portal.api.fields import LineField, MomentField, TextField, WebAddressField, WholeNumberField
from portal.api.responses import errors
from programs.days.models import (
    MAX_CAPACITY,
    MAX_PARTY_SIZE,
    AppreciationDay,
    DayStatus,
    Invitation,
    Registration,
    RegistrationStatus,
    Shift,
)
from programs.days.selectors import (
    day_for,
    invitation_for_organiser,
    invitations_of,
    my_shifts,
    organised_day_for,
    registration_for_organiser,
    registrations_of,
    shift_for,
    shifts_for,
    visible_days,
)
from programs.days.services import days as day_service
from programs.days.services import shifts as shift_service
from programs.days.services.registrations import check_in_registration

CanOrganiseDays = api_capability(Access.can_organise_days, "organise appreciation days")


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
            "title",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "capacity",
            "max_party_size",
            "registration_opens_at",
            "registration_closes_at",
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


class InvitationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The link to send to customers.")
    state = serializers.SerializerMethodField(
        help_text="active, revoked, expired or used up (only an active link admits anyone)."
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "token",
            "url",
            "label",
            "max_uses",
            "uses",
            "expires_at",
            "revoked_at",
            "state",
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, invitation: Invitation) -> str:
        path = day_service.invitation_path(invitation)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_state(self, invitation: Invitation) -> str:
        return invitation.state_at(timezone.now())


class InvitationInputSerializer(serializers.Serializer):
    label = LineField(max_length=120)
    max_uses = WholeNumberField(
        min_value=1, max_value=day_service.MOST_USES, required=False, allow_null=True
    )
    expires_at = MomentField(required=False, allow_null=True)


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


def _day_out(request, day_id: int) -> dict:
    return AppreciationDaySerializer(day_for(request.user, day_id)).data


class AppreciationDayListView(generics.ListAPIView):
    """Appreciation days, newest first: everyone sees published, completed and cancelled
    days; organisers see drafts too. An organiser creates one (as a draft) by posting it."""

    serializer_class = AppreciationDaySerializer

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [CanOrganiseDays()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[AppreciationDay]:
        filters = DayFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        days = visible_days(access_for(self.request.user)).order_by("-starts_at", "-id")
        if filters.validated_data.get("status"):
            days = days.filter(status=filters.validated_data["status"])
        return days

    @extend_schema(
        parameters=[DayFilterSerializer],
        responses={200: AppreciationDaySerializer, **errors(400, 401)},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DayInputSerializer,
        responses={201: AppreciationDaySerializer, **errors(400, 401, 403)},
        description="201 with status draft; the caller organises it. 400 names every bad field "
        "(a day that has ended, an end before the start, registration closing after the end).",
    )
    def post(self, request) -> Response:
        data = DayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        day = day_service.create_day(actor=request.user, **data.validated_data)
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
        data = DayInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {k: v for k, v in data.validated_data.items() if k in request.data}
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
        data = CancelDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        day_service.cancel_day(day=day, actor=request.user, **data.validated_data)
        return Response(_day_out(request, pk))


class CompleteDayView(_DayAction):
    """A published day that has begun is marked as held."""

    @extend_schema(
        request=None, responses={200: AppreciationDaySerializer, **errors(401, 403, 404, 409)}
    )
    def post(self, request, pk: int) -> Response:
        day_service.complete_day(day=self._day(request, pk), actor=request.user)
        return Response(_day_out(request, pk))


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

    @extend_schema(responses={200: ShiftSerializer, **errors(401, 404)})
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ShiftInputSerializer,
        responses={201: ShiftSerializer, **errors(400, 401, 403, 404, 409)},
        description="409 when the day is cancelled or completed.",
    )
    def post(self, request, pk: int) -> Response:
        day = organised_day_for(request.user, pk)
        data = ShiftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shift = shift_service.add_shift(day=day, actor=request.user, **data.validated_data)
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


class MyShiftsView(generics.ListAPIView):
    """The caller's shifts that have not ended, soonest first."""

    serializer_class = ShiftSerializer

    def get_queryset(self) -> QuerySet[Shift]:
        ids = my_shifts(self.request.user, now=timezone.now()).values("shift_id")
        return (
            shifts_for(access_for(self.request.user)).filter(pk__in=ids).order_by("starts_at", "id")
        )

    @extend_schema(responses={200: ShiftSerializer, **errors(401)})
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class DayInvitationListView(generics.ListAPIView):
    """A day's invitation links, newest first, for its organisers; posting creates one."""

    serializer_class = InvitationSerializer
    permission_classes = [CanOrganiseDays]

    def get_queryset(self) -> QuerySet[Invitation]:
        pk = self.kwargs["pk"]
        return invitations_of(organised_day_for(self.request.user, pk))

    @extend_schema(responses={200: InvitationSerializer, **errors(401, 403, 404)})
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer, **errors(400, 401, 403, 404, 409)},
        description="The token is 256 random bits; `url` is the page customers register at.",
    )
    def post(self, request, pk: int) -> Response:
        day = organised_day_for(request.user, pk)
        data = InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = day_service.create_invitation(
            day=day, actor=request.user, **data.validated_data
        )
        return Response(
            InvitationSerializer(invitation, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class RevokeInvitationView(APIView):
    """The link stops working at once; registrations made through it stand."""

    permission_classes = [CanOrganiseDays]

    @extend_schema(request=None, responses={200: InvitationSerializer, **errors(401, 403, 404)})
    def post(self, request, pk: int) -> Response:
        link = invitation_for_organiser(request.user, pk)
        link = day_service.revoke_invitation(invitation=link, actor=request.user)
        return Response(InvitationSerializer(link, context={"request": request}).data)


class DayRegistrationListView(generics.ListAPIView):
    """A day's registrations in arrival order (so the waitlist reads in its order), for the
    day's organisers only: anyone else gets 403, an organiser of other days 404."""

    serializer_class = RegistrationSerializer
    permission_classes = [CanOrganiseDays]

    def get_queryset(self) -> QuerySet[Registration]:
        pk = self.kwargs["pk"]
        day = organised_day_for(self.request.user, pk)
        filters = RegistrationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        return registrations_of(
            day, search=wanted.get("search", ""), status=wanted.get("status", "")
        )

    @extend_schema(
        parameters=[RegistrationFilterSerializer],
        responses={200: RegistrationSerializer, **errors(400, 401, 403, 404)},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


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
