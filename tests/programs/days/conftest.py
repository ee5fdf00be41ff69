import pytest

from tests.factories import appreciation_day, created_invitation


@pytest.fixture
def day(organiser):
    """A published day in three weeks with six seats."""
    return appreciation_day(organiser, capacity=6, title="Summer Appreciation Day")


@pytest.fixture
def link(day, organiser):
    """The day's invitation link, labelled "Newsletter"."""
    return created_invitation(day, organiser)
