"""The programmes and the gesture categories: the reference lists every client needs."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from portal.api.responses import errors
from programs.empowerment.models import GestureCategory, Programme
from programs.empowerment.selectors import programmes as selectors


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "currency",
            "period",
            "gesture_limit",
            "agent_allowance",
            "second_tier_threshold",
            "escalate_after_hours",
            "customer_daily_limit",
            "is_active",
        ]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = GestureCategory
        fields = ["id", "name", "slug"]
        read_only_fields = fields


@extend_schema_view(get=extend_schema(responses={200: ProgrammeSerializer, **errors(401)}))
class ProgrammeListView(generics.ListAPIView):
    """Every programme and its policy, newest first."""

    serializer_class = ProgrammeSerializer

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes().order_by("-created_at", "-id")


@extend_schema_view(get=extend_schema(responses={200: CategorySerializer, **errors(401)}))
class CategoryListView(generics.ListAPIView):
    """The categories a gesture may be logged under, by name; a gesture names its category by
    slug."""

    serializer_class = CategorySerializer

    def get_queryset(self) -> QuerySet[GestureCategory]:
        return selectors.categories()
