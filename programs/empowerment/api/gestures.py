"""Gestures: logging them, listing and reading them, recording outcomes, withdrawing."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team
from accounts.permissions import access_for
from portal.api.fields import (
    AmountField,
    DayField,
    IdField,
    IdRelatedField,
    LineField,
    MoneyOutField,
    ReferenceField,
    SlugChoiceField,
    TextField,
)
from portal.api.input import checked
from portal.api.responses import errors
from portal.errors import InvalidInput
from portal.validation import clean_past_date
from portal.validators import TEXT_LIMIT
from programs.empowerment.api.approvals import ApprovalStepSerializer
from programs.empowerment.api.permissions import CanLogGestures, IsTheGesturesAgent
from programs.empowerment.models import (
    CHOOSE_CATEGORY,
    CUSTOMER_NAME_LIMIT,
    CUSTOMER_REF_LIMIT,
    ApprovalRequest,
    Channel,
    Flag,
    Gesture,
    GestureStatus,
    OutcomeRating,
)
from programs.empowerment.selectors.gestures import filter_gestures, gesture_for, visible_gestures
from programs.empowerment.selectors.programmes import categories, programmes
from programs.empowerment.services.gestures import (
    log_gesture,
    record_gesture_outcome,
    withdraw_gesture,
)


class GestureSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    committed = MoneyOutField(source="committed_amount")
    outcome_rating = serializers.ChoiceField(
        choices=OutcomeRating.choices, allow_blank=True, read_only=True
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=Flag.choices), read_only=True
    )
    policy_snapshot = serializers.DictField(
        read_only=True, help_text="The policy values that decided the status when it was logged."
    )
    approvals = ApprovalStepSerializer(
        source="approval_requests",
        many=True,
        read_only=True,
        help_text="The gesture's approval steps, oldest first; none when approved automatically.",
    )

    class Meta:
        model = Gesture
        fields = [
            "id",
            "agent",
            "team",
            "programme",
            "customer_ref",
            "customer_name",
            "channel",
            "category",
            "situation",
            "action",
            "outcome",
            "outcome_rating",
            "cost",
            "committed",
            "currency",
            "occurred_on",
            "keep_private",
            "status",
            "flags",
            "policy_snapshot",
            "created_at",
            "approvals",
        ]
        read_only_fields = fields


class GestureFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=GestureStatus.choices, required=False)
    team = IdField(required=False)
    agent = IdField(required=False)
    since = DayField(required=False, help_text="Happened on or after this date.")
    until = DayField(required=False, help_text="Happened on or before this date.")

    def validate(self, attrs: dict) -> dict:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": ["Choose a date on or after since."]})
        return attrs


class LogGestureSerializer(serializers.Serializer):
    programme = IdRelatedField(queryset=programmes(), required=False, allow_null=True)
    team = IdRelatedField(
        queryset=Team.objects.all(),
        required=False,
        allow_null=True,
        help_text="Needed only when the agent works in several teams.",
    )
    customer_ref = ReferenceField(max_length=CUSTOMER_REF_LIMIT)
    customer_name = LineField(max_length=CUSTOMER_NAME_LIMIT, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = SlugChoiceField(
        slug_field="slug",
        queryset=categories(),
        error_messages={"does_not_exist": CHOOSE_CATEGORY},
    )
    situation = TextField(max_length=TEXT_LIMIT)
    action = TextField(max_length=TEXT_LIMIT)
    outcome = TextField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
    cost = AmountField()
    occurred_on = DayField(
        help_text="The day it happened: not in the future, and within the last year."
    )
    keep_private = serializers.BooleanField(
        required=False, default=False, help_text="Keep its story off the story wall."
    )

    def validate_occurred_on(self, value: date) -> date:
        # Checked here as well as in the service so one answer lists every bad field at once.
        try:
            return clean_past_date(value, today=timezone.localdate())
        except InvalidInput as error:
            raise serializers.ValidationError(error.field_errors["occurred_on"]) from None


class OutcomeSerializer(serializers.Serializer):
    outcome = TextField(
        max_length=TEXT_LIMIT,
        required=False,
        allow_blank=True,
        help_text="What the customer said; left as it was when omitted.",
    )
    outcome_rating = serializers.ChoiceField(choices=OutcomeRating.choices)


@extend_schema_view(
    get=extend_schema(
        parameters=[GestureFilterSerializer], responses={200: GestureSerializer, **errors(400, 401)}
    )
)
class GestureListView(generics.ListAPIView):
    """Gestures newest first: agents see their own, managers their teams', finance and admins
    all. An agent logs one by posting it, and its status is decided at once."""

    serializer_class = GestureSerializer

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [CanLogGestures()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Gesture]:
        wanted = checked(GestureFilterSerializer, self.request.query_params)
        gestures = filter_gestures(
            visible_gestures(access_for(self.request.user)),
            status=wanted.get("status"),
            team_id=wanted.get("team"),
            agent_id=wanted.get("agent"),
            since=wanted.get("since"),
            until=wanted.get("until"),
        )
        # One query for every listed gesture's approval steps, however long the page.
        steps = ApprovalRequest.objects.order_by("created_at", "id")
        return gestures.prefetch_related(Prefetch("approval_requests", queryset=steps))

    @extend_schema(
        request=LogGestureSerializer,
        responses={201: GestureSerializer, **errors(400, 401, 403, 409)},
        description="201 with status approved or pending; 409 when there is no active "
        "programme to log it against.",
    )
    def post(self, request) -> Response:
        entered = checked(LogGestureSerializer, request.data)
        gesture = log_gesture(**entered, agent=request.user).gesture
        return Response(GestureSerializer(gesture).data, status=status.HTTP_201_CREATED)


class GestureDetailView(APIView):
    """One gesture, if the caller may see it."""

    @extend_schema(responses={200: GestureSerializer, **errors(401, 404)})
    def get(self, request, pk: int) -> Response:
        return Response(GestureSerializer(gesture_for(request.user, pk)).data)


class GestureOutcomeView(APIView):
    """The gesture's agent records how it turned out, at any time after logging it."""

    permission_classes = [IsAuthenticated, IsTheGesturesAgent]

    @extend_schema(
        request=OutcomeSerializer,
        responses={200: GestureSerializer, **errors(400, 401, 403, 404)},
    )
    def patch(self, request, pk: int) -> Response:
        gesture = gesture_for(request.user, pk)
        self.check_object_permissions(request, gesture)
        entered = checked(OutcomeSerializer, request.data)
        gesture = record_gesture_outcome(
            gesture=gesture,
            actor=request.user,
            outcome=entered.get("outcome", gesture.outcome),
            outcome_rating=entered["outcome_rating"],
        )
        return Response(GestureSerializer(gesture).data)


class GestureWithdrawView(APIView):
    """The gesture's agent takes back a gesture still waiting for approval."""

    permission_classes = [IsAuthenticated, IsTheGesturesAgent]

    @extend_schema(request=None, responses={200: GestureSerializer, **errors(401, 403, 404, 409)})
    def post(self, request, pk: int) -> Response:
        gesture = gesture_for(request.user, pk)
        self.check_object_permissions(request, gesture)
        return Response(
            GestureSerializer(withdraw_gesture(gesture=gesture, actor=request.user)).data
        )
