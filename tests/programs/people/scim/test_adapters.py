"""SCIM 2.0 at /scim/v2/, driven with the requests Okta and Entra ID send (their documented
example payloads), with a real provisioning token."""

import json

import pytest
from allauth.usersessions.models import UserSession
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Membership, RoleName, Team, TeamRole, User
from programs.audit.models import AuditEntry
from programs.people.models import ProvisioningToken
from programs.people.provisioning import create_provisioning_token, revoke_provisioning_token
from tests.factories import PASSWORD, UserFactory, grant, place
from tests.support.queries import assert_same_query_count, capture_queries

SCIM = "application/scim+json"
USERS = "/scim/v2/Users"
GROUPS = "/scim/v2/Groups"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

# Okta's "Create User" request (developer.okta.com, SCIM 2.0 reference).
OKTA_NEW_USER = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "test.user@okta.local",
    "name": {"givenName": "Test", "familyName": "User"},
    "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}],
    "displayName": "Test User",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": True,
}


@pytest.fixture
def key(admin_user) -> str:
    return create_provisioning_token(name="Okta", actor=admin_user).key


@pytest.fixture
def scim(client, key):
    """Sends SCIM requests with the bearer token, as an identity provider does."""

    def send(method: str, path: str, body: dict | None = None, *, bearer: str | None = None):
        return getattr(client, method)(
            path,
            data=json.dumps(body) if body is not None else None,
            content_type=SCIM,
            headers={"Authorization": f"Bearer {bearer if bearer is not None else key}"},
        )

    return send


def created(scim, body=OKTA_NEW_USER) -> dict:
    response = scim("post", USERS, body)
    assert response.status_code == 201, response.content
    return response.json()


def test_okta_creates_a_user_who_becomes_a_person_audited_with_the_token(scim):
    body = created(scim)

    person = User.objects.get(email="test.user@okta.local")
    assert body["id"] == str(person.pk) and body["userName"] == person.email
    assert person.name == "Test User" and person.is_active
    # The password a provider sends is not taken: people sign in with SSO, or reset.
    assert not person.has_usable_password()
    entry = AuditEntry.objects.get(action="person.created", subject_id=str(person.pk))
    assert entry.actor is None and entry.data["via"] == "scim" and entry.data["token"] == "Okta"


def test_okta_finds_a_user_by_username_whatever_its_case(scim):
    created(scim)

    found = scim("get", f'{USERS}?filter=userName eq "Test.User@okta.local"&startIndex=1&count=100')
    missing = scim("get", f'{USERS}?filter=userName eq "nobody@okta.local"')

    assert found.json()["totalResults"] == 1
    assert found.json()["Resources"][0]["userName"] == "test.user@okta.local"
    assert missing.json()["totalResults"] == 0


def test_a_filter_on_an_attribute_not_kept_here_is_a_400_not_everyone(scim, agent):
    response = scim("get", f'{USERS}?filter=externalId eq "abc"')
    assert response.status_code == 400


def test_creating_the_same_username_twice_is_a_409(scim):
    created(scim)
    again = scim("post", USERS, OKTA_NEW_USER)
    assert again.status_code == 409


def test_okta_replaces_a_user_with_put(scim):
    person_id = created(scim)["id"]
    body = {**OKTA_NEW_USER, "name": {"givenName": "Tess", "familyName": "Userton"}}

    response = scim("put", f"{USERS}/{person_id}", body)

    assert response.status_code == 200
    assert User.objects.get(pk=person_id).name == "Tess Userton"
    entry = AuditEntry.objects.get(action="person.updated", subject_id=person_id)
    assert entry.data["after"] == {"name": "Tess Userton"} and entry.data["via"] == "scim"


