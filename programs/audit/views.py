"""The audit trail for finance and administrators: every entry with its hashes, filtered,
a check of the whole chain on demand, and the same entries as a CSV download."""

import json
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Access, capability_required
from portal.csv import streaming_csv
from portal.paging import page_of
from programs.audit.forms import AuditFilterForm
from programs.audit.models import AuditEntry
from programs.audit.selectors import audit_entries
from programs.audit.trail import AuditAction, ChainReport, verify_chain

PAGE_SIZE = 50
FILTERS = ("subject", "action", "actor", "since", "until")
EXPORT_HEADER = [
    "seq",
    "at",
    "actor",
    "actor_name",
    "on_behalf_of",
    "action",
    "subject",
    "data",
    "prev_hash",
    "hash",
]

can_audit = capability_required(Access.can_view_audit)


@can_audit
@require_GET
def trail(request: HttpRequest) -> HttpResponse:
    return _render_trail(request)


@can_audit
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Recompute every hash. It reads the whole table, so it runs only when asked."""
    report = verify_chain()
    if request.htmx:
        return render(
            request,
            "audit/partials/audit_verify.html",
            {"report": report, "checked": True, "verify_url": request.get_full_path()},
        )
    return _render_trail(request, report=report)


@can_audit
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The filtered entries, oldest first, streamed: the chain reads in its own order."""
    form = _filter_form(request)
    if not form.is_valid():
        return redirect(f"{reverse('audit:audit')}?{request.GET.urlencode()}")
    entries = _filtered(form).order_by("seq")
    rows = (_export_row(entry) for entry in entries.iterator(chunk_size=1000))
    return streaming_csv(f"audit-trail-{timezone.localdate():%Y-%m-%d}.csv", EXPORT_HEADER, rows)


def _render_trail(request: HttpRequest, *, report: ChainReport | None = None) -> HttpResponse:
    form = _filter_form(request)
    valid = form.is_valid()
    page = page_of(request, _filtered(form).order_by("-seq"), size=PAGE_SIZE)
    for entry in page:
        entry.data_text = _compact(entry.data)
    query = urlencode({name: request.GET[name] for name in FILTERS if request.GET.get(name)})
    return render(
        request,
        "audit/audit.html",
        {
            "form": form,
            "filtered": bool(query),
            "page": page,
            "report": report,
            "checked": report is not None,
            "verify_url": reverse("audit:audit-verify") + (f"?{query}" if query else ""),
            "export_url": reverse("audit:audit-export") + (f"?{query}" if query else "")
            if valid
            else None,
        },
    )


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(request.GET, actions=[action.value for action in AuditAction])


def _filtered(form: AuditFilterForm) -> QuerySet[AuditEntry]:
    """The entries the valid filters ask for; a filter with an error is shown, not applied."""
    form.is_valid()
    wanted = form.cleaned_data
    return audit_entries(
        subject=wanted.get("subject"),
        action=wanted.get("action") or "",
        actor_email=wanted.get("actor") or "",
        since=wanted.get("since"),
        until=wanted.get("until"),
    )


def _compact(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)


def _export_row(entry: AuditEntry) -> list:
    return [
        entry.seq,
        entry.at.isoformat(),
        entry.actor.email if entry.actor else "",
        entry.actor.name if entry.actor else "",
        entry.on_behalf_of.email if entry.on_behalf_of else "",
        entry.action,
        entry.subject,
        _compact(entry.data),
        entry.prev_hash,
        entry.hash,
    ]
