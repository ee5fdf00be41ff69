"""The people services refuse what the acting person may not do, and audit what they do."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Membership, OrgRole, RoleName, TeamRole, User
from portal.errors import NotPermitted
from programs.audit.models import AuditEntry
from programs.empowerment.services.delegations import deactivate_person
from programs.people import services as people
from tests.factories import PASSWORD, UserFactory, grant, staff_with

ROLE_EDITOR = [
    "accounts.view_user",
    "accounts.change_user",
    "accounts.add_user",
    "accounts.add_orgrole",
    "accounts.delete_orgrole",
    "accounts.add_membership",
    "accounts.change_membership",
    "accounts.delete_membership",
]


@pytest.fixture
def editor(db) -> User:
    """May change people, their roles and memberships; not an administrator."""
    return staff_with(UserFactory(name="Hana People"), *ROLE_EDITOR)


def entries(action: str, subject: User) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, subject_id=str(subject.pk)))


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
def test_only_an_administrator_grants_admin_or_finance(editor, nobody, role):
    with pytest.raises(NotPermitted):
        people.grant_role(user=nobody, role=role, actor=editor)
    with pytest.raises(NotPermitted):
        people.grant_role(user=editor, role=role, actor=editor)

    assert not OrgRole.objects.filter(role=role, user__in=[nobody, editor]).exists()
    assert not User.objects.filter(pk__in=[nobody.pk, editor.pk], is_superuser=True).exists()
    assert entries("role.granted", nobody) == entries("role.granted", editor) == []


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
def test_only_an_administrator_revokes_admin_or_finance(editor, role):
    holder = grant(UserFactory(), role)

    with pytest.raises(NotPermitted):
        people.revoke_role(user=holder, role=role, actor=editor)

    assert OrgRole.objects.filter(user=holder, role=role).exists()
    assert entries("role.revoked", holder) == []


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
def test_an_administrator_grants_and_revokes_admin_and_finance_audited_as_them(
    admin_user, nobody, role
):
    people.grant_role(user=nobody, role=role, actor=admin_user)
    people.revoke_role(user=nobody, role=role, actor=admin_user)

    [granted] = entries("role.granted", nobody)
    [revoked] = entries("role.revoked", nobody)
    assert granted.actor == revoked.actor == admin_user
    assert granted.data == revoked.data == {"role": str(role)}
    assert OrgRole.objects.filter(user=nobody).count() == 0


def test_the_system_grants_any_role_with_no_actor(nobody):
    people.grant_role(user=nobody, role=RoleName.FINANCE, actor=None)

    [granted] = entries("role.granted", nobody)
    assert granted.actor is None
    assert OrgRole.objects.get(user=nobody).granted_by is None


def test_a_people_editor_grants_organiser_audited_as_them(editor, nobody):
    people.grant_role(user=nobody, role=RoleName.ORGANISER, actor=editor)

    assert OrgRole.objects.get(user=nobody).granted_by == editor
    [granted] = entries("role.granted", nobody)
    assert granted.actor == editor


def test_someone_without_role_permissions_grants_no_role_at_all(agent, nobody):
    with pytest.raises(NotPermitted):
        people.grant_role(user=nobody, role=RoleName.ORGANISER, actor=agent)
    with pytest.raises(NotPermitted):
        people.grant_role(user=agent, role=RoleName.ORGANISER, actor=agent)

    assert not OrgRole.objects.filter(user__in=[agent, nobody]).exists()


def test_a_deactivated_administrator_grants_nothing(admin_user, nobody):
    other_admin = grant(UserFactory(), RoleName.ADMIN)
    deactivate_person(person=other_admin, actor=admin_user)

    with pytest.raises(NotPermitted):
        people.grant_role(user=nobody, role=RoleName.FINANCE, actor=other_admin)


def test_memberships_need_the_membership_permissions(agent, editor, nobody, team):
    with pytest.raises(NotPermitted):
        people.set_membership(user=nobody, team=team, role=TeamRole.MANAGER, actor=agent)
    with pytest.raises(NotPermitted):
        people.remove_membership(user=agent, team=team, actor=agent)
    assert not Membership.objects.filter(user=nobody).exists()

    people.set_membership(user=nobody, team=team, role=TeamRole.MANAGER, actor=editor)
    people.remove_membership(user=agent, team=team, actor=editor)

    assert Membership.objects.get(user=nobody).role == TeamRole.MANAGER
    assert not Membership.objects.filter(user=agent).exists()
    [placed] = entries("membership.changed", nobody)
    assert placed.actor == editor
    assert placed.data == {"team": team.pk, "before": None, "after": "manager"}


def test_only_an_administrator_sets_someone_elses_password(editor, nobody, admin_user):
    with pytest.raises(NotPermitted):
        people.set_password(person=nobody, password="x-new-password-1", actor=editor)
    with pytest.raises(NotPermitted):
        people.set_password(person=admin_user, password="x-new-password-1", actor=editor)
    nobody.refresh_from_db()
    admin_user.refresh_from_db()
    assert nobody.check_password(PASSWORD) and admin_user.check_password(PASSWORD)

    people.set_password(person=nobody, password="x-new-password-1", actor=admin_user)

    nobody.refresh_from_db()
    assert nobody.check_password("x-new-password-1")
    [entry] = entries("person.password_set", nobody)
    assert entry.actor == admin_user and entry.data == {"usable": True}


def test_anyone_may_set_their_own_password(agent):
    people.set_password(person=agent, password="x-new-password-1", actor=agent)

    agent.refresh_from_db()
    assert agent.check_password("x-new-password-1")
    [entry] = entries("person.password_set", agent)
    assert entry.actor == agent


def test_switching_password_sign_in_off_is_audited(admin_user, nobody):
    people.set_password(person=nobody, password=None, actor=admin_user)

    nobody.refresh_from_db()
    assert not nobody.has_usable_password()
    [entry] = entries("person.password_set", nobody)
    assert entry.data == {"usable": False}


def test_only_an_administrator_opens_the_admin_site_to_someone(editor, nobody, admin_user):
    with pytest.raises(NotPermitted):
        people.update_person(person=nobody, is_staff=True, actor=editor)
    nobody.refresh_from_db()
    assert not nobody.is_staff

    people.update_person(person=nobody, is_staff=True, actor=admin_user)

    nobody.refresh_from_db()
    assert nobody.is_staff
    [entry] = entries("person.updated", nobody)
    assert entry.actor == admin_user
    assert entry.data == {"before": {"is_staff": False}, "after": {"is_staff": True}}


@pytest.mark.parametrize("holder", ["admin_user", "finance_user"])
def test_a_people_editor_cannot_change_an_administrators_or_finances_email(request, editor, holder):
    target = request.getfixturevalue(holder)

    with pytest.raises(NotPermitted):
        people.update_person(person=target, email="mine@example.test", actor=editor)

    target.refresh_from_db()
    assert target.email != "mine@example.test"


def test_a_people_editor_cannot_change_another_staff_members_email(editor):
    colleague = staff_with(UserFactory(), "accounts.view_user")

    with pytest.raises(NotPermitted):
        people.update_person(person=colleague, email="mine@example.test", actor=editor)


def test_a_people_editor_changes_an_ordinary_persons_details_audited(editor, nobody):
    people.update_person(person=nobody, email="Nia.New@Example.test", name="Nia New", actor=editor)

    nobody.refresh_from_db()
    assert (nobody.email, nobody.name) == ("nia.new@example.test", "Nia New")
    [entry] = entries("person.updated", nobody)
    assert entry.actor == editor
    assert entry.data["after"] == {"email": "nia.new@example.test", "name": "Nia New"}


def test_an_unchanged_person_writes_no_entry(admin_user, nobody):
    people.update_person(person=nobody, name=nobody.name, email=nobody.email, actor=admin_user)

    assert entries("person.updated", nobody) == []


def test_creating_a_person_is_audited_with_who_did_it(editor, agent):
    created = people.create_person(email="new@example.test", name="New", actor=editor)

    [entry] = entries("person.created", created)
    assert entry.actor == editor and entry.data == {"email": "new@example.test"}
    assert not created.has_usable_password()
    with pytest.raises(NotPermitted):
        people.create_person(email="other@example.test", name="Other", actor=agent)
    assert not User.objects.filter(email="other@example.test").exists()


def test_an_administrator_reactivates_a_person_audited(admin_user, agent):
    deactivate_person(person=agent, actor=admin_user)

    people.reactivate_person(person=agent, actor=admin_user)

    agent.refresh_from_db()
    assert agent.is_active
    [entry] = entries("person.reactivated", agent)
    assert entry.actor == admin_user
    assert [e.action for e in AuditEntry.objects.filter(subject_id=str(agent.pk))][-2:] == [
        "person.deactivated",
        "person.reactivated",
    ]


def test_reactivating_an_active_person_changes_nothing(admin_user, agent):
    people.reactivate_person(person=agent, actor=admin_user)

    assert entries("person.reactivated", agent) == []


def test_only_an_administrator_reactivates(admin_user, editor, agent):
    deactivate_person(person=agent, actor=admin_user)

    with pytest.raises(NotPermitted):
        people.reactivate_person(person=agent, actor=editor)

    agent.refresh_from_db()
    assert not agent.is_active
    assert entries("person.reactivated", agent) == []


# Deactivation through the people services: what HR may do, and that sessions end at once.


def _signed_in_through_the_login_page(client, person):
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(person.pk)


def test_deactivation_ends_the_persons_sessions_at_once(client, agent, hr):
    _signed_in_through_the_login_page(client, agent)
    session_key = client.session.session_key
    assert UserSession.objects.filter(user=agent).exists()

    people.deactivate_person(person=agent, actor=hr)

    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=agent).exists()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="person.deactivated", subject_id=str(agent.pk))
    assert entry.actor == hr and entry.data["sessions_ended"] == 1


def test_deactivation_deletes_the_persons_api_token(api_client, agent, hr):
    token = api_client.post(
        reverse("api:auth-token"), {"email": agent.email, "password": PASSWORD}, format="json"
    ).json()["token"]

    people.deactivate_person(person=agent, actor=hr)

    assert not Token.objects.filter(user=agent).exists()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get(reverse("api:me")).status_code == 401


def test_a_deactivated_person_cannot_log_in(client, agent, hr):
    people.deactivate_person(person=agent, actor=hr)

    client.post(reverse("account_login"), {"login": agent.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_deactivating_someone_already_inactive_changes_nothing(agent, hr):
    people.deactivate_person(person=agent, actor=hr)
    assert people.deactivate_person(person=agent, actor=hr) == 0
    assert AuditEntry.objects.filter(action="person.deactivated").count() == 1


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
def test_hr_neither_deactivates_nor_reactivates_an_administrator_or_finance(
    hr, nobody, admin_user, role
):
    grant(nobody, role)
    with pytest.raises(NotPermitted):
        people.deactivate_person(person=nobody, actor=hr)
    people.deactivate_person(person=nobody, actor=admin_user)
    with pytest.raises(NotPermitted):
        people.reactivate_person(person=nobody, actor=hr)


def test_an_agent_deactivates_nobody(agent, colleague):
    with pytest.raises(NotPermitted):
        people.deactivate_person(person=colleague, actor=agent)


def test_hr_may_grant_organiser_but_not_finance(hr, nobody):
    people.grant_role(user=nobody, role=RoleName.ORGANISER, actor=hr)
    with pytest.raises(NotPermitted):
        people.grant_role(user=nobody, role=RoleName.FINANCE, actor=hr)


def test_taking_the_people_capability_away_closes_the_pages(client, hr, admin_user):
    people.set_people_capability(person=hr, holds=False, actor=admin_user)
    client.force_login(hr)

    assert client.get(reverse("people:people")).status_code == 404
    entry = AuditEntry.objects.filter(action="role.revoked", subject_id=str(hr.pk)).get()
    assert entry.data == {"role": "people"}
