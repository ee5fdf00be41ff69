"""Delegations: a manager hands their approvals to another manager while they are away."""

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from accounts.models import Delegation, User
from portal.api.fields import DayField, IdRelatedField
from portal.api.input import checked
from portal.api.responses import errors
from programs.empowerment.api.permissions import CanDelegate
from programs.empowerment.services.delegations import delegate_approvals


class DelegationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Delegation
        fields = ["id", "delegator", "delegate", "starts_on", "ends_on", "created_at"]
        read_only_fields = fields


class DelegateApprovalsSerializer(serializers.Serializer):
    delegate = IdRelatedField(
        queryset=User.objects.all(),
        error_messages={"does_not_exist": "No such person."},
        help_text="The id of another active manager.",
    )
    starts_on = DayField(help_text="The first day the delegate decides.")
    ends_on = DayField(help_text="The last day, on or after the first.")


@extend_schema_view(get=extend_schema(responses={200: DelegationSerializer, **errors(401, 403)}))
class DelegationListView(generics.ListAPIView):
    """A manager's delegations, given and received, latest start first. Posting one hands the
    caller's approvals to another manager for those dates; when it starts today, their open
    requests move to the delegate at once, with a note."""

    serializer_class = DelegationSerializer

    permission_classes = [CanDelegate]

    def get_queryset(self) -> QuerySet[Delegation]:
        user = self.request.user
        return Delegation.objects.filter(
            Q(delegator=user) | Q(delegate=user), cancelled_at__isnull=True
        ).order_by("-starts_on", "-id")

    @extend_schema(
        request=DelegateApprovalsSerializer,
        responses={201: DelegationSerializer, **errors(400, 401, 403, 409)},
        description="400 when the delegate is not another active manager or the dates are "
        "out of order or already over; 409 when it overlaps another of the caller's "
        "delegations.",
    )
    def post(self, request) -> Response:
        entered = checked(DelegateApprovalsSerializer, request.data)
        delegation = delegate_approvals(delegator=request.user, **entered)
        return Response(DelegationSerializer(delegation).data, status=status.HTTP_201_CREATED)
