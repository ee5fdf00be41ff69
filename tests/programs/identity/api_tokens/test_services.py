import hashlib
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.errors import Conflict, InvalidInput
from programs.audit.models import AuditEntry
from programs.identity.api_tokens import services
from programs.identity.api_tokens.models import KEY_PREFIX, PersonalToken
from programs.identity.signins.models import EventKind, SignInEvent
from tests.factories import UserFactory


def test_a_new_token_is_stored_only_as_its_hash_with_a_recognisable_prefix(agent):
    issued = services.create_personal_token(person=agent, name="Helpdesk script")

    token = PersonalToken.objects.get()
    assert issued.key.startswith(KEY_PREFIX) and len(issued.key) == len(KEY_PREFIX) + 40
    assert token.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key not in {token.name, token.hint, token.key_hash}
    assert token.hint == issued.key[: len(KEY_PREFIX) + 4]
    assert token.last_used_at is None and token.revoked_at is None


def test_creating_and_revoking_are_audited_and_recorded_as_sign_in_events(agent):
    issued = services.create_personal_token(person=agent, name="CRM sync")
    services.revoke_personal_token(token=issued.token, actor=agent)

    entries = AuditEntry.objects.filter(subject_type="personaltoken").order_by("seq")
    assert [(e.action, e.actor_id, e.data["name"]) for e in entries] == [
        ("personal_token.created", agent.pk, "CRM sync"),
        ("personal_token.revoked", agent.pk, "CRM sync"),
    ]
    assert issued.key not in str([e.data for e in entries])
    kinds = list(SignInEvent.objects.of(agent).values_list("kind", "detail"))
    assert kinds == [(EventKind.TOKEN_REVOKED, "CRM sync"), (EventKind.TOKEN_CREATED, "CRM sync")]


def test_revoking_twice_changes_and_records_nothing_more(agent):
    issued = services.create_personal_token(person=agent, name="Once")
    first = services.revoke_personal_token(token=issued.token, actor=agent).revoked_at
    again = services.revoke_personal_token(token=issued.token, actor=agent)

    assert again.revoked_at == first
    assert AuditEntry.objects.filter(action="personal_token.revoked").count() == 1


def test_a_blank_name_is_refused_beside_the_field(agent):
    with pytest.raises(InvalidInput) as refused:
        services.create_personal_token(person=agent, name="   ")
    assert "name" in refused.value.field_errors
    assert not PersonalToken.objects.exists()


def test_a_name_is_unique_among_a_persons_active_tokens_only(agent, manager):
    first = services.create_personal_token(person=agent, name="Laptop")
    with pytest.raises(InvalidInput) as refused:
        services.create_personal_token(person=agent, name="Laptop")
    assert refused.value.field_errors["name"]

    services.create_personal_token(person=manager, name="Laptop")  # someone else's: fine
    services.revoke_personal_token(token=first.token, actor=agent)
    services.create_personal_token(person=agent, name="Laptop")  # the old one is revoked
    assert PersonalToken.objects.filter(name="Laptop").count() == 3


def test_the_database_refuses_two_active_tokens_of_one_name(agent):
    services.create_personal_token(person=agent, name="Laptop")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalToken.objects.create(person=agent, name="Laptop", key_hash="0" * 64, hint="x")


def test_the_database_refuses_a_hash_used_twice(agent, manager):
    PersonalToken.objects.create(person=agent, name="A", key_hash="a" * 64, hint="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalToken.objects.create(person=manager, name="B", key_hash="a" * 64, hint="x")


def test_a_person_may_hold_only_so_many_active_tokens(agent, settings):
    settings.PERSONAL_TOKEN_LIMIT = 2
    first = services.create_personal_token(person=agent, name="One")
    services.create_personal_token(person=agent, name="Two")

    with pytest.raises(Conflict, match="already have 2 active API tokens"):
        services.create_personal_token(person=agent, name="Three")

    services.revoke_personal_token(token=first.token, actor=agent)
    services.create_personal_token(person=agent, name="Three")


def test_a_key_finds_its_active_token_and_notes_its_use_at_most_once_a_minute(agent):
    issued = services.create_personal_token(person=agent, name="Script")

    found = services.token_for_key(issued.key)
    assert found.pk == issued.token.pk and found.person == agent
    used = PersonalToken.objects.get().last_used_at
    assert used is not None

    services.token_for_key(issued.key)
    assert PersonalToken.objects.get().last_used_at == used  # not written again yet

    PersonalToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    services.token_for_key(issued.key)
    assert PersonalToken.objects.get().last_used_at > used


@pytest.mark.parametrize(
    "key", ["", "aep_pat_", "aep_pat_" + "x" * 39, "Token abc", "aep_pat_" + "é" * 40]
)
def test_what_is_not_a_key_finds_nothing(db, key):
    assert services.token_for_key(key) is None


def test_a_revoked_token_is_not_found(agent):
    issued = services.create_personal_token(person=agent, name="Gone")
    services.revoke_personal_token(token=issued.token, actor=agent)
    assert services.token_for_key(issued.key) is None


def test_revoking_every_token_leaves_other_peoples_alone(agent):
    other = UserFactory()
    services.create_personal_token(person=agent, name="A")
    services.create_personal_token(person=agent, name="B")
    theirs = services.create_personal_token(person=other, name="C")

    with transaction.atomic():
        names = services.revoke_every_personal_token(person=agent, why="test")

    assert sorted(names) == ["A", "B"]
    assert not PersonalToken.objects.active().filter(person=agent).exists()
    assert services.token_for_key(theirs.key) is not None
