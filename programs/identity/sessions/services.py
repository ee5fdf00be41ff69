"""Log out everywhere: end every session the person has, this one included, and optionally
revoke their personal API tokens too (they are separate: a script keeps working otherwise)."""

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.identity.api_tokens.services import revoke_every_personal_token
from programs.identity.signins.models import EventKind, Method
from programs.identity.signins.services import record_sign_in_event
from programs.people.services import end_sessions


@dataclass(frozen=True)
class LoggedOutEverywhere:
    sessions_ended: int
    tokens_revoked: list[str]


@transaction.atomic
def log_out_everywhere(
    *, person: User, request: HttpRequest | None, revoke_tokens: bool
) -> LoggedOutEverywhere:
    """End all of ``person``'s sessions (the caller's too: its next request is anonymous);
    with ``revoke_tokens``, revoke every personal API token of theirs as well. One event and
    one audit entry say what was ended."""
    revoked = (
        revoke_every_personal_token(person=person, request=request, why="logged out everywhere")
        if revoke_tokens
        else []
    )
    ended = end_sessions(person)
    record_sign_in_event(
        kind=EventKind.SIGNED_OUT_EVERYWHERE,
        method=Method.SESSION,
        request=request,
        person=person,
        detail=f"{ended} session{'s' if ended != 1 else ''} ended"
        + (f", {len(revoked)} token{'s' if len(revoked) != 1 else ''} revoked" if revoked else ""),
    )
    trail.record(
        action=AuditAction.PERSON_SIGNED_OUT_EVERYWHERE,
        actor=person,
        subject=person,
        data={"sessions_ended": ended, "tokens_revoked": revoked},
    )
    return LoggedOutEverywhere(sessions_ended=ended, tokens_revoked=revoked)
