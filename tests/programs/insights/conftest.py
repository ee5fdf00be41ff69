from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import TeamRole
from programs.empowerment.services.gestures import log_gesture, record_gesture_outcome
from tests.factories import CategoryFactory, UserFactory, allocated_budget, gesture_input, place


@pytest.fixture
def flowers(db):
    return CategoryFactory(name="Flowers", slug="flowers")


@pytest.fixture
def outcomes_data(agent, other_team, programme, category, flowers, budget):
    """Approved gestures with known reactions, in the agent's team and in another team:

    Care North — Gift: delighted £10, delighted £5, unhappy £0, unrated £7.50 (a waiting one,
    £60, does not count); Flowers: satisfied £20.
    The other team — Gift: neutral £3.
    """
    allocated_budget(other_team, programme)
    outsider = place(UserFactory(name="Olive Outsider"), other_team, TeamRole.AGENT)

    def logged(who, cost, rating, category="gift", ref="R"):
        gesture = log_gesture(
            agent=who, **gesture_input(cost=cost, category=category, customer_ref=ref)
        ).gesture
        if rating:
            record_gesture_outcome(gesture=gesture, actor=who, outcome="", outcome_rating=rating)
        return gesture

    logged(agent, "10.00", "delighted", ref="A1")
    logged(agent, "5.00", "delighted", ref="A2")
    logged(agent, "0.00", "unhappy", ref="A3")
    logged(agent, "7.50", "", ref="A4")
    logged(agent, "60.00", "", ref="A5")  # waits for approval: not counted
    logged(agent, "20.00", "satisfied", category="flowers", ref="A6")
    logged(outsider, "3.00", "neutral", ref="B1")
    return {"outsider": outsider}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def long_ago(today):
    return today - timedelta(days=40)


@pytest.fixture
def colleague_reader(team):
    """An agent who reads the organisation's outcomes."""
    return place(UserFactory(name="Cai Colleague"), team, TeamRole.AGENT)
