import pytest

from programs.people import services as people
from tests.factories import UserFactory


@pytest.fixture
def hr(db):
    """A people manager (HR): the people capability, no organisation role."""
    person = UserFactory(name="Hana HR")
    people.set_people_capability(person=person, holds=True, actor=None)
    return person
