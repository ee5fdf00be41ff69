"""An agent's allowance for the current period: what they may still spend without asking."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import MoneyOutField
from portal.api.responses import errors
from portal.errors import NotFound
from programs.empowerment.api.permissions import CanLogGestures
from programs.empowerment.selectors.allowances import allowance_summary
from programs.empowerment.selectors.programmes import active_programme


class AllowanceSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    allowance = MoneyOutField()
    spent = MoneyOutField()
    committed = MoneyOutField()
    remaining = MoneyOutField()
    approved_above = MoneyOutField()


class AllowanceView(APIView):
    """The caller's allowance in the active programme for today's period: spent is approved
    gestures, committed is gestures waiting for approval, approved_above the part of spent a
    manager approved beyond the allowance."""

    permission_classes = [CanLogGestures]

    @extend_schema(responses={200: AllowanceSerializer, **errors(401, 403, 404)})
    def get(self, request) -> Response:
        programme = active_programme()
        if programme is None:
            raise NotFound("There is no active empowerment programme.")
        summary = allowance_summary(
            programme=programme, agent_id=request.user.pk, day=timezone.localdate()
        )
        return Response(AllowanceSerializer(summary).data)
