"""People's and teams' names are single lines: they go into e-mail headers and CSV cells."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from programs.people import services as people
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["Ada\nLovelace", "Ada\r\nBcc: all@example.com", "Ada\x00", "Ada\tL"]
)
def test_a_person_or_team_is_not_created_with_a_line_break_or_control_character(name):
    with pytest.raises(ValidationError) as caught:
        people.create_person(email="ada@example.test", name=name, password="x" * 12, actor=None)
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError):
        people.create_team(name=name)
    assert not User.objects.filter(email="ada@example.test").exists()


def test_the_database_keeps_a_persons_name_on_one_line(db):
    person = UserFactory(name="Ada Lovelace")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=person.pk).update(name="Ada\nLovelace")


def test_names_in_any_script_are_fine(db):
    assert UserFactory(name="Zoë Łukasiewicz-山田").pk
