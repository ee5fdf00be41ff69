"""The demo's two-factor enrolments, from seeds/people.toml (``totp_secret`` of a person).
The secrets there are public: seed_demo refuses to run under the production profile."""

import tomllib
from pathlib import Path

from django.db import transaction

from accounts.models import User
from programs.identity.mfa.services import enrol_in_totp


@transaction.atomic
def seed_two_factor(path: Path) -> dict[str, str]:
    """Enrols each person with a ``totp_secret``; returns each one's address and secret."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    enrolled = {}
    for spec in data.get("people", []):
        if secret := spec.get("totp_secret"):
            person = User.objects.get(email__iexact=spec["email"])
            enrol_in_totp(person=person, secret=secret)
            enrolled[person.email] = secret
    return enrolled
