"""What accounts tells the contexts above it, which it may not import (programs.identity
records sign-in events from these)."""

from django.dispatch import Signal

# POST /api/v1/auth/token/ handed out a token. Arguments: request (Django's), user.
# A refusal there is Django's own ``user_login_failed``, sent by ``authenticate``.
api_token_issued = Signal()
