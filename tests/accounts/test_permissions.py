import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.test import RequestFactory

from accounts.models import Membership, RoleName, TeamRole
from accounts.permissions import (
    ANONYMOUS,
    Access,
    Role,
    TeamPlace,
    access_for,
    api_capability,
    capability_required,
    forget_access,
)
from programs.people import services as people
from tests.factories import UserFactory
from tests.support.queries import assert_query_count

CAPABILITIES = [
    "can_log_gestures",
    "can_approve",
    "can_allocate_budgets",
    "can_organise_days",
    "can_view_audit",
    "can_administer",
    "can_view_budgets",
    "can_request_topups",
    "can_manage_teams",
    "can_delegate",
    "can_review_gestures",
    "sees_every_team",
    "can_moderate_stories",
    "can_read_team_insights",
    "is_signed_in",
]

# Who may do what, role by role: the contract the navigation, pages and API follow.
MATRIX = {
    "agent": {"can_log_gestures", "is_signed_in"},
    "manager": {
        "can_approve",
        "can_view_budgets",
        "can_request_topups",
        "can_manage_teams",
        "can_delegate",
        "can_moderate_stories",
        "can_read_team_insights",
        "is_signed_in",
    },
    "finance_user": {
        "can_approve",
        "can_allocate_budgets",
        "can_view_audit",
        "can_view_budgets",
        "can_review_gestures",
        "sees_every_team",
        "can_read_team_insights",
        "is_signed_in",
    },
    "organiser": {"can_organise_days", "is_signed_in"},
    "admin_user": {
        "can_view_budgets",
        "can_allocate_budgets",
        "can_organise_days",
        "can_view_audit",
        "can_administer",
        "sees_every_team",
        "can_moderate_stories",
        "can_read_team_insights",
        "is_signed_in",
    },
    "nobody": {"is_signed_in"},
}


@pytest.mark.parametrize("person", MATRIX)
@pytest.mark.parametrize("capability", CAPABILITIES)
def test_capability_matrix(request, person, capability):
    user = request.getfixturevalue(person)
    assert getattr(access_for(user), capability) is (capability in MATRIX[person])


def test_roles_combine_team_and_organisation_roles(team, other_team):
    person = UserFactory()
    people.set_membership(user=person, team=team, role=TeamRole.MANAGER, actor=None)
    people.set_membership(user=person, team=other_team, role=TeamRole.AGENT, actor=None)
    people.grant_role(user=person, role=RoleName.ORGANISER, actor=None)
    access = access_for(person)
    assert access.ordered_roles == ["agent", "manager", "organiser"]
    assert access.managed_team_ids == {team.id}
    assert access.agent_team_ids == {other_team.id}
    assert access.manages(team.id) and not access.manages(other_team.id)


def test_changing_a_role_is_seen_at_once(agent, team):
    assert not access_for(agent).is_manager
    people.set_membership(user=agent, team=team, role=TeamRole.MANAGER, actor=None)
    assert access_for(agent).is_manager
    assert not access_for(agent).is_agent


def test_admin_role_opens_the_admin_site_and_revoking_closes_it(nobody):
    people.grant_role(user=nobody, role=RoleName.ADMIN, actor=None)
    nobody.refresh_from_db()
    assert nobody.is_staff and nobody.is_superuser
    assert Role.ADMIN in access_for(nobody).roles
    people.revoke_role(user=nobody, role=RoleName.ADMIN, actor=None)
    nobody.refresh_from_db()
    assert not nobody.is_staff and not nobody.is_superuser
    assert not access_for(nobody).is_admin


def test_deactivated_person_has_no_access(manager):
    manager.is_active = False
    assert access_for(manager).roles == frozenset()


def test_one_membership_per_team_is_a_database_rule(agent, team):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=agent, team=team, role=TeamRole.MANAGER)


def test_email_addresses_are_unique_without_regard_to_case(db):
    from accounts.models import User

    UserFactory(email="ann@example.test")
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="ANN@example.test", name="Ann Again")])


def test_nobody_logged_in_and_no_user_at_all_have_no_access(db):
    assert access_for(None) is ANONYMOUS
    assert access_for(AnonymousUser()) is ANONYMOUS
    assert ANONYMOUS.user_id is None and ANONYMOUS.roles == frozenset()


def test_a_superuser_made_on_the_command_line_is_an_administrator(db):
    from accounts.models import User

    root = User.objects.create_superuser("root@example.test", "pw-for-root-1234", name="Root")

    access = access_for(root)
    assert access.roles == {Role.ADMIN}
    assert access.is_admin and access.can_administer


def test_access_names_the_person_and_their_teams_in_name_order(team, other_team):
    person = UserFactory()
    people.set_membership(user=person, team=other_team, role=TeamRole.MANAGER, actor=None)
    people.set_membership(user=person, team=team, role=TeamRole.AGENT, actor=None)

    access = access_for(person)

    assert access.user_id == person.pk
    # "Care North" before "Care South".
    assert access.teams == (
        TeamPlace(team_id=team.id, team_name="Care North", role="agent"),
        TeamPlace(team_id=other_team.id, team_name="Care South", role="manager"),
    )


def test_access_is_computed_with_two_queries_once_per_user_object(team, other_team):
    person = UserFactory()
    people.set_membership(user=person, team=team, role=TeamRole.MANAGER, actor=None)
    people.set_membership(user=person, team=other_team, role=TeamRole.AGENT, actor=None)
    people.grant_role(user=person, role=RoleName.FINANCE, actor=None)

    with assert_query_count(2):
        first = access_for(person)
    with assert_query_count(0):
        again = access_for(person)

    assert again is first
    forget_access(person)
    with assert_query_count(2):
        assert access_for(person) == first


# The API's permission classes.


def can_approve_here():
    return api_capability(Access.can_approve, "manage a team or work in finance")


def api_request(user):
    request = RequestFactory().get("/api/")
    request.user = user
    return request


def test_an_api_permission_lets_through_only_people_with_the_capability(
    manager, finance_user, agent, nobody
):
    permission = can_approve_here()()

    assert permission.has_permission(api_request(manager), view=None) is True
    assert permission.has_permission(api_request(finance_user), view=None) is True
    assert permission.has_permission(api_request(agent), view=None) is False
    assert permission.has_permission(api_request(nobody), view=None) is False
    assert permission.has_permission(api_request(AnonymousUser()), view=None) is False


def test_an_api_permission_says_who_may_and_is_named_for_the_capability():
    permission = can_approve_here()

    assert permission.message == "Only people who manage a team or work in finance may do this."
    assert permission.__name__ == "CanManageATeamOrWorkInFinance"


def test_a_visitor_who_has_not_signed_in_holds_no_capability():
    access = access_for(AnonymousUser())
    assert [name for name in CAPABILITIES if getattr(access, name)] == []


def test_pages_and_the_api_ask_a_capability_by_its_name_in_access(rf, manager, agent):
    """capability_required and api_capability take Access's own property, not a rule written
    again beside the view."""
    from django.http import HttpResponse

    @capability_required(Access.can_delegate)
    def view(request):
        return HttpResponse("ok")

    request = rf.get("/")
    request.user = manager
    assert view(request).status_code == 200
    request.user = agent
    with pytest.raises(PermissionDenied):
        view(request)

    permission = api_capability(Access.can_delegate, "manage a team")()
    request.user = manager
    assert permission.has_permission(request, None)
    request.user = agent
    assert not permission.has_permission(request, None)
    assert permission.message == "Only people who manage a team may do this."
