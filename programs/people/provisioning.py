"""Provisioning tokens: the bearer keys an identity provider uses for SCIM at /scim/v2/.

The key is shown once, when the token is made; only its SHA-256 is kept. An administrator
creates and revokes tokens at /people/provisioning/ (or ``manage.py create_scim_token NAME``).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from portal.errors import NotPermitted
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.people import services as people
from programs.people.models import ProvisioningToken, hash_secret, new_secret

# How often last_used_at is written at most: every request would write a row per SCIM call.
LAST_USED_EVERY_SECONDS = 60


@dataclass(frozen=True)
class IssuedToken:
    token: ProvisioningToken
    key: str


@transaction.atomic
def create_provisioning_token(*, name: str, actor: User | None) -> IssuedToken:
    if not people.is_administrator(actor):
        raise NotPermitted("Only an administrator creates provisioning tokens.")
    key = new_secret()
    token = ProvisioningToken(
        name=name, key_hash=hash_secret(key), prefix=key[:8], created_by=actor
    )
    token.full_clean()
    token.save()
    trail.record(
        action=AuditAction.PROVISIONING_TOKEN_CREATED,
        actor=actor,
        subject=token,
        data={"name": name, "prefix": token.prefix},
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def revoke_provisioning_token(*, token: ProvisioningToken, actor: User | None) -> ProvisioningToken:
    if not people.is_administrator(actor):
        raise NotPermitted("Only an administrator revokes provisioning tokens.")
    locked = ProvisioningToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        trail.record(
            action=AuditAction.PROVISIONING_TOKEN_REVOKED,
            actor=actor,
            subject=locked,
            data={"name": locked.name, "prefix": locked.prefix},
        )
    return locked


def token_for_key(key: str) -> ProvisioningToken | None:
    """The live token with this key, its use noted (at most once a minute); else None."""
    if not key or len(key) > 200:
        return None
    token = ProvisioningToken.objects.live().filter(key_hash=hash_secret(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS
    ):
        ProvisioningToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
