"""The API tokens and recent sign-ins pages, reached from the account menu."""

from django.urls import reverse

from programs.identity.api_tokens import services as tokens
from programs.identity.api_tokens.models import KEY_PREFIX, PersonalToken
from programs.identity.signins.models import EventKind, Method
from programs.identity.signins.services import record_sign_in_event
from tests.factories import UserFactory
from tests.support.queries import assert_same_query_count, page_queries

TOKENS = reverse("identity:api-tokens")
SIGN_INS = reverse("identity:sign-ins")


def test_the_account_menu_leads_to_security_whose_pages_link_each_other(client, agent):
    client.force_login(agent)
    header = client.get(reverse("home")).content.decode().split("account-menu", 1)[1]
    assert f'href="{SIGN_INS}">Security</a>' in header
    for url in (SIGN_INS, TOKENS):
        html = client.get(url).content.decode()
        assert f'href="{TOKENS}"' in html and f'href="{SIGN_INS}"' in html
        assert f'href="{reverse("usersessions_list")}"' in html


def test_both_pages_need_a_login(client, db):
    for url in (TOKENS, SIGN_INS):
        assert client.get(url)["Location"].startswith(reverse("account_login"))


def test_a_new_token_is_shown_once_and_never_again(client, agent):
    client.force_login(agent)

    response = client.post(TOKENS, {"name": "Helpdesk script"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [shown] = [
        part.split('"')[0] for part in html.split('value="')[1:] if part.startswith(KEY_PREFIX)
    ]
    assert tokens.token_for_key(shown).person == agent
    assert "shown only this once" in html
    again = client.get(TOKENS).content.decode()
    assert shown not in again and "Helpdesk script" in again


def test_a_refused_name_is_shown_beside_the_field(client, agent):
    client.force_login(agent)
    client.post(TOKENS, {"name": "Laptop"})

    response = client.post(TOKENS, {"name": "Laptop"})

    assert response.status_code == 400
    assert "already have an active token with this name" in response.content.decode()


def test_the_limit_is_a_clear_error_on_the_page(client, agent, settings):
    settings.PERSONAL_TOKEN_LIMIT = 1
    client.force_login(agent)
    client.post(TOKENS, {"name": "One"})

    response = client.post(TOKENS, {"name": "Two"})

    assert response.status_code == 400
    assert "already have 1 active API tokens" in response.content.decode()


def test_revoking_from_the_page(client, agent):
    issued = tokens.create_personal_token(person=agent, name="Old script")
    client.force_login(agent)

    response = client.post(reverse("identity:api-token-revoke", args=[issued.token.pk]))

    assert response["Location"] == TOKENS
    assert PersonalToken.objects.get().revoked_at is not None
    assert "Old script" not in client.get(TOKENS).content.decode().split("Your active tokens")[1]


def test_someone_elses_token_cannot_be_revoked_and_looks_like_none(client, agent, manager):
    theirs = tokens.create_personal_token(person=manager, name="Theirs")
    client.force_login(agent)

    response = client.post(reverse("identity:api-token-revoke", args=[theirs.token.pk]))

    assert response.status_code == 404
    assert PersonalToken.objects.get().revoked_at is None


def test_the_tokens_page_query_count_does_not_grow_with_tokens(client, agent):
    client.force_login(agent)
    tokens.create_personal_token(person=agent, name="First")
    few = page_queries(client, TOKENS)
    for n in range(10):
        tokens.create_personal_token(person=agent, name=f"Script {n}")
    assert_same_query_count(few, page_queries(client, TOKENS))


def event(person, **kwargs):
    return record_sign_in_event(
        kind=kwargs.pop("kind", EventKind.SIGNED_IN),
        method=kwargs.pop("method", Method.PASSWORD),
        request=None,
        person=person,
        **kwargs,
    )


def test_recent_sign_ins_shows_only_the_persons_own_events_newest_first(client, agent):
    other = UserFactory()
    event(agent, detail="first")
    event(agent, kind=EventKind.SIGN_IN_FAILED, detail="second")
    event(other, detail="someone else's")
    client.force_login(agent)

    response = client.get(SIGN_INS)

    assert [e.detail for e in response.context["page"]] == ["second", "first"]
    assert "someone else" not in response.content.decode()
    assert "Log out everywhere" in response.content.decode()


def test_recent_sign_ins_is_paginated_with_a_constant_query_count(client, agent):
    client.force_login(agent)
    event(agent)
    few = page_queries(client, SIGN_INS)
    for _ in range(30):
        event(agent)
    many = page_queries(client, SIGN_INS)
    assert_same_query_count(few, many)
    assert len(client.get(SIGN_INS).context["page"]) == 25
    assert client.get(SIGN_INS, {"page": 2}).status_code == 200
