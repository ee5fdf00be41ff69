"""The identity context's tables, each defined in the sub-package that uses it."""

from programs.identity.api_tokens.models import PersonalToken
from programs.identity.signins.models import SignInEvent

__all__ = ["PersonalToken", "SignInEvent"]
