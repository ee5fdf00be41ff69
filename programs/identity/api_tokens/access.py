from django.http import Http404

from accounts.models import User
from programs.identity.api_tokens.models import PersonalToken


def own_token_for(person: User, pk: int) -> PersonalToken:
    """One of ``person``'s own tokens, or 404: someone else's looks exactly like none."""
    token = PersonalToken.objects.filter(person=person, pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token
