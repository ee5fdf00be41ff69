"""The audit trail: reading the hash-chained entries, and checking that the chain is intact."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Access, api_capability
from portal.api.fields import IdField, LineField
from portal.api.input import checked
from portal.api.responses import errors
from programs.audit.models import AuditEntry
from programs.audit.selectors import audit_entries, parse_subject
from programs.audit.trail import verify_chain

CanViewAudit = api_capability(Access.can_view_audit, "work in finance or administer")


class AuditEntrySerializer(serializers.ModelSerializer):
    subject = serializers.CharField(read_only=True, help_text='"type:id", e.g. "gesture:12".')
    data = serializers.JSONField(read_only=True, help_text="Before and after, as recorded.")

    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor",
            "on_behalf_of",
            "action",
            "subject",
            "data",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class AuditFilterSerializer(serializers.Serializer):
    subject = LineField(
        required=False,
        max_length=82,
        help_text='"type:id", e.g. "gesture:12". A gesture\'s or budget request\'s entries '
        "include those of its approval steps (and a gesture's review).",
    )
    action = LineField(
        required=False, max_length=80, help_text='An action code, e.g. "approval.approved".'
    )
    actor = IdField(required=False, help_text="The acting person's id.")

    def validate_subject(self, value: str) -> tuple[str, str]:
        subject = parse_subject(value)
        if subject is None:
            raise serializers.ValidationError('Give a subject as "type:id", e.g. "gesture:12".')
        return subject


class AuditVerifySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    entries = serializers.IntegerField(help_text="How many entries were checked.")
    first_broken_seq = serializers.IntegerField(
        allow_null=True,
        help_text="The first entry that is wrong or missing; null when the chain is intact, or "
        "when the problem is a checkpoint line rather than an entry.",
    )
    problem = serializers.CharField(allow_null=True, help_text="What is wrong, in words.")
    unkeyed = serializers.IntegerField(
        help_text="How many of the entries checked were written before the chain was keyed "
        "(plain SHA-256)."
    )
    last_checkpoint = serializers.IntegerField(
        allow_null=True,
        help_text="The seq of the newest signed checkpoint the chain was held against; null "
        "when there is none yet.",
    )


@extend_schema_view(
    get=extend_schema(
        parameters=[AuditFilterSerializer],
        responses={200: AuditEntrySerializer, **errors(400, 401, 403)},
    )
)
class AuditListView(generics.ListAPIView):
    """The audit trail in sequence order, for finance and administrators, with each entry's
    hash and the previous entry's hash."""

    serializer_class = AuditEntrySerializer

    permission_classes = [CanViewAudit]

    def get_queryset(self) -> QuerySet[AuditEntry]:
        wanted = checked(AuditFilterSerializer, self.request.query_params)
        return audit_entries(
            subject=wanted.get("subject"),
            action=wanted.get("action", ""),
            actor_id=wanted.get("actor"),
        ).order_by("seq")


class AuditVerifyView(APIView):
    """Recompute the whole chain, hold it against the signed checkpoints kept outside the
    database, and name the first problem: an entry that does not match its hash, an entry that
    does not match a checkpoint (rewritten), entries missing after the last one left (cut from
    the end), or a checkpoint line whose signature does not verify."""

    permission_classes = [CanViewAudit]

    @extend_schema(responses={200: AuditVerifySerializer, **errors(401, 403)})
    def get(self, _request) -> Response:
        report = verify_chain()
        return Response(
            AuditVerifySerializer(
                {
                    "ok": report.ok,
                    "entries": report.entries,
                    "first_broken_seq": report.first_broken_seq,
                    "problem": report.problem,
                    "unkeyed": report.unkeyed,
                    "last_checkpoint": report.last_checkpoint,
                }
            ).data
        )
