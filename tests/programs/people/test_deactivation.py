"""A deactivated person: gone from team lists and pickers, no way in by page, session or
token, until an administrator reactivates them."""

import pytest
from django.urls import reverse

from accounts.models import RoleName, TeamRole
from programs.days.forms import OrganiserForm
from programs.empowerment.forms import AllowanceForm, DelegationForm
from programs.empowerment.services.delegations import deactivate_person
from programs.people import services as people
from tests.factories import PASSWORD, UserFactory, appreciation_day, grant, place

LOGIN = reverse("account_login")
TOKEN_URL = reverse("api:auth-token")
ME_URL = reverse("api:me")
HOME = reverse("home")


@pytest.fixture
def leaver(team):
    """An agent of Care North who is about to leave."""
    return place(UserFactory(name="Lee Leaver"), team, TeamRole.AGENT)


def _token_for(api_client, person) -> str:
    response = api_client.post(
        TOKEN_URL, {"email": person.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    return response.json()["token"]


def test_a_deactivated_person_cannot_log_in_on_the_login_page(client, leaver, admin_user):
    deactivate_person(person=leaver, actor=admin_user)

    client.post(LOGIN, {"login": leaver.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert client.get(HOME).status_code == 302


def test_a_session_opened_before_deactivation_stops_working(client, leaver, admin_user):
    client.force_login(leaver)
    assert client.get(HOME).status_code == 200

    deactivate_person(person=leaver, actor=admin_user)

    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_token_made_before_deactivation_is_refused(api_client, leaver, admin_user):
    token = _token_for(api_client, leaver)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get(ME_URL).status_code == 200

    deactivate_person(person=leaver, actor=admin_user)

    assert api_client.get(ME_URL).status_code == 401


def test_a_deactivated_person_cannot_get_a_new_token(api_client, leaver, admin_user):
    deactivate_person(person=leaver, actor=admin_user)

    response = api_client.post(
        TOKEN_URL, {"email": leaver.email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400


def test_reactivation_lets_them_in_again_but_not_with_their_old_token(
    api_client, client, leaver, admin_user
):
    old_token = _token_for(api_client, leaver)
    deactivate_person(person=leaver, actor=admin_user)

    people.reactivate_person(person=leaver, actor=admin_user)

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {old_token}")
    assert api_client.get(ME_URL).status_code == 401
    api_client.credentials()
    new_token = _token_for(api_client, leaver)
    assert new_token != old_token
    client.post(LOGIN, {"login": leaver.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(leaver.pk)


@pytest.mark.parametrize("viewer", ["agent", "manager"])
def test_a_deactivated_agent_leaves_the_team_list_of_their_colleagues_and_manager(
    request, client, leaver, admin_user, viewer
):
    teammate = request.getfixturevalue(viewer)
    deactivate_person(person=leaver, actor=admin_user)
    client.force_login(teammate)

    html = client.get(HOME).content.decode()

    assert teammate.name in html
    assert leaver.name not in html


def test_a_deactivated_person_is_not_counted_in_the_teams(
    client, finance_user, agent, leaver, admin_user, programme
):
    deactivate_person(person=leaver, actor=admin_user)
    client.force_login(finance_user)

    home = client.get(HOME)
    teams = client.get(reverse("empowerment:team-list"))

    [row] = [t for t in home.context["teams_page"] if t.pk == agent.memberships.get().team_id]
    assert row.agent_count == 1
    [listed] = [t for t in teams.context["page"] if t.pk == row.pk]
    assert listed.agent_count == 1
    assert "1 agent" in teams.content.decode()


def test_a_deactivated_agent_leaves_the_team_page_and_the_allowance_picker(
    client, manager, agent, leaver, team, admin_user, budget
):
    deactivate_person(person=leaver, actor=admin_user)
    client.force_login(manager)

    html = client.get(reverse("empowerment:team-detail", args=[team.pk])).content.decode()

    assert agent.name in html and leaver.name not in html
    choices = AllowanceForm(team=team, programme=budget.programme).fields["agent"].queryset
    assert list(choices) == [agent]


def test_a_deactivated_manager_is_not_offered_as_a_delegate(manager, other_manager, admin_user):
    gone = place(UserFactory(name="Gail Gone"), other_manager.memberships.get().team, "manager")
    deactivate_person(person=gone, actor=admin_user)

    choices = DelegationForm(delegator=manager).fields["delegate"].queryset

    assert list(choices) == [other_manager]


def test_a_deactivated_organiser_is_not_offered_as_a_co_organiser(organiser, admin_user):
    day = appreciation_day(organiser)
    present = grant(UserFactory(name="Ora Present"), RoleName.ORGANISER)
    gone = grant(UserFactory(name="Ora Gone"), RoleName.ORGANISER)
    deactivate_person(person=gone, actor=admin_user)

    choices = OrganiserForm(day=day).fields["person"].queryset

    assert gone not in choices and present in choices
