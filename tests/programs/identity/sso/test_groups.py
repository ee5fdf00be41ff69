"""The group map applied to one person, directly (the sign-in tests apply it through a real
provider)."""

import pytest

from accounts.models import Membership, OrgRole, RoleName, TeamRole
from programs.audit.models import AuditEntry
from programs.identity.sso.groups import apply_groups, groups_in
from tests.factories import TeamFactory, UserFactory, grant, place

GROUP_MAP = {
    "cs-finance": {"roles": ["finance"]},
    "cs-north-agents": {"teams": {"Care North": "agent"}},
    "cs-north-leads": {"teams": {"Care North": "manager"}},
    "cs-ghosts": {"teams": {"No Such Team": "agent"}},
}


@pytest.fixture(autouse=True)
def group_map(settings):
    settings.SSO_GROUPS_CLAIM = "groups"
    settings.SSO_GROUP_MAP = GROUP_MAP


@pytest.fixture
def north(db):
    return TeamFactory(name="Care North")


def test_the_claim_is_read_as_a_list_of_names(settings):
    assert groups_in({"groups": ["a", "b", 3]}) == ["a", "b"]
    assert groups_in({"groups": "a"}) == ["a"]
    assert groups_in({"groups": []}) == []


def test_no_claim_or_no_map_means_nothing_to_apply(settings):
    assert groups_in({"email": "x@portal.test"}) is None
    assert groups_in({"groups": {"not": "a list"}}) is None
    settings.SSO_GROUP_MAP = {}
    assert groups_in({"groups": ["cs-finance"]}) is None


def test_manager_outranks_agent_when_two_groups_place_one_team(north):
    person = UserFactory()

    changes = apply_groups(person=person, groups=["cs-north-agents", "cs-north-leads"])

    assert changes.placed == {"Care North": TeamRole.MANAGER}
    assert Membership.objects.get(user=person, team=north).role == TeamRole.MANAGER


def test_a_team_the_map_names_but_the_portal_lacks_is_skipped_with_a_warning(north, caplog):
    person = UserFactory()

    changes = apply_groups(person=person, groups=["cs-ghosts"])

    assert not changes
    assert "No Such Team" in caplog.text
    assert not Membership.objects.filter(user=person).exists()


def test_leaving_every_mapped_group_removes_only_what_the_map_covers(north, db):
    south = TeamFactory(name="Care South")
    person = place(place(UserFactory(), north, TeamRole.AGENT), south, TeamRole.AGENT)
    grant(grant(person, RoleName.FINANCE), RoleName.ORGANISER)

    changes = apply_groups(person=person, groups=[])

    assert changes.revoked == ["finance"]
    assert changes.removed == ["Care North"]
    assert set(OrgRole.objects.filter(user=person).values_list("role", flat=True)) == {"organiser"}
    assert list(Membership.objects.filter(user=person).values_list("team__name", flat=True)) == [
        "Care South"
    ]


def test_a_place_the_map_does_not_give_is_left_alone(north, settings):
    settings.SSO_GROUP_MAP = {"cs-north-agents": {"teams": {"Care North": "agent"}}}
    manager = place(UserFactory(), north, TeamRole.MANAGER)

    assert not apply_groups(person=manager, groups=[])
    assert not apply_groups(person=manager, groups=["cs-north-agents"])
    assert Membership.objects.get(user=manager, team=north).role == TeamRole.MANAGER


def test_applying_the_same_groups_twice_changes_and_audits_nothing_the_second_time(north):
    person = UserFactory()
    apply_groups(person=person, groups=["cs-finance", "cs-north-leads"])
    entries = AuditEntry.objects.count()

    changes = apply_groups(person=person, groups=["cs-finance", "cs-north-leads"])

    assert not changes
    assert AuditEntry.objects.count() == entries
