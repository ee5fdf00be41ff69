"""Personal API tokens: made, revoked, and checked when a request brings one.

Each change is one transaction: the token, its sign-in event, and its audit entry (last, as
every transaction's last write). A person's tokens are made one at a time (an advisory key
per person), so two requests at once can neither pass the limit nor share a name.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from portal import locking
from portal.errors import Conflict, InvalidInput
from portal.validation import clean_text
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.identity.api_tokens.models import (
    HINT_LENGTH,
    KEY_ALPHABET,
    KEY_LENGTH,
    KEY_PREFIX,
    PersonalToken,
    hash_key,
    new_key,
)
from programs.identity.signins.models import EventKind, Method
from programs.identity.signins.services import record_sign_in_event
from programs.people.signals import person_deactivating

NAME_LENGTH = PersonalToken._meta.get_field("name").max_length
# How often last_used_at is written at most: a script's every request would otherwise write.
LAST_USED_EVERY_SECONDS = 60


@dataclass(frozen=True)
class IssuedToken:
    token: PersonalToken
    # Shown to the person once; never stored.
    key: str


@transaction.atomic
def create_personal_token(
    *, person: User, name: str, request: HttpRequest | None = None
) -> IssuedToken:
    """Make a token for ``person`` named ``name``. Refuses a blank name or one an active
    token of theirs already has (400, on ``name``), and a person who already has
    ``PERSONAL_TOKEN_LIMIT`` active tokens (409)."""
    name = clean_text(name, field="name", max_length=NAME_LENGTH)
    locking.lock_keys(f"personal-tokens:{person.pk}")
    active = PersonalToken.objects.active().filter(person=person)
    limit = settings.PERSONAL_TOKEN_LIMIT
    if active.count() >= limit:
        raise Conflict(
            f"You already have {limit} active API tokens, the most one person may have. "
            "Revoke one you no longer use, then create this one."
        )
    if active.filter(name=name).exists():
        message = "You already have an active token with this name. Choose another name."
        raise InvalidInput(message, field_errors={"name": [message]})
    key = new_key()
    token = PersonalToken.objects.create(
        person=person,
        name=name,
        key_hash=hash_key(key),
        hint=key[: len(KEY_PREFIX) + HINT_LENGTH],
    )
    record_sign_in_event(
        kind=EventKind.TOKEN_CREATED,
        method=Method.PERSONAL_TOKEN,
        request=request,
        person=person,
        detail=name,
    )
    trail.record(
        action=AuditAction.PERSONAL_TOKEN_CREATED,
        actor=person,
        subject=token,
        data={"name": name, "hint": token.hint},
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def revoke_personal_token(
    *, token: PersonalToken, actor: User, request: HttpRequest | None = None
) -> PersonalToken:
    """Revoke one token (its owner does, from the API tokens page). Revoking a revoked token
    changes nothing and records nothing."""
    locked = locking.lock_row(PersonalToken.objects.all(), token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record_sign_in_event(
        kind=EventKind.TOKEN_REVOKED,
        method=Method.PERSONAL_TOKEN,
        request=request,
        person=locked.person,
        detail=locked.name,
    )
    trail.record(
        action=AuditAction.PERSONAL_TOKEN_REVOKED,
        actor=actor,
        subject=locked,
        data={"name": locked.name, "hint": locked.hint},
    )
    return locked


def revoke_every_personal_token(
    *, person: User, request: HttpRequest | None = None, why: str
) -> list[str]:
    """Inside the caller's transaction: revoke all of ``person``'s active tokens at once and
    return their names. The caller writes the one audit entry that says so (a deactivation,
    "log out everywhere" with the tokens too); ``why`` is the events' detail."""
    tokens = locking.lock_rows(
        PersonalToken.objects.active(),
        PersonalToken.objects.active().filter(person=person).values_list("pk", flat=True),
    )
    if not tokens:
        return []
    PersonalToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=timezone.now())
    for token in tokens:
        record_sign_in_event(
            kind=EventKind.TOKEN_REVOKED,
            method=Method.PERSONAL_TOKEN,
            request=request,
            person=person,
            detail=f"{token.name} ({why})",
        )
    return [token.name for token in tokens]


def looks_like_a_key(key: str) -> bool:
    body = key.removeprefix(KEY_PREFIX)
    return (
        key.startswith(KEY_PREFIX)
        and len(body) == KEY_LENGTH
        and all(c in KEY_ALPHABET for c in body)
    )


def token_for_key(key: str) -> PersonalToken | None:
    """The active token with this key, with its person, its use noted (at most once a
    minute); else None. The caller refuses an inactive person."""
    if not looks_like_a_key(key):
        return None
    token = (
        PersonalToken.objects.active().select_related("person").filter(key_hash=hash_key(key))
    ).first()
    if token is None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS
    ):
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@receiver(person_deactivating, dispatch_uid="identity.revoke_tokens_of_deactivated")
def revoke_tokens_of_deactivated(*, person: User, **kwargs) -> dict:
    """A deactivated person's personal tokens die with the account (people.deactivate_person
    sends this inside its transaction, before its audit entry, which lists them)."""
    names = revoke_every_personal_token(person=person, why="account deactivated")
    return {"personal_tokens_revoked": names}
