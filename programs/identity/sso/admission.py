"""Whom a sign-in through the identity provider admits: the rules in one place.

- The provider must give an e-mail address and vouch for it (the ``email_verified`` claim, or
  the claim the provider's settings name, is true). Without both, nobody is created or linked.
- A person whose e-mail address is that one (compared without regard to case) is linked to the
  provider's account, never duplicated; a deactivated person is refused.
- Otherwise the person is created only when the address's domain is on ``SSO_ALLOWED_DOMAINS``
  (exactly; a subdomain is another domain).
- Once linked, the provider's account (its ``sub``) is the person: a later change of e-mail
  address at the provider changes nothing here. A deactivated person stays refused.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import User
from programs.identity.sso import config

# Longest display name (User.name) and e-mail address (User.email) the portal keeps.
NAME_LENGTH = 150
EMAIL_LENGTH = 254
_CONTROL_OR_SPACES = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


class Refused(StrEnum):
    NO_EMAIL = "no_email"
    UNVERIFIED = "unverified"
    DOMAIN = "domain"
    INACTIVE = "inactive"
    NOT_SIGN_IN = "not_sign_in"


@dataclass(frozen=True)
class Decision:
    """``refused`` is None when admitted; then ``person`` is whom to link, or None: create."""

    email: str
    refused: Refused | None = None
    person: User | None = None


def claims_of(extra_data: dict) -> dict:
    """The person's claims: the userinfo answer, overridden by the (verified) ID token."""
    return {**(extra_data.get("userinfo") or {}), **(extra_data.get("id_token") or {})}


def decide(*, claims: dict, verified_claim: str) -> Decision:
    email = clean_email(claims.get("email"))
    if not email:
        return Decision(email="", refused=Refused.NO_EMAIL)
    if not is_true(claims.get(verified_claim)):
        return Decision(email=email, refused=Refused.UNVERIFIED)
    person = User.objects.filter(email__iexact=email).first()
    if person is not None:
        if not person.is_active:
            return Decision(email=email, refused=Refused.INACTIVE, person=person)
        return Decision(email=email, person=person)
    if email.rpartition("@")[2] not in config.allowed_domains():
        return Decision(email=email, refused=Refused.DOMAIN)
    return Decision(email=email)


def display_name(claims: dict, email: str) -> str:
    """One line, at most the length the portal keeps; the address's local part failing all."""
    for candidate in (
        claims.get("name"),
        " ".join(str(claims.get(part) or "") for part in ("given_name", "family_name")),
        claims.get("preferred_username"),
    ):
        if isinstance(candidate, str):
            name = _CONTROL_OR_SPACES.sub(" ", candidate).strip()[:NAME_LENGTH].strip()
            if name:
                return name
    return email.partition("@")[0][:NAME_LENGTH]


def clean_email(value: object) -> str:
    if not isinstance(value, str) or len(value) > EMAIL_LENGTH:
        return ""
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def is_true(value: object) -> bool:
    # Some providers send the boolean as a string.
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
