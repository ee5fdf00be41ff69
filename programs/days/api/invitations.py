"""A day's invitation links through the API: organisers create, list and revoke them."""

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import LineField, MomentField, WholeNumberField
from portal.api.input import checked
from portal.api.responses import errors
from programs.days.api.permissions import CanOrganiseDays
from programs.days.models import (
    Invitation,
)
from programs.days.selectors import (
    invitation_for_organiser,
    invitations_of,
    organised_day_for,
)
from programs.days.services import days as day_service


class InvitationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The link to send to customers.")
    state = serializers.SerializerMethodField(
        help_text="active, revoked, expired or used up (only an active link admits anyone)."
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "token",
            "url",
            "label",
            "max_uses",
            "uses",
            "expires_at",
            "revoked_at",
            "state",
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, invitation: Invitation) -> str:
        path = day_service.invitation_path(invitation)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_state(self, invitation: Invitation) -> str:
        return invitation.state_at(timezone.now())


class InvitationInputSerializer(serializers.Serializer):
    label = LineField(max_length=120)
    max_uses = WholeNumberField(
        min_value=1, max_value=day_service.MOST_USES, required=False, allow_null=True
    )
    expires_at = MomentField(required=False, allow_null=True)


@extend_schema_view(
    get=extend_schema(responses={200: InvitationSerializer, **errors(401, 403, 404)})
)
class DayInvitationListView(generics.ListAPIView):
    """A day's invitation links, newest first, for its organisers; posting creates one."""

    serializer_class = InvitationSerializer
    permission_classes = [CanOrganiseDays]

    def get_queryset(self) -> QuerySet[Invitation]:
        pk = self.kwargs["pk"]
        return invitations_of(organised_day_for(self.request.user, pk))

    @extend_schema(
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer, **errors(400, 401, 403, 404, 409)},
        description="The token is 256 random bits; `url` is the page customers register at.",
    )
    def post(self, request, pk: int) -> Response:
        day = organised_day_for(request.user, pk)
        entered = checked(InvitationInputSerializer, request.data)
        invitation = day_service.create_invitation(day=day, actor=request.user, **entered)
        return Response(
            InvitationSerializer(invitation, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class RevokeInvitationView(APIView):
    """The link stops working at once; registrations made through it stand."""

    permission_classes = [CanOrganiseDays]

    @extend_schema(request=None, responses={200: InvitationSerializer, **errors(401, 403, 404)})
    def post(self, request, pk: int) -> Response:
        link = invitation_for_organiser(request.user, pk)
        link = day_service.revoke_invitation(invitation=link, actor=request.user)
        return Response(InvitationSerializer(link, context={"request": request}).data)
