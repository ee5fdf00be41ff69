"""Approvals: the inbox of requests a manager or finance may decide, and deciding them."""

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import MoneyOutField, TextField
from portal.api.input import checked
from portal.api.responses import errors
from portal.errors import NotFound
from portal.validators import TEXT_LIMIT
from programs.empowerment.api.permissions import CanApprove
from programs.empowerment.models import ApprovalKind, ApprovalLevel, ApprovalRequest, ApprovalStatus
from programs.empowerment.selectors.approvals import (
    approval_for,
    decidable_by,
    decision_right,
    in_scope_of,
)
from programs.empowerment.services.approvals import decide_approval

ALL = "all"


class ApprovalStepSerializer(serializers.ModelSerializer):
    """One step of a gesture's approval, as the gesture shows it."""

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "level",
            "status",
            "decided_by",
            "on_behalf_of",
            "decided_at",
            "comment",
            "note",
        ]
        read_only_fields = fields


class ApprovalSerializer(serializers.ModelSerializer):
    subject_id = serializers.IntegerField(
        read_only=True, help_text="The gesture's or the budget request's id, as `kind` says."
    )
    amount = MoneyOutField()

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "kind",
            "subject_id",
            "level",
            "amount",
            "requested_by",
            "created_at",
            "due_at",
            "status",
            "team",
            "assignee",
            "note",
            "decided_by",
            "on_behalf_of",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "level": {"help_text": "1: the team's manager; 2: finance."},
            "note": {"help_text": "Why it is where it is: reassigned, escalated, second tier."},
            "on_behalf_of": {"help_text": "The manager a delegate decided for."},
            "comment": {"help_text": "The approver's comment, or the reason for a decline."},
        }


class ApprovalFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*ApprovalStatus.choices, (ALL, "All")],
        required=False,
        help_text="pending (the default): the requests the caller may decide now, oldest first. "
        "Any other status, or all: the requests in the caller's scope, newest first.",
    )
    kind = serializers.ChoiceField(choices=ApprovalKind.choices, required=False)
    level = serializers.ChoiceField(choices=ApprovalLevel.choices, required=False)


class ApproveSerializer(serializers.Serializer):
    comment = TextField(max_length=TEXT_LIMIT, required=False, allow_blank=True, default="")


class DeclineSerializer(serializers.Serializer):
    reason = TextField(
        max_length=TEXT_LIMIT, help_text="Why not: the agent or manager reads it with the decision."
    )


@extend_schema_view(
    get=extend_schema(
        parameters=[ApprovalFilterSerializer],
        responses={200: ApprovalSerializer, **errors(400, 401, 403)},
    )
)
class ApprovalListView(generics.ListAPIView):
    """The approvals inbox: by default every pending request the caller may decide today,
    oldest first, never their own. Other statuses list the decided, escalated or cancelled
    requests in the caller's scope, newest first."""

    serializer_class = ApprovalSerializer

    permission_classes = [CanApprove]

    def get_queryset(self) -> QuerySet[ApprovalRequest]:
        wanted = checked(ApprovalFilterSerializer, self.request.query_params)
        status = wanted.get("status") or ApprovalStatus.PENDING
        if status == ApprovalStatus.PENDING:
            steps = decidable_by(self.request.user)
        else:
            steps = in_scope_of(self.request.user).order_by("-created_at", "-id")
            if status != ALL:
                steps = steps.filter(status=status)
        if wanted.get("kind"):
            steps = steps.filter(kind=wanted["kind"])
        if wanted.get("level"):
            steps = steps.filter(level=wanted["level"])
        return steps


class ApprovalDetailView(APIView):
    """One request: for those who may decide it, and for the person who asked."""

    @extend_schema(responses={200: ApprovalSerializer, **errors(401, 404)})
    def get(self, request, pk: int) -> Response:
        return Response(ApprovalSerializer(approval_for(request.user, pk)).data)


def _step_to_decide(user, pk: int) -> ApprovalRequest:
    """The request, if it exists (else 404), and only if the caller may decide it (else 403),
    asked before the body is read. The service asks again under the row locks."""
    step = ApprovalRequest.objects.filter(pk=pk).first()
    if step is None:
        raise NotFound("No such approval request.")
    decision_right(user, step, day=timezone.localdate())
    return step


class ApproveView(APIView):
    """The approver, or their delegate, approves a request. A final approval turns the
    commitment into spend; a manager's approval above the second-tier threshold sends it on to
    finance."""

    permission_classes = [CanApprove]

    @extend_schema(
        request=ApproveSerializer,
        responses={200: ApprovalSerializer, **errors(400, 401, 403, 404, 409)},
        description="403 for the caller's own request (also through a delegate) or outside "
        "their teams; 409 when already decided or when the team's budget cannot cover it "
        "(the detail gives the numbers).",
    )
    def post(self, request, pk: int) -> Response:
        step = _step_to_decide(request.user, pk)
        entered = checked(ApproveSerializer, request.data)
        decision = decide_approval(
            request=step, actor=request.user, approve=True, comment=entered["comment"]
        )
        return Response(ApprovalSerializer(decision.step).data)


class DeclineView(APIView):
    """The approver, or their delegate, declines a request, always with a reason; the
    commitment is released."""

    permission_classes = [CanApprove]

    @extend_schema(
        request=DeclineSerializer,
        responses={200: ApprovalSerializer, **errors(400, 401, 403, 404, 409)},
        description="400 without a reason; 403 for the caller's own request or outside their "
        "teams; 409 when already decided.",
    )
    def post(self, request, pk: int) -> Response:
        step = _step_to_decide(request.user, pk)
        entered = checked(DeclineSerializer, request.data)
        decision = decide_approval(
            request=step, actor=request.user, approve=False, comment=entered["reason"]
        )
        return Response(ApprovalSerializer(decision.step).data)
