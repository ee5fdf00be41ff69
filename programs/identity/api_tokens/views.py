"""The "API tokens" page (account menu): a person's own personal tokens, made and revoked.

A new token's key is shown on the page that answers the form, once, and never again: it is not
stored, put in the session or in an address, and that answer is not cached.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from portal.errors import ApplicationError
from portal.forms import focus_first_error
from programs.identity.api_tokens import services
from programs.identity.api_tokens.access import own_token_for
from programs.identity.api_tokens.forms import PersonalTokenForm
from programs.identity.api_tokens.models import PersonalToken


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    issued = None
    form = PersonalTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.create_personal_token(
                person=request.user, name=form.cleaned_data["name"], request=request
            )
        except ApplicationError as error:
            form.show_error(error, field="name")
        else:
            form = PersonalTokenForm()
    focus_first_error(form)
    response = render(
        request,
        "identity/api_tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": PersonalToken.objects.active().filter(person=request.user),
            "limit": settings.PERSONAL_TOKEN_LIMIT,
        },
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = own_token_for(request.user, pk)
    services.revoke_personal_token(token=token, actor=request.user, request=request)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("identity:api-tokens")
