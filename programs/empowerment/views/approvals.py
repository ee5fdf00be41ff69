"""The approvals inbox: managers and finance decide waiting gestures and budget top-ups.

Each card approves or declines inline with htmx and swaps itself for a short confirmation; the
same forms post without JavaScript and come back to the inbox with a message. A refusal (a
missing reason, a request someone else has just decided, a budget that can no longer cover it)
is shown on the card, keeping what was typed.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Access, access_for, capability_required
from portal.errors import ApplicationError, Conflict, NotPermitted
from portal.formatting import join_words, money
from portal.forms import focus_first_error
from portal.paging import back_to_list, page_of
from programs.empowerment.formatting import waiting_reasons
from programs.empowerment.forms import ApproveForm, DeclineForm
from programs.empowerment.models import (
    ApprovalKind,
    ApprovalLevel,
    ApprovalRequest,
    ApprovalStatus,
    DecisionOutcome,
)
from programs.empowerment.selectors.approvals import approval_for, decidable_by, decision_right
from programs.empowerment.selectors.decisions import recently_decided
from programs.empowerment.services.approvals import Decision, decide_approval

can_approve = capability_required(Access.can_approve)

# What the approver is told their decision did.
OUTCOME_IN_WORDS = {
    DecisionOutcome.GESTURE_DECLINED: "They will see your reason.",
    DecisionOutcome.TOPUP_DECLINED: "They will see your reason.",
    DecisionOutcome.TOPUP_APPROVED: "The team budget has grown by that amount.",
    DecisionOutcome.SENT_TO_FINANCE: (
        "It is above the second-tier threshold, so finance approves it next."
    ),
    DecisionOutcome.GESTURE_APPROVED: "It is now spent from the team budget.",
}

# Bulk approval takes at most a few pages of ticked cards at once.
MOST_AT_ONCE = 100
# The confirmation names this many of them; a longer list would bury the refusals below it.
NAMED_AT_MOST = 5


@dataclass
class Card:
    """One request in the inbox, with its two forms and anything to say about it."""

    step: ApprovalRequest
    approve_form: ApproveForm
    decline_form: DeclineForm
    next_url: str
    problem: str = ""
    # On the inbox page a card can be ticked for "Approve selected".
    selectable: bool = False
    reasons: list[str] = field(default_factory=list)
    second_tier: str = ""
    overdue: bool = False
    opens_gesture: bool = False

    @property
    def currency(self) -> str:
        return currency_of(self.step)

    @property
    def label(self) -> str:
        return label_of(self.step)


@can_approve
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    decided_tab = request.GET.get("show") == "decided"
    waiting = _waiting(request.user)
    context: dict = {"decided_tab": decided_tab, "list_url": request.path}
    if decided_tab:
        page = page_of(request, recently_decided(request.user))
        context |= {
            "page": page,
            "decided": [(step, label_of(step)) for step in page],
            "waiting_count": waiting.count(),
        }
    else:
        page = page_of(request, waiting)
        next_url = request.get_full_path()
        context |= {
            "page": page,
            "cards": [_card(request, step, next_url=next_url, selectable=True) for step in page],
            "waiting_count": page.paginator.count,
        }
    return render(request, "empowerment/approvals.html", context)


@can_approve
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request on its own page: for a link in a notification, and for a refused form
    posted without JavaScript."""
    step = approval_for(request.user, pk)
    return _render_detail(request, _card(request, step, next_url=reverse("empowerment:approvals")))


@can_approve
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@can_approve
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


@can_approve
@require_POST
def approve_selected(request: HttpRequest) -> HttpResponse:
    """Approve every ticked request, oldest first, each through the same decision as one by
    one; say how many were approved and which were not, and why."""
    next_url = back_to_list(request, reverse("empowerment:approvals"))
    wanted = _ids(request.POST.getlist("steps"))
    if not wanted:
        messages.error(request, "Tick the requests you want to approve first.")
        return redirect(next_url)
    if len(wanted) > MOST_AT_ONCE:
        messages.error(request, f"Approve at most {MOST_AT_ONCE} requests at once.")
        return redirect(next_url)
    steps = list(_waiting(request.user).filter(pk__in=wanted))
    approved: list[str] = []
    refused: list[tuple[str, str]] = []
    for step in steps:
        try:
            decide_approval(request=step, actor=request.user, approve=True)
        except ApplicationError as error:
            refused.append((label_of(step), error.message))
        else:
            approved.append(label_of(step))
    gone = len(wanted) - len(steps)
    if approved:
        count = f"{len(approved)} request{'s' if len(approved) != 1 else ''}"
        named = (
            join_words(approved)
            if len(approved) <= NAMED_AT_MOST
            else f"{', '.join(approved[:NAMED_AT_MOST])} and {len(approved) - NAMED_AT_MOST} more"
        )
        messages.success(request, f"Approved {count}: {named}.")
    for label, reason in refused:
        messages.error(request, f"Not approved — {label}: {reason}")
    if gone == 1:
        messages.warning(
            request,
            "1 ticked request is no longer waiting for you, so it was left alone "
            "(someone may have decided it already).",
        )
    elif gone:
        messages.warning(
            request,
            f"{gone} ticked requests are no longer waiting for you, so they were left alone "
            "(someone may have decided them already).",
        )
    return redirect(next_url)


