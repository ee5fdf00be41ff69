import itertools

import pytest

from accounts.models import TeamRole
from programs.services.gestures import log_gesture
from tests.factories import UserFactory, allocated_budget, gesture_input, place


@pytest.fixture
def colleague(team):
    """Another agent in the agent's team."""
    return place(UserFactory(name="Cai Colleague"), team, TeamRole.AGENT)


@pytest.fixture
def outsider(other_team):
    """An agent in another team."""
    return place(UserFactory(name="Olive Outsider"), other_team, TeamRole.AGENT)


@pytest.fixture
def other_budget(other_team, programme):
    return allocated_budget(other_team, programme)


@pytest.fixture
def log(category, budget, other_budget):
    """Log a gesture through the service, each for a customer of its own unless told."""
    refs = (f"TCK-{n}" for n in itertools.count(2000))

    def log(agent, **overrides):
        overrides.setdefault("customer_ref", next(refs))
        return log_gesture(agent=agent, **gesture_input(**overrides))

    return log
