"""Access to one appreciation-day record (programs/selectors/days.py): the day's organisers and
administrators reach it; anyone else gets the same 404 as for a record that does not exist."""

import pytest
from django.http import Http404

from accounts.models import RoleName
from programs.days.selectors import invitation_for_organiser
from programs.days.services.days import add_organiser
from tests.factories import UserFactory, appreciation_day, created_invitation, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(organiser):
    return created_invitation(appreciation_day(organiser), organiser)


def test_an_invitation_is_reached_by_the_days_organisers_and_administrators(
    link, organiser, admin_user
):
    co_organiser = grant(UserFactory(name="Cai Organiser"), RoleName.ORGANISER)
    add_organiser(day=link.day, actor=organiser, person=co_organiser)

    for person in (organiser, co_organiser, admin_user):
        found = invitation_for_organiser(person, link.pk)
        assert found == link
        assert found.day == link.day


def test_an_invitation_of_someone_elses_day_is_as_missing_as_one_that_never_was(
    link, agent, finance_user
):
    other_organiser = grant(UserFactory(name="Oz Organiser"), RoleName.ORGANISER)

    for person in (other_organiser, agent, finance_user):
        with pytest.raises(Http404, match=r"No such invitation\."):
            invitation_for_organiser(person, link.pk)
    with pytest.raises(Http404, match=r"No such invitation\."):
        invitation_for_organiser(link.day.organisers.first(), link.pk + 1000)
