"""/people/provisioning/: administrators create and revoke the tokens an identity provider uses
for SCIM, in the portal; the key is shown once and works at /scim/v2/ until revoked."""

import re

import pytest
from django.urls import reverse

from programs.audit.models import AuditEntry
from programs.audit.trail import AuditAction
from programs.people.models import ProvisioningToken
from programs.people.provisioning import create_provisioning_token
from tests.support.queries import assert_same_query_count, page_queries

pytestmark = pytest.mark.django_db

PAGE = reverse("people:provisioning")
SCIM_USERS = "/scim/v2/Users"


def shown_key(response) -> str:
    return re.search(
        r'id="issued-key" type="text" readonly value="([^"]+)"', response.content.decode()
    ).group(1)


def scim_status(client, key: str) -> int:
    return client.get(SCIM_USERS, HTTP_AUTHORIZATION=f"Bearer {key}").status_code


@pytest.mark.parametrize("who", ["hr", "agent", "manager", "finance_user", "organiser"])
def test_only_administrators_find_the_provisioning_page(request, client, who):
    token = create_provisioning_token(name="Entra ID", actor=None).token
    client.force_login(request.getfixturevalue(who))

    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"name": "Mine"}).status_code == 404
    revoke = reverse("people:revoke-provisioning-token", args=[token.pk])
    assert client.post(revoke).status_code == 404
    assert ProvisioningToken.objects.live().count() == 1


def test_the_people_list_links_to_it_for_administrators_only(admin_client, client, hr):
    assert f'href="{PAGE}"' in admin_client.get(reverse("people:people")).content.decode()
    client.force_login(hr)
    assert f'href="{PAGE}"' not in client.get(reverse("people:people")).content.decode()


def test_a_created_key_is_shown_once_works_for_scim_and_is_audited(admin_client, admin_user):
    response = admin_client.post(PAGE, {"name": "Okta"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = shown_key(response)
    token = ProvisioningToken.objects.get()
    assert token.name == "Okta" and token.created_by == admin_user
    assert key not in {token.key_hash, token.prefix} and key.startswith(token.prefix)
    assert scim_status(admin_client, key) == 200
    # Read again, the page names the token but never shows its key.
    again = admin_client.get(PAGE).content.decode()
    assert "Okta" in again and key not in again and "issued-key" not in again
    entry = AuditEntry.objects.get(action=AuditAction.PROVISIONING_TOKEN_CREATED)
    assert entry.actor == admin_user
    assert entry.data == {"name": "Okta", "prefix": token.prefix}


def test_a_revoked_token_stops_working_at_once_and_the_revocation_is_audited(
    admin_client, admin_user
):
    issued = create_provisioning_token(name="Entra ID", actor=admin_user)
    assert scim_status(admin_client, issued.key) == 200

    response = admin_client.post(
        reverse("people:revoke-provisioning-token", args=[issued.token.pk]), follow=True
    )

    assert "no longer works" in response.content.decode()
    assert scim_status(admin_client, issued.key) == 401
    assert AuditEntry.objects.filter(action=AuditAction.PROVISIONING_TOKEN_REVOKED).count() == 1
    # Revoking again changes nothing and records nothing more.
    admin_client.post(reverse("people:revoke-provisioning-token", args=[issued.token.pk]))
    assert AuditEntry.objects.filter(action=AuditAction.PROVISIONING_TOKEN_REVOKED).count() == 1


def test_a_token_needs_a_name_shown_beside_the_field(admin_client):
    response = admin_client.post(PAGE, {"name": "  "})

    assert response.status_code == 400
    assert ProvisioningToken.objects.count() == 0
    assert 'id="id_name"' in response.content.decode()
    assert "This field is required." in response.content.decode()


def test_a_name_with_a_nul_byte_is_refused_beside_the_field(admin_client):
    response = admin_client.post(PAGE, {"name": "Entra\x00ID"})

    assert response.status_code == 400
    assert ProvisioningToken.objects.count() == 0


def test_the_list_runs_the_same_queries_for_more_tokens(admin_client, admin_user):
    create_provisioning_token(name="First", actor=admin_user)
    few = page_queries(admin_client, PAGE)
    for n in range(8):
        issued = create_provisioning_token(name=f"Provider {n}", actor=admin_user)
        if n % 2:
            issued.token.revoked_at = issued.token.created_at
            issued.token.save()
    many = page_queries(admin_client, PAGE)

    assert_same_query_count(few, many)
