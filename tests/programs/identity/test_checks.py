"""A mistake in the group map stops the portal at start-up, named by the system check."""

import pytest

from programs.identity.checks import check_group_map


@pytest.mark.parametrize(
    ("group_map", "error"),
    [
        ({"g": ["finance"]}, "identity.E001"),
        ({"g": {"roles": ["finance"], "extra": 1}}, "identity.E001"),
        ({"g": {"roles": ["superhero"]}}, "identity.E002"),
        ({"g": {"teams": {"Care North": "captain"}}}, "identity.E003"),
    ],
)
def test_a_malformed_map_is_an_error(settings, group_map, error):
    settings.SSO_GROUPS_CLAIM = "groups"
    settings.SSO_GROUP_MAP = group_map

    assert [found.id for found in check_group_map()] == [error]


def test_a_map_without_a_claim_to_read_is_an_error(settings):
    settings.SSO_GROUPS_CLAIM = ""
    settings.SSO_GROUP_MAP = {"g": {"roles": ["finance"]}}

    assert [found.id for found in check_group_map()] == ["identity.E004"]


def test_a_good_map_passes(settings):
    settings.SSO_GROUPS_CLAIM = "groups"
    settings.SSO_GROUP_MAP = {
        "cs-finance": {"roles": ["finance"]},
        "cs-team-north": {"teams": {"Care North": "agent", "Care South": "manager"}},
    }

    assert check_group_map() == []
