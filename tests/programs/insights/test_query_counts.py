"""Every role's insights page costs the same queries with a little data or much more."""

import pytest

from accounts.models import TeamRole
from programs.empowerment.services.gestures import log_gesture
from programs.stories.services import thank_story
from tests.factories import (
    UserFactory,
    appreciation_day,
    created_invitation,
    gesture_input,
    place,
    registered,
)
from tests.support.queries import assert_same_query_count, capture_queries

ROLES = ["agent", "manager", "finance_user", "organiser", "admin_user"]


def _grow(team, organiser, n: int):
    for i in range(n):
        person = place(UserFactory(), team, TeamRole.AGENT)
        gesture = log_gesture(
            agent=person, **gesture_input(cost="1.00", customer_ref=f"G{n}-{i}")
        ).gesture
        thank_story(story=gesture, user=organiser)
        day = appreciation_day(organiser, title=f"Day {n}-{i}")
        registered(created_invitation(day, organiser), party_size=1)


@pytest.mark.parametrize("role", ROLES)
def test_the_page_takes_the_same_queries_small_or_large(
    request, client, role, team, organiser, programme, budget, category
):
    person = request.getfixturevalue(role)
    client.force_login(person)
    _grow(team, organiser, 1)
    with capture_queries() as few:
        assert client.get("/insights/").status_code == 200
    _grow(team, organiser, 6)
    with capture_queries() as many:
        assert client.get("/insights/").status_code == 200
    assert_same_query_count(few, many)
