"""A manager hands their approvals to another manager while away, and sees who covers whom."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Delegation
from accounts.permissions import Access, capability_required
from portal.errors import ApplicationError
from portal.formatting import day_label
from programs.empowerment.forms import DelegationForm
from programs.empowerment.selectors.delegations import delegations_given, delegations_received
from programs.empowerment.services.delegations import cancel_delegation, delegate_approvals


@capability_required(Access.can_delegate)
@require_http_methods(["GET", "POST"])
def delegate(request: HttpRequest) -> HttpResponse:
    form = DelegationForm(
        request.POST if request.method == "POST" else None, delegator=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            delegation = delegate_approvals(delegator=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _confirmation(delegation))
            return redirect("empowerment:delegate")
    today = timezone.localdate()
    return render(
        request,
        "empowerment/delegations.html",
        {
            "form": form,
            "today": today,
            "given": delegations_given(request.user, day=today),
            "received": delegations_received(request.user, day=today),
        },
    )


def _confirmation(delegation) -> str:
    dates = (
        f"on {day_label(delegation.starts_on)}"
        if delegation.starts_on == delegation.ends_on
        else f"from {day_label(delegation.starts_on)} to {day_label(delegation.ends_on)}"
    )
    message = f"{delegation.delegate.name} decides your teams’ requests {dates}."
    if delegation.starts_on <= timezone.localdate():
        message += " Your waiting requests have moved to them, with a note saying why."
    return message


@capability_required(Access.can_delegate)
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(Delegation, pk=pk, delegator=request.user)
    try:
        cancel_delegation(delegation=delegation, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{delegation.delegate.name} no longer decides for you.")
    return redirect("empowerment:delegate")
