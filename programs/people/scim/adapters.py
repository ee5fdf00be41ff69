"""People as SCIM Users and teams as SCIM Groups, written through the people services.

What identity providers send, and how it lands here:

- ``userName`` (or the primary of ``emails``) is the e-mail address; ``name.givenName`` and
  ``name.familyName`` (or ``name.formatted``, or ``displayName``) become the one display name.
- ``active`` false deactivates (sessions and tokens die, approvals move on), true reactivates.
  Entra ID sends booleans in PATCH as the strings "True" and "False": both are understood.
- Attributes the portal does not keep (titles, departments, extension schemas) are ignored, so
  a provider's mapping never fails on them.
- A Group's members are placed in the team as agents (someone already there keeps their
  role); removed members leave the team. Teams are never deleted through SCIM.
"""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django_scim import constants, exceptions
from django_scim.adapters import SCIMGroup, SCIMUser
from django_scim.utils import get_user_adapter
from typing_extensions import override

from accounts.models import Membership, Team, TeamRole, User
from portal.errors import ApplicationError
from programs.people import services as people

_ABSENT = object()


def _via(request) -> dict:
    token = getattr(request, "provisioning_token", None)
    return {"via": "scim", "token": token.name if token else ""}


def as_boolean(value) -> bool:
    """``true``/``false`` as JSON booleans or (Entra ID) as the strings "True"/"False"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise exceptions.BadRequestError('"active" must be true or false.', scim_type="invalidValue")


def _refused(error: Exception) -> exceptions.SCIMException:
    if isinstance(error, ValidationError):
        detail = "; ".join(error.messages)
        return exceptions.BadRequestError(detail, scim_type="invalidValue")
    if isinstance(error, ApplicationError):
        return exceptions.SCIMException(error.message, status=error.status)
    return exceptions.IntegrityError(str(error), scim_type="uniqueness")


def _ids(members) -> list[int]:
    if not isinstance(members, list):
        raise exceptions.BadRequestError('"members" must be a list.', scim_type="invalidValue")
    ids = []
    for member in members:
        value = str(member.get("value", "")) if isinstance(member, dict) else ""
        if not value.isdigit() or len(value) > 18:
            raise exceptions.BadRequestError(f"No such user: {value!r}.", scim_type="invalidValue")
        ids.append(int(value))
    return ids


class PersonAdapter(SCIMUser):
    id_field = "pk"
    # Reading changes into ``wanted`` and writing them in save() through the services.

    def __init__(self, obj, request=None):
        super().__init__(obj, request=request)
        self.wanted: dict = {}

    @property
    def display_name(self) -> str:
        return self.obj.name or self.obj.email

    @property
    def emails(self) -> list[dict]:
        return [{"value": self.obj.email, "primary": True, "type": "work"}]

    @property
    def groups(self) -> list[dict]:
        return [
            {
                "value": str(membership.team_id),
                "display": membership.team.name,
                "$ref": TeamAdapter(membership.team, request=self.request).location,
            }
            for membership in self.obj.memberships.all()
        ]

    @override
    def to_dict(self) -> dict:
        given, _, family = self.obj.name.partition(" ")
        return {
            "schemas": [constants.SchemaURI.USER],
            "id": self.id,
            "userName": self.obj.email,
            "name": {"formatted": self.obj.name, "givenName": given, "familyName": family},
            "displayName": self.display_name,
            "emails": self.emails,
            "active": self.obj.is_active,
            "groups": self.groups,
            "meta": self.meta,
        }

    @override
    def validate_dict(self, d) -> None:
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body must be a JSON object.")

    @override
    def from_dict(self, d) -> None:
        email = self._email_from(d.get("emails")) or d.get("userName")
        if email is not None:
            self._want_email(email)
        name = self._name_from(d.get("name"), d.get("displayName"))
        if name:
            self.wanted["name"] = name
        if "active" in d:
            self.wanted["active"] = as_boolean(d["active"])

    def _email_from(self, emails) -> str | None:
        if isinstance(emails, dict):
            return emails.get("value")
        if not isinstance(emails, list) or not emails:
            return None
        ordered = sorted(
            (e for e in emails if isinstance(e, dict)), key=lambda e: not e.get("primary")
        )
        return ordered[0].get("value") if ordered else None

    def _name_from(self, name, display_name) -> str:
        if isinstance(name, dict):
            formatted = name.get("formatted")
            parts = [name.get("givenName"), name.get("familyName")]
            joined = " ".join(str(part).strip() for part in parts if part)
            if joined or formatted:
                return joined or str(formatted).strip()
        return str(display_name).strip() if display_name else ""

    def _want_email(self, value) -> None:
        email = str(value).strip().lower()
        try:
            EmailValidator()(email)
        except ValidationError as error:
            raise exceptions.BadRequestError(
                "userName must be an e-mail address.", scim_type="invalidValue"
            ) from error
        self.wanted["email"] = email

    @override
    def handle_operations(self, operations) -> None:
        """PATCH: each operation's changes are gathered, then written at once."""
        if not isinstance(operations, list):
            raise exceptions.BadRequestError('"Operations" must be a list.')
        for operation in operations:
            op = str(operation.get("op", "")).lower() if isinstance(operation, dict) else ""
            if op not in constants.VALID_PATCH_OPS:
                raise exceptions.BadRequestError(f"Unknown PATCH op {op!r}.")
            path, value = operation.get("path"), operation.get("value", _ABSENT)
            if op == "remove":
                continue  # nothing the portal keeps can be removed: a person has a name and e-mail
            if not path:
                if not isinstance(value, dict):
                    raise exceptions.BadRequestError("A PATCH without a path needs an object.")
                self.from_dict(value)
                for key, item in value.items():
                    self._patch(key, item)
            else:
                self._patch(str(path), value)
        self.save()

    def _patch(self, path: str, value) -> None:
        key = path.lower()
        current_given, _, current_family = self.wanted.get("name", self.obj.name).partition(" ")
        if key == "active":
            self.wanted["active"] = as_boolean(value)
        elif key == "username" or key.startswith("emails"):
            email = self._email_from(value) if key == "emails" else value
            if email:
                self._want_email(email)
        elif key in {"displayname", "name.formatted"} and value:
            self.wanted["name"] = str(value).strip()
        elif key == "name.givenname" and value:
            self.wanted["name"] = f"{str(value).strip()} {current_family}".strip()
        elif key == "name.familyname" and value:
            self.wanted["name"] = f"{current_given} {str(value).strip()}".strip()
        elif key == "name" and isinstance(value, dict):
            name = self._name_from(value, None)
            if name:
                self.wanted["name"] = name
        # Anything else (externalId, title, extension attributes) is not kept here.

    @override
    def save(self) -> None:
        try:
            with transaction.atomic():
                self.obj = self._write()
        except (ValidationError, ApplicationError, IntegrityError) as error:
            raise _refused(error) from error

    def _write(self) -> User:
        via, wanted = _via(self.request), self.wanted
        if self.obj.pk is None:
            if "email" not in wanted:
                raise exceptions.BadRequestError("userName is required.", scim_type="invalidValue")
            if User.objects.filter(email__iexact=wanted["email"]).exists():
                raise exceptions.IntegrityError(
                    "A person with this userName already exists.", scim_type="uniqueness"
                )
            return people.create_person(
                email=wanted["email"],
                name=wanted.get("name") or wanted["email"],
                is_active=wanted.get("active", True),
                actor=None,
                via=via,
            )
        person = self.obj
        account = {
            field: wanted[field]
            for field in ("email", "name")
            if field in wanted and wanted[field] != getattr(person, field)
        }
        if account:
            # A provisioning token keeps ordinary people's addresses in step, not an
            # administrator's, finance person's or staff member's: whoever changes one can
            # take the account over with a password reset.
            if "email" in account and people.is_protected_account(person):
                raise exceptions.SCIMException(
                    "Only an administrator changes the e-mail address of this person.", status=403
                )
            people.update_person(person=person, actor=None, via=via, **account)
        active = wanted.get("active", person.is_active)
        if person.is_active and not active:
            people.deactivate_person(person=person, actor=None, via=via)
        elif active and not person.is_active:
            people.reactivate_person(person=person, actor=None, via=via)
        return User.objects.prefetch_related("memberships__team").get(pk=person.pk)

    @override
    def delete(self) -> None:
        """People are never deleted (gestures and the audit trail name them): deactivated."""
        self.wanted = {"active": False}
        self.save()