def currency_of(step: ApprovalRequest) -> str:
    if step.kind == ApprovalKind.GESTURE:
        return step.gesture.currency
    return step.budget_request.budget.programme.currency


def label_of(step: ApprovalRequest) -> str:
    """``Aisha Khan's gift for TCK-1 (£60.00)``, or ``Care North's top-up of £500.00``."""
    amount = money(step.amount, currency_of(step))
    if step.kind == ApprovalKind.GESTURE:
        gesture = step.gesture
        return (
            f"{gesture.agent.name}’s {gesture.category.name.lower()} for "
            f"{gesture.customer_ref} ({amount})"
        )
    return f"{step.budget_request.budget.team.name}’s top-up of {amount}"


def _waiting(user):
    return decidable_by(user).select_related("budget_request__budget__programme")


def _card(
    request: HttpRequest,
    step: ApprovalRequest,
    *,
    next_url: str,
    approve_form: ApproveForm | None = None,
    decline_form: DeclineForm | None = None,
    problem: str = "",
    selectable: bool = False,
) -> Card:
    access = access_for(request.user)
    gesture = step.gesture if step.kind == ApprovalKind.GESTURE else None
    second_tier = ""
    if gesture and step.level == ApprovalLevel.MANAGER:
        policy = gesture.policy_snapshot
        if policy.get("needs_second_tier"):
            threshold = money(policy.get("second_tier_threshold"), gesture.currency)
            second_tier = (
                f"Above the {threshold} second-tier threshold: finance approves it after you."
            )
    return Card(
        step=step,
        approve_form=approve_form or ApproveForm(auto_id=f"id_approve_{step.pk}_%s"),
        decline_form=decline_form or DeclineForm(auto_id=f"id_decline_{step.pk}_%s"),
        next_url=next_url,
        problem=problem,
        selectable=selectable,
        reasons=waiting_reasons(gesture, yours=False) if gesture else [],
        second_tier=second_tier,
        overdue=step.is_pending and step.due_at < timezone.now(),
        # A delegate covering another team decides from the card; that team's gesture pages
        # stay closed to them, so the card carries the whole story and links only when allowed.
        opens_gesture=gesture is not None
        and (access.sees_every_team or access.manages(gesture.team_id)),
    )


def _decide(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    step = approval_for(request.user, pk)
    try:
        # Refuse the requester and anyone outside the step's scope before reading the form.
        decision_right(request.user, step, day=timezone.localdate())
    except NotPermitted as error:
        raise PermissionDenied(error.message) from None
    next_url = back_to_list(request, reverse("empowerment:approvals"))
    form_class = ApproveForm if approve else DeclineForm
    form = form_class(request.POST, auto_id=f"id_{'approve' if approve else 'decline'}_{pk}_%s")
    problem = ""
    if form.is_valid():
        text = form.cleaned_data["comment" if approve else "reason"]
        try:
            decision = decide_approval(
                request=step, actor=request.user, approve=approve, comment=text
            )
        except NotPermitted as error:
            raise PermissionDenied(error.message) from None
        except Conflict as error:
            problem = error.message
        except ApplicationError as error:
            form.show_error(error)
        else:
            return _decided(request, step, decision, next_url=next_url)
    # Refused: the card again, as it now stands (someone else may just have decided it), with
    # what was typed, and the cursor in the field to correct.
    focus_first_error(form)
    fresh = _reload(step)
    card = _card(
        request,
        fresh,
        next_url=next_url,
        approve_form=form if approve else None,
        decline_form=None if approve else form,
        problem=problem,
        # A card refused inline on the inbox keeps its tick box.
        selectable=bool(request.htmx)
        and urlsplit(request.htmx.current_url_abs_path or "").path
        == reverse("empowerment:approvals"),
    )
    if request.htmx:
        return render(request, "empowerment/partials/approval_card.html", {"card": card})
    return _render_detail(request, card, status=409 if problem else 200)


def _decided(
    request: HttpRequest, step: ApprovalRequest, decision: Decision, *, next_url: str
) -> HttpResponse:
    label = label_of(step)
    outcome = OUTCOME_IN_WORDS[decision.outcome]
    decided = decision.step
    verb = "Approved" if decided.status == ApprovalStatus.APPROVED else "Declined"
    if not request.htmx:
        messages.success(request, f"{verb}: {label}. {outcome}".strip())
        return redirect(next_url)
    return render(
        request,
        "empowerment/partials/approval_done.html",
        {
            "step": decided,
            "verb": verb,
            "label": label,
            "outcome": outcome,
            "waiting_count": decidable_by(request.user).count(),
        },
    )


def _render_detail(request: HttpRequest, card: Card, *, status: int = 200) -> HttpResponse:
    return render(request, "empowerment/approval_detail.html", {"card": card}, status=status)


def _reload(step: ApprovalRequest) -> ApprovalRequest:
    # The person was allowed to see it a moment ago; an escalation since may have moved it out
    # of their scope, and they should still read what happened to it.
    return (
        ApprovalRequest.objects.with_context()
        .select_related("budget_request__budget__programme")
        .get(pk=step.pk)
    )


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        if value.isascii() and value.isdigit() and len(value) < 19 and int(value) not in ids:
            ids.append(int(value))
    return ids
