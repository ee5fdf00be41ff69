"""The audit trail's keys: HMAC-SHA256 over every entry and every checkpoint.

The keys come from the environment (``settings.AUDIT_KEYS``, id → secret) and are never written
to the database, so someone who can write the database — or read all of it — still cannot make
an entry or a checkpoint that verifies. Each entry and each checkpoint records the *id* of the
key that signed it; new ones use ``settings.AUDIT_KEY_ID``. Rotating the key costs one
environment change: give the new key a new id and keep the old one in ``AUDIT_RETIRED_KEYS`` for
as long as what it signed must still verify.
"""

import hashlib
import hmac

from django.conf import settings


class UnknownAuditKey(LookupError):
    """An entry or a checkpoint names a key this installation does not have."""


def current_key_id() -> str:
    return settings.AUDIT_KEY_ID


def is_configured(key_id: str) -> bool:
    return key_id in settings.AUDIT_KEYS


def sign(key_id: str, message: str) -> str:
    """HMAC-SHA256 of the UTF-8 ``message`` with the key ``key_id``, as 64 hex digits."""
    try:
        key = settings.AUDIT_KEYS[key_id]
    except KeyError:
        raise UnknownAuditKey(key_id) from None
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def signature_matches(key_id: str, message: str, signature: str) -> bool:
    """True when ``signature`` is ``message`` signed with the key ``key_id`` (constant time)."""
    if not is_configured(key_id):
        return False
    return hmac.compare_digest(sign(key_id, message), signature)