def test_okta_deactivates_with_patch_and_the_person_is_locked_out(scim, client, team):
    person_id = created(scim)["id"]
    person = User.objects.get(pk=person_id)
    person.set_password(PASSWORD)
    person.save()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert UserSession.objects.filter(user=person).exists()

    response = scim(
        "patch",
        f"{USERS}/{person_id}",
        {"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": False}}]},
    )

    assert response.status_code == 200 and response.json()["active"] is False
    person.refresh_from_db()
    assert not person.is_active
    assert not UserSession.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get(action="person.deactivated", subject_id=person_id)
    assert entry.data["via"] == "scim"


def test_entra_deactivates_with_the_string_false_and_reactivates_with_true(scim, agent):
    url = f"{USERS}/{agent.pk}"

    off = scim(
        "patch",
        url,
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        },
    )
    agent.refresh_from_db()
    assert off.status_code == 200 and not agent.is_active

    on = scim(
        "patch",
        url,
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "Replace", "path": "active", "value": "True"}],
        },
    )
    agent.refresh_from_db()
    assert on.status_code == 200 and agent.is_active


def test_entra_updates_the_name_and_work_e_mail(scim, agent):
    response = scim(
        "patch",
        f"{USERS}/{agent.pk}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "Add", "path": "name.givenName", "value": "Aisha"},
                {"op": "Replace", "path": "name.familyName", "value": "Okafor"},
                {
                    "op": "Replace",
                    "path": 'emails[type eq "work"].value',
                    "value": "Aisha.Okafor@example.test",
                },
                {"op": "Add", "path": "title", "value": "Senior agent"},
            ],
        },
    )

    assert response.status_code == 200, response.content
    agent.refresh_from_db()
    assert agent.name == "Aisha Okafor" and agent.email == "aisha.okafor@example.test"


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
def test_a_token_cannot_change_an_administrators_or_finance_e_mail(scim, nobody, role):
    grant(nobody, role)
    response = scim(
        "patch",
        f"{USERS}/{nobody.pk}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": "userName", "value": "x@evil.test"}],
        },
    )
    nobody.refresh_from_db()
    assert response.status_code == 403 and nobody.email != "x@evil.test"


def test_delete_deactivates_rather_than_deletes(scim, agent):
    assert scim("delete", f"{USERS}/{agent.pk}").status_code == 204
    agent.refresh_from_db()
    assert not agent.is_active


@pytest.mark.parametrize("bad", ["abc", "0", "99999999999999999999999", "1%00"])
def test_an_id_that_is_no_person_is_a_scim_404(scim, db, bad):
    assert scim("get", f"{USERS}/{bad}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {**OKTA_NEW_USER, "userName": "not an address", "emails": []},
        {**OKTA_NEW_USER, "active": "maybe"},
        {**OKTA_NEW_USER, "name": {"givenName": "Line\nbreak"}},
    ],
)
def test_bad_user_data_is_a_400(scim, body):
    assert scim("post", USERS, body).status_code == 400


def test_groups_are_teams_and_members_become_agents(scim, manager, agent, team):
    # Entra ID creates the group, then adds and removes members with PATCH.
    response = scim(
        "post",
        GROUPS,
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "Care West",
            "members": [],
        },
    )
    assert response.status_code == 201, response.content
    team_id = response.json()["id"]
    west = Team.objects.get(pk=team_id)
    newcomer = UserFactory(name="Nia New")

    added = scim(
        "patch",
        f"{GROUPS}/{team_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {
                    "op": "Add",
                    "path": "members",
                    "value": [{"$ref": None, "value": str(newcomer.pk)}],
                }
            ],
        },
    )
    assert added.status_code == 200, added.content
    assert Membership.objects.get(user=newcomer, team=west).role == TeamRole.AGENT
    entry = AuditEntry.objects.get(action="membership.changed", subject_id=str(newcomer.pk))
    assert entry.data["via"] == "scim"

    removed = scim(
        "patch",
        f"{GROUPS}/{team_id}",
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {"op": "Remove", "path": "members", "value": [{"value": str(newcomer.pk)}]}
            ],
        },
    )
    assert removed.status_code == 200
    assert not Membership.objects.filter(user=newcomer, team=west).exists()