class TeamAdapter(SCIMGroup):
    id_field = "pk"

    def __init__(self, obj, request=None):
        super().__init__(obj, request=request)
        self.wanted: dict = {}

    @property
    def display_name(self) -> str:
        return self.obj.name

    @property
    def members(self) -> list[dict]:
        adapter = get_user_adapter()
        return [
            {
                "value": str(membership.user_id),
                "display": membership.user.name,
                "$ref": adapter(membership.user, request=self.request).location,
            }
            for membership in self.obj.memberships.all()
        ]

    @property
    def meta(self) -> dict:
        return {
            "resourceType": self.resource_type,
            "created": self.obj.created_at.isoformat(),
            "location": self.location,
        }

    @override
    def to_dict(self) -> dict:
        return {
            "schemas": [constants.SchemaURI.GROUP],
            "id": self.id,
            "displayName": self.display_name,
            "members": self.members,
            "meta": self.meta,
        }

    @override
    def validate_dict(self, d) -> None:
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body must be a JSON object.")

    @override
    def from_dict(self, d) -> None:
        if d.get("displayName"):
            self.wanted["name"] = str(d["displayName"]).strip()
        if "members" in d:
            self.wanted["members"] = set(_ids(d["members"] or []))

    @override
    def handle_operations(self, operations) -> None:
        if not isinstance(operations, list):
            raise exceptions.BadRequestError('"Operations" must be a list.')
        add, remove = set(), set()
        for operation in operations:
            op = str(operation.get("op", "")).lower() if isinstance(operation, dict) else ""
            path = str(operation.get("path") or "")
            value = operation.get("value")
            key = path.lower()
            if op == "add" and key == "members":
                add.update(_ids(value))
            elif op == "remove" and key.startswith("members["):
                # Entra ID: members[value eq "42"]
                remove.update(_ids([{"value": key.split('"')[1] if '"' in key else ""}]))
            elif op == "remove" and key == "members":
                remove.update(_ids(value) if value else self._member_ids())
            elif op == "replace" and key == "members":
                self.wanted["members"] = set(_ids(value or []))
            elif op == "replace" and key == "displayname":
                self.wanted["name"] = str(value).strip()
            elif op == "replace" and not path and isinstance(value, dict):
                self.from_dict(value)
            elif op not in constants.VALID_PATCH_OPS:
                raise exceptions.BadRequestError(f"Unknown PATCH op {op!r}.")
        if add or remove:
            current = self.wanted.get("members", set(self._member_ids()))
            self.wanted["members"] = (current | add) - remove
        self.save()

    def _member_ids(self) -> list[int]:
        return list(Membership.objects.filter(team=self.obj).values_list("user_id", flat=True))

    @override
    def save(self) -> None:
        try:
            with transaction.atomic():
                self.obj = self._write()
        except (ValidationError, ApplicationError, IntegrityError) as error:
            raise _refused(error) from error

    def _write(self) -> Team:
        via, wanted = _via(self.request), self.wanted
        if self.obj.pk is None:
            name = wanted.get("name")
            if not name:
                raise exceptions.BadRequestError("displayName is required.")
            if Team.objects.filter(name__iexact=name).exists():
                raise exceptions.IntegrityError(
                    "A team with this displayName already exists.", scim_type="uniqueness"
                )
            team = people.create_team(name=name)
        else:
            team = self.obj
            if wanted.get("name") and wanted["name"] != team.name:
                team = people.rename_team(team=team, name=wanted["name"])
        if "members" in wanted:
            self._sync_members(team, wanted["members"], via)
        return Team.objects.prefetch_related("memberships__user").get(pk=team.pk)

    def _sync_members(self, team: Team, wanted: set[int], via: dict) -> None:
        found = {user.pk: user for user in User.objects.filter(pk__in=wanted)}
        if len(found) != len(wanted):
            raise exceptions.BadRequestError(
                "A member is not a user here.", scim_type="invalidValue"
            )
        present = {
            m.user_id: m for m in Membership.objects.filter(team=team).select_related("user")
        }
        for user_id in sorted(wanted - present.keys()):
            people.set_membership(
                user=found[user_id], team=team, role=TeamRole.AGENT, actor=None, via=via
            )
        for user_id in sorted(present.keys() - wanted):
            people.remove_membership(user=present[user_id].user, team=team, actor=None, via=via)

    @override
    def delete(self) -> None:
        raise exceptions.SCIMException(
            "Teams are not deleted through provisioning: remove their members instead.",
            status=409,
        )
