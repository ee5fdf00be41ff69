"""The story wall through the API: reading and searching stories, thanking them.

A story's ``id`` is its gesture's. The customer's name and reference are never part of it.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import access_for
from portal.api.fields import IdField, LineField
from portal.api.responses import errors
from programs.empowerment.models import Channel, Gesture, OutcomeRating
from programs.stories.selectors import as_stories, as_story, story_for, wall
from programs.stories.services import thank_story, withdraw_thanks


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StorySerializer(serializers.Serializer):
    """A story as the wall shows it (``programs.stories.selectors.Story``): never the
    customer's name or reference."""

    id = serializers.IntegerField(help_text="The gesture's id.")
    agent = PersonSerializer()
    team = PersonSerializer()
    category = serializers.CharField(help_text="The category's slug.")
    channel = serializers.ChoiceField(choices=Channel.choices)
    situation = serializers.CharField()
    action = serializers.CharField()
    outcome = serializers.CharField()
    outcome_rating = serializers.ChoiceField(choices=OutcomeRating.choices, allow_blank=True)
    occurred_on = serializers.DateField()
    thanks_count = serializers.IntegerField()
    thanked_by_me = serializers.BooleanField()


class StoryFilterSerializer(serializers.Serializer):
    team = IdField(required=False)
    category = LineField(required=False, max_length=60, help_text="A category's slug.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    rating = serializers.ChoiceField(choices=OutcomeRating.choices, required=False)
    q = LineField(required=False, max_length=200, help_text="Words to find in the stories.")


class StoryListView(generics.ListAPIView):
    """Approved gestures their agents shared and no manager hid, newest first."""

    serializer_class = StorySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Gesture]:
        filters = StoryFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        return wall(
            access_for(self.request.user),
            team_id=wanted.get("team"),
            category=wanted.get("category", ""),
            channel=wanted.get("channel", ""),
            rating=wanted.get("rating", ""),
            search=wanted.get("q", ""),
        )

    @extend_schema(
        parameters=[StoryFilterSerializer],
        responses={200: StorySerializer(many=True), **errors(400, 401)},
    )
    def get(self, _request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(StorySerializer(as_stories(page), many=True).data)


class StoryThanksView(APIView):
    """Thank a story's agent, once (again: 200, nothing changes), or take the thanks back."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={201: StorySerializer, 200: StorySerializer, **errors(401, 403, 404)},
        description="201 the first time, 200 when you had thanked it already; 403 for your own "
        "story; 404 for a story you cannot see (pending, declined, withdrawn, private, hidden).",
    )
    def post(self, request, pk: int) -> Response:
        story = story_for(request.user, pk)
        given = thank_story(story=story, user=request.user)
        return Response(
            _story_out(request, story.pk),
            status=status.HTTP_201_CREATED if given.created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None, **errors(401, 404)})
    def delete(self, request, pk: int) -> Response:
        withdraw_thanks(story=story_for(request.user, pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _story_out(request, story_id: int) -> dict:
    return StorySerializer(as_story(wall(access_for(request.user)).get(pk=story_id))).data
