"""Insights through the API: the same figures as the dashboards, from the same selectors."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Access, access_for, api_capability
from portal.api.fields import DayField, IdField, MonthField, WholeNumberField
from portal.api.responses import errors
from programs.empowerment.selectors.programmes import active_programme
from programs.insights.selectors import (
    UNUSED_DAYS,
    insight_teams,
    outcomes_by_category,
    spend_by_category,
    spend_by_team,
    unused_empowerment,
)

CanReadTeamInsights = api_capability(
    Access.can_read_team_insights, "manage a team, work in finance or administer"
)


class OutcomeFilterSerializer(serializers.Serializer):
    since = DayField(required=False, help_text="Happened on or after this date.")
    until = DayField(required=False, help_text="Happened on or before this date.")
    team = IdField(required=False, help_text="One team; a manager's own teams when omitted.")

    def validate(self, attrs: dict) -> dict:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": ["Choose a date on or after since."]})
        return attrs


class OutcomeSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="The category's slug.")
    gestures = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    delighted = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    neutral = serializers.IntegerField()
    unhappy = serializers.IntegerField()
    unrated = serializers.IntegerField()


class OutcomesView(APIView):
    """Approved gestures by category with the customers' reactions; the five counts add up to
    ``gestures``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OutcomeFilterSerializer],
        responses={200: OutcomeSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request) -> Response:
        filters = OutcomeFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        rows = outcomes_by_category(
            access_for(request.user),
            since=wanted.get("since"),
            until=wanted.get("until"),
            team_id=wanted.get("team"),
        )
        return Response(OutcomeSerializer(rows, many=True).data)


class UnusedFilterSerializer(serializers.Serializer):
    team = IdField(required=False, help_text="One of your teams; all of them when omitted.")
    days = WholeNumberField(
        required=False, min_value=1, max_value=366, help_text=f"{UNUSED_DAYS} when omitted."
    )


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UnusedSerializer(serializers.Serializer):
    agent = NamedSerializer(help_text="The agent's id and name.")
    team = NamedSerializer(help_text="The team's id and name.")
    last_gesture_on = serializers.DateField(allow_null=True)
    allowance = serializers.DecimalField(max_digits=12, decimal_places=2)
    spent = serializers.DecimalField(max_digits=12, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=12, decimal_places=2)

    def to_representation(self, row) -> dict:
        return {
            "agent": {"id": row.agent_id, "name": row.agent_name},
            "team": {"id": row.team_id, "name": row.team_name},
            "last_gesture_on": row.last_gesture_on.isoformat() if row.last_gesture_on else None,
            "allowance": str(row.allowance),
            "spent": str(row.spent),
            "remaining": str(row.remaining),
        }


class UnusedEmpowermentView(APIView):
    """Agents with no gesture in the last ``days`` days, oldest silence first."""

    permission_classes = [CanReadTeamInsights]

    @extend_schema(
        parameters=[UnusedFilterSerializer],
        responses={200: UnusedSerializer(many=True), **errors(400, 401, 403, 404)},
    )
    def get(self, request) -> Response:
        filters = UnusedFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        rows = unused_empowerment(
            access_for(request.user),
            programme=active_programme(),
            today=timezone.localdate(),
            days=wanted.get("days") or UNUSED_DAYS,
            team_id=wanted.get("team"),
        )
        return Response(UnusedSerializer(rows, many=True).data)


class SpendFilterSerializer(serializers.Serializer):
    period = MonthField(required=False, help_text="YYYY-MM: the period holding this month.")
    group_by = serializers.ChoiceField(choices=["team", "category"], default="team")
    team = IdField(required=False, help_text="One team; a manager's own teams when omitted.")


class SpendSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The team's id or the category's slug.")
    label = serializers.CharField()
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="A team's budget; a category's spent and waiting together.",
    )
    spent = serializers.DecimalField(max_digits=12, decimal_places=2)
    committed = serializers.DecimalField(max_digits=12, decimal_places=2)


class SpendView(APIView):
    """Money in one period, by team (budgets) or by category (what its gestures took)."""

    permission_classes = [CanReadTeamInsights]

    @extend_schema(
        parameters=[SpendFilterSerializer],
        responses={200: SpendSerializer(many=True), **errors(400, 401, 403, 404)},
    )
    def get(self, request) -> Response:
        filters = SpendFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        programme = active_programme()
        if programme is None:
            return Response([])
        period_start, _ = programme.period_bounds(wanted.get("period") or timezone.localdate())
        teams = insight_teams(access_for(request.user), wanted.get("team"))
        spend = spend_by_team if wanted["group_by"] == "team" else spend_by_category
        rows = spend(teams, programme=programme, period_start=period_start)
        return Response(SpendSerializer(rows, many=True).data)
