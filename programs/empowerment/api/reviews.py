"""Finance's review queue: a random sample of automatically approved gestures to look at."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import MoneyOutField, TextField
from portal.api.input import checked
from portal.api.responses import errors
from portal.validators import TEXT_LIMIT
from programs.empowerment.api.permissions import CanReviewGestures
from programs.empowerment.models import GestureReview, ReviewStatus
from programs.empowerment.selectors.reviews import review_for
from programs.empowerment.services.reviews import complete_review

ALL = "all"


class GestureReviewSerializer(serializers.ModelSerializer):
    agent = serializers.IntegerField(source="gesture.agent_id", read_only=True)
    team = serializers.IntegerField(source="gesture.team_id", read_only=True)
    cost = MoneyOutField(source="gesture.cost")
    currency = serializers.CharField(source="gesture.currency", read_only=True)

    class Meta:
        model = GestureReview
        fields = [
            "id",
            "gesture",
            "agent",
            "team",
            "cost",
            "currency",
            "status",
            "reviewed_by",
            "reviewed_at",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class ReviewFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*ReviewStatus.choices, (ALL, "All")],
        required=False,
        help_text="pending (the default): the queue, oldest first. Any other status, or all: "
        "newest first.",
    )


class CompleteReviewSerializer(serializers.Serializer):
    concern = serializers.BooleanField(
        default=False, help_text="true raises a concern, which needs a note."
    )
    note = TextField(max_length=TEXT_LIMIT, required=False, allow_blank=True, default="")


@extend_schema_view(
    get=extend_schema(
        parameters=[ReviewFilterSerializer],
        responses={200: GestureReviewSerializer, **errors(400, 401, 403)},
    )
)
class ReviewListView(generics.ListAPIView):
    """Sampled, automatically approved gestures for finance to review."""

    serializer_class = GestureReviewSerializer

    permission_classes = [CanReviewGestures]

    def get_queryset(self) -> QuerySet[GestureReview]:
        wanted = checked(ReviewFilterSerializer, self.request.query_params)
        status = wanted.get("status") or ReviewStatus.PENDING
        reviews = GestureReview.objects.select_related("gesture")
        if status == ReviewStatus.PENDING:
            return reviews.filter(status=status).order_by("created_at", "id")
        if status != ALL:
            reviews = reviews.filter(status=status)
        return reviews.order_by("-created_at", "-id")


class CompleteReviewView(APIView):
    """Finance marks a sampled gesture fine, or raises a concern with a note."""

    permission_classes = [CanReviewGestures]

    @extend_schema(
        request=CompleteReviewSerializer,
        responses={200: GestureReviewSerializer, **errors(400, 401, 403, 404, 409)},
        description="400 for a concern without a note; 409 when already reviewed.",
    )
    def post(self, request, pk: int) -> Response:
        review = review_for(request.user, pk)
        entered = checked(CompleteReviewSerializer, request.data)
        completed = complete_review(review=review, actor=request.user, **entered)
        return Response(GestureReviewSerializer(completed).data)