def test_okta_pushes_a_group_renames_it_and_removes_a_member_by_filter(scim, team, manager, agent):
    url = f"{GROUPS}/{team.pk}"
    newcomer = UserFactory(name="Ola New")

    scim(
        "patch",
        url,
        {
            "schemas": [PATCH_OP],
            "Operations": [
                {
                    "op": "add",
                    "path": "members",
                    "value": [{"value": str(newcomer.pk), "display": "Ola"}],
                },
                {"op": "replace", "value": {"id": str(team.pk), "displayName": "Care North East"}},
            ],
        },
    )
    team.refresh_from_db()
    assert team.name == "Care North East"
    # A manager already in the team keeps their role.
    assert Membership.objects.get(user=manager, team=team).role == TeamRole.MANAGER
    assert Membership.objects.filter(user=newcomer, team=team).exists()

    scim(
        "patch",
        url,
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "remove", "path": f'members[value eq "{agent.pk}"]'}],
        },
    )
    assert not Membership.objects.filter(user=agent, team=team).exists()

    found = scim("get", f'{GROUPS}?filter=displayName eq "care north east"').json()
    assert found["totalResults"] == 1
    members = {m["value"] for m in found["Resources"][0]["members"]}
    assert members == {str(manager.pk), str(newcomer.pk)}


def test_put_on_a_group_sets_exactly_its_members(scim, team, agent, colleague):
    body = {"displayName": team.name, "members": [{"value": str(agent.pk)}]}
    assert scim("put", f"{GROUPS}/{team.pk}", body).status_code == 200
    assert set(Membership.objects.filter(team=team).values_list("user_id", flat=True)) == {agent.pk}


def test_a_member_who_is_no_user_is_a_400(scim, team):
    response = scim(
        "patch",
        f"{GROUPS}/{team.pk}",
        {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": "99999"}]}],
        },
    )
    assert response.status_code == 400


def test_a_team_is_not_deleted_through_scim(scim, team):
    assert scim("delete", f"{GROUPS}/{team.pk}").status_code == 409
    assert Team.objects.filter(pk=team.pk).exists()


@pytest.mark.parametrize("bearer", ["", "wrong-key", "a" * 500])
def test_without_a_valid_token_every_scim_call_is_a_401(scim, bearer):
    response = scim("get", USERS, bearer=bearer)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_a_401(scim, key, admin_user):
    revoke_provisioning_token(token=ProvisioningToken.objects.get(), actor=admin_user)
    assert scim("get", USERS).status_code == 401


def test_a_signed_in_administrator_without_the_token_is_a_401(admin_client):
    assert admin_client.get(USERS).status_code == 401


def test_a_token_notes_when_it_was_last_used(scim):
    scim("get", USERS)
    assert ProvisioningToken.objects.get().last_used_at is not None


def test_the_command_prints_a_key_that_works_once_shown(client, db, capsys):
    call_command("create_scim_token", "Entra ID")
    key = capsys.readouterr().out.strip().splitlines()[-1]

    response = client.get(USERS, headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200
    assert ProvisioningToken.objects.get().name == "Entra ID"
    assert key not in ProvisioningToken.objects.get().key_hash


def test_the_service_provider_config_names_the_bearer_scheme(scim):
    config = scim("get", "/scim/v2/ServiceProviderConfig").json()
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_listing_users_reads_each_persons_teams_with_the_list(scim, team):
    place(UserFactory(), team, TeamRole.AGENT)
    scim("get", USERS)  # the token's first use of the minute is noted
    with capture_queries() as few:
        scim("get", USERS)
    for _ in range(5):
        place(UserFactory(), team, TeamRole.AGENT)
    with capture_queries() as many:
        scim("get", USERS)
    assert_same_query_count(few, many)
