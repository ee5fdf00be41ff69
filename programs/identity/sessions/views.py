from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from programs.identity.sessions.services import log_out_everywhere
from programs.identity.signins.forms import LogOutEverywhereForm


@login_required
@require_POST
def log_out_everywhere_view(request: HttpRequest) -> HttpResponse:
    form = LogOutEverywhereForm(request.POST)
    revoke = form.is_valid() and form.cleaned_data["revoke_tokens"]
    done = log_out_everywhere(person=request.user, request=request, revoke_tokens=revoke)
    # This session's row is gone already: start an empty one, as logging out does, without a
    # second event ("signed out") for it.
    request.session.flush()
    request.user = AnonymousUser()
    rotate_token(request)
    said = "You are logged out everywhere, here too."
    if done.tokens_revoked:
        count = len(done.tokens_revoked)
        said += f" {count} API token{'s' if count != 1 else ''} revoked."
    messages.success(request, said)
    return redirect(settings.LOGIN_URL)
