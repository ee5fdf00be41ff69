"""Team budgets: seeing them, allocating them, and asking finance for a top-up."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team
from accounts.permissions import access_for
from portal.api.fields import AmountField, DayField, IdRelatedField, MoneyOutField, TextField
from portal.api.input import checked
from portal.api.responses import errors
from portal.validators import TEXT_LIMIT
from programs.empowerment.api.permissions import CanAllocateBudgets, CanRequestTopups, CanSeeBudgets
from programs.empowerment.models import Budget, BudgetRequest
from programs.empowerment.selectors.budgets import visible_budgets
from programs.empowerment.selectors.programmes import programmes
from programs.empowerment.services.budgets import allocate_budget, request_topup


class BudgetSerializer(serializers.ModelSerializer):
    available = MoneyOutField()

    class Meta:
        model = Budget
        fields = [
            "id",
            "team",
            "programme",
            "period_start",
            "period_end",
            "amount",
            "committed",
            "spent",
            "available",
        ]
        read_only_fields = fields


class AllocateBudgetSerializer(serializers.Serializer):
    team = IdRelatedField(queryset=Team.objects.all())
    programme = IdRelatedField(queryset=programmes())
    period_start = DayField()
    amount = AmountField()


@extend_schema_view(get=extend_schema(responses={200: BudgetSerializer, **errors(401, 403)}))
class BudgetListView(generics.ListAPIView):
    """Budgets newest period first: managers see their own teams', finance and admins all.
    Finance and admins allocate one by posting it; posting an existing team and period again
    changes its amount."""

    serializer_class = BudgetSerializer

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [CanAllocateBudgets()]
        return [CanSeeBudgets()]

    def get_queryset(self) -> QuerySet[Budget]:
        return visible_budgets(access_for(self.request.user))

    @extend_schema(
        request=AllocateBudgetSerializer,
        responses={201: BudgetSerializer, 200: BudgetSerializer, **errors(400, 401, 403, 409)},
        description="201 when the budget is created, 200 when an existing one's amount changed; "
        "409 when the new amount is below what the team has committed and spent.",
    )
    def post(self, request) -> Response:
        entered = checked(AllocateBudgetSerializer, request.data)
        budget, created = allocate_budget(**entered, actor=request.user)
        return Response(
            BudgetSerializer(budget).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class VisibleBudgetField(IdRelatedField):
    """A budget the caller may see; any other is answered as if it did not exist."""

    default_error_messages = {
        **IdRelatedField.default_error_messages,
        "does_not_exist": "No such budget.",
    }

    def get_queryset(self) -> QuerySet[Budget]:
        return visible_budgets(access_for(self.context["request"].user))


class RequestTopupSerializer(serializers.Serializer):
    budget = VisibleBudgetField()
    amount = AmountField(allow_zero=False)
    reason = TextField(max_length=TEXT_LIMIT)


class BudgetRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetRequest
        fields = ["id", "budget", "amount", "reason", "status", "requested_by", "created_at"]
        read_only_fields = fields


class BudgetRequestCreateView(APIView):
    """A manager asks finance to top up one of their team's budgets."""

    permission_classes = [CanRequestTopups]

    @extend_schema(
        request=RequestTopupSerializer,
        responses={201: BudgetRequestSerializer, **errors(400, 401, 403)},
    )
    def post(self, request) -> Response:
        entered = checked(RequestTopupSerializer, request.data, context={"request": request})
        topup = request_topup(**entered, actor=request.user)
        return Response(BudgetRequestSerializer(topup).data, status=status.HTTP_201_CREATED)
