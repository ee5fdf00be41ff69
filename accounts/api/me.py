from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import access_for


class TeamPlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team_id")
    name = serializers.CharField(source="team_name")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    teams = TeamPlaceSerializer(many=True)


class MeView(APIView):
    """The caller: who they are, their roles, and their teams."""

    @extend_schema(responses={200: MeSerializer, 401: None})
    def get(self, request):
        user = request.user
        access = access_for(user)
        return Response(
            MeSerializer(
                {
                    "id": user.pk,
                    "email": user.email,
                    "name": user.name,
                    "roles": access.ordered_roles,
                    "teams": access.teams,
                }
            ).data
        )
