"""The /people/ pages: who may see them, the list's queries, and the changes made there."""

import pytest
from django.urls import reverse

from accounts.models import Membership, OrgRole, RoleName, TeamRole
from programs.audit.models import AuditEntry
from programs.people import services as people
from tests.factories import UserFactory, grant, place
from tests.support.queries import assert_same_query_count, page_queries

LIST = reverse("people:people")


def person_url(person, name="people:person") -> str:
    return reverse(name, args=[person.pk])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("agent", 404),
        ("manager", 404),
        ("finance_user", 404),
        ("organiser", 404),
        ("nobody", 404),
        ("admin_user", 200),
        ("hr", 200),
    ],
)
def test_only_administrators_and_people_managers_find_the_people_pages(
    request, client, who, status, colleague
):
    client.force_login(request.getfixturevalue(who))

    for url in (
        LIST,
        person_url(colleague),
        reverse("people:invite"),
        reverse("people:import"),
    ):
        assert client.get(url).status_code == status, url
    posted = client.post(person_url(colleague, "people:deactivate"))
    assert posted.status_code == (404 if status == 404 else 302)


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["admin_user", "hr"])
def test_the_navigation_offers_people_to_those_who_may_use_it(request, client, who):
    client.force_login(request.getfixturevalue(who))
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()


def test_the_navigation_hides_people_from_everyone_else(client, manager):
    client.force_login(manager)
    assert f'href="{LIST}"' not in client.get(reverse("home")).content.decode()


def test_the_list_shows_teams_roles_status_and_runs_the_same_queries_for_more_people(
    admin_client, team, other_team
):
    first = place(UserFactory(name="Ada First"), team, TeamRole.AGENT)
    grant(first, RoleName.ORGANISER)
    few = page_queries(admin_client, LIST)
    for n in range(12):
        person = place(UserFactory(name=f"Person {n}"), team, TeamRole.AGENT)
        place(person, other_team, TeamRole.MANAGER)
        grant(person, RoleName.ORGANISER)
        people.set_people_capability(person=person, holds=True, actor=None)
    many = page_queries(admin_client, LIST)

    assert_same_query_count(few, many)
    html = admin_client.get(LIST).content.decode()
    assert "Ada First" in html and "Care North" in html and "Organiser" in html
    assert "People manager" in html


def test_the_list_finds_people_by_name_or_e_mail(admin_client, agent, manager):
    html = admin_client.get(LIST, {"q": agent.email.upper()}).content.decode()
    assert agent.name in html and manager.name not in html
    html = admin_client.get(LIST, {"q": "maya"}).content.decode()
    assert manager.name in html and agent.name not in html


def test_a_search_with_a_nul_byte_is_answered_without_error(admin_client):
    assert admin_client.get(LIST, {"q": "a\x00b"}).status_code == 200


def test_hr_places_someone_in_a_team_and_it_is_audited(client, hr, nobody, team):
    client.force_login(hr)

    response = client.post(
        person_url(nobody, "people:set-team"), {"team": team.pk, "role": TeamRole.MANAGER}
    )

    assert response.status_code == 302
    assert Membership.objects.get(user=nobody, team=team).role == TeamRole.MANAGER
    entry = AuditEntry.objects.get(action="membership.changed", subject_id=str(nobody.pk))
    assert entry.actor == hr


def test_a_team_form_with_no_team_shows_the_error_beside_the_field(client, hr, nobody):
    client.force_login(hr)
    response = client.post(person_url(nobody, "people:set-team"), {"role": "agent"})
    assert response.status_code == 400
    assert response.context["membership_form"].errors["team"]


def test_hr_is_offered_and_may_grant_the_organiser_role(client, hr, nobody):
    client.force_login(hr)
    page = client.get(person_url(nobody))
    offered = {value for value, _ in page.context["roles_form"].fields["roles"].choices}
    assert offered == {RoleName.ORGANISER}

    client.post(person_url(nobody, "people:set-roles"), {"roles": [RoleName.ORGANISER]})

    assert OrgRole.objects.filter(user=nobody, role=RoleName.ORGANISER).exists()


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
def test_hr_cannot_grant_admin_or_finance(client, hr, nobody, role):
    client.force_login(hr)

    response = client.post(person_url(nobody, "people:set-roles"), {"roles": [role]})

    assert response.status_code == 400
    assert response.context["roles_form"].errors["roles"]
    assert not OrgRole.objects.filter(user=nobody, role=role).exists()


def test_hr_saving_roles_keeps_the_finance_role_they_may_not_touch(client, hr, nobody):
    # HR cannot change a finance person's account at all...
    grant(nobody, RoleName.FINANCE)
    client.force_login(hr)
    client.post(person_url(nobody, "people:set-roles"), {"roles": []})
    assert OrgRole.objects.filter(user=nobody, role=RoleName.FINANCE).exists()


def test_an_administrator_grants_finance_and_the_people_capability(admin_client, nobody):
    admin_client.post(person_url(nobody, "people:set-roles"), {"roles": [RoleName.FINANCE]})
    admin_client.post(person_url(nobody, "people:set-people-capability"), {"holds": "on"})

    assert OrgRole.objects.filter(user=nobody, role=RoleName.FINANCE).exists()
    assert people.holds_people_capability(nobody)
    entry = AuditEntry.objects.filter(action="role.granted", subject_id=str(nobody.pk)).last()
    assert entry.data["role"] == "people"


def test_hr_cannot_give_the_people_capability(client, hr, nobody):
    client.force_login(hr)
    client.post(person_url(nobody, "people:set-people-capability"), {"holds": "on"})
    assert not people.holds_people_capability(nobody)


def test_hr_deactivates_and_reactivates_an_agent(client, hr, agent):
    client.force_login(hr)

    client.post(person_url(agent, "people:deactivate"))
    agent.refresh_from_db()
    assert not agent.is_active

    client.post(person_url(agent, "people:reactivate"))
    agent.refresh_from_db()
    assert agent.is_active
    assert AuditEntry.objects.filter(action="person.deactivated", actor=hr).exists()
    assert AuditEntry.objects.filter(action="person.reactivated", actor=hr).exists()


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
def test_hr_cannot_deactivate_an_administrator_or_finance_person(client, hr, nobody, role):
    grant(nobody, role)
    client.force_login(hr)

    client.post(person_url(nobody, "people:deactivate"))

    nobody.refresh_from_db()
    assert nobody.is_active


def test_nobody_deactivates_themself(admin_client, admin_user):
    admin_client.post(person_url(admin_user, "people:deactivate"))
    admin_user.refresh_from_db()
    assert admin_user.is_active
