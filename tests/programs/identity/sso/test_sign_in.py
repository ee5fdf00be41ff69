"""Sign-in through a real OpenID Connect provider (devtools/oidc_provider) on loopback, end to
end: the portal's button, discovery, the authorisation request with PKCE and a nonce, the
provider's login and consent pages, the code exchanged for tokens by the portal, the ID token's
signature and nonce checked, and the person created, linked or refused. No part is mocked."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.internal import statekit
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.backends.db import SessionStore
from django.urls import resolve

from accounts.models import Membership, OrgRole, RoleName, TeamRole, User
from programs.audit.models import AuditEntry
from programs.identity.sso import views
from tests.factories import TeamFactory, UserFactory, grant
from tests.support.oidc import (
    PASSWORD,
    PROVIDER_ID,
    forms_on,
    running_provider,
    sign_in,
    start_sign_in,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)

GROUP_MAP = {
    "cs-finance": {"roles": ["finance"]},
    "cs-team-north": {"teams": {"Care North": "agent"}},
}


@pytest.fixture(scope="session")
def test_provider(tmp_path_factory):
    yield from running_provider(tmp_path_factory)


@pytest.fixture
def portal(live_server, test_provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS = test_provider.provider_settings()
    settings.SSO_ALLOWED_DOMAINS = ["portal.test"]
    settings.SSO_GROUPS_CLAIM = "groups"
    settings.SSO_GROUP_MAP = GROUP_MAP
    TeamFactory(name="Care North")
    return live_server.url


def audit_actions(person: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(subject_type="user", subject_id=str(person.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_the_authorisation_request_carries_pkce_and_a_nonce(portal):
    _, page = start_sign_in(portal)
    to_provider = urlsplit(page.history[0].headers["Location"])
    query = parse_qs(to_provider.query)
    assert to_provider.path == "/o/authorize/"
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["nonce"][0]) >= 32
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}


def test_first_sign_in_creates_the_person_and_places_them_by_their_groups(portal):
    session, answer = sign_in(portal, "new.agent@portal.test")

    assert answer.status_code == 200
    assert answer.url == f"{portal}/"
    assert "Hello, Nia" in answer.text
    person = User.objects.get(email="new.agent@portal.test")
    assert person.name == "Nia Newcomer"
    assert not person.has_usable_password()
    assert SocialAccount.objects.get(user=person).provider == PROVIDER_ID
    assert Membership.objects.get(user=person).role == TeamRole.AGENT
    assert audit_actions(person) == ["person.created", "membership.changed"]
    # The session is the portal's: the next page is served to the signed-in person.
    assert "Hello, Nia" in session.get(f"{portal}/", timeout=30).text


def test_the_callback_is_the_portals_own_which_checks_the_id_token(portal):
    assert resolve(f"/accounts/oidc/{PROVIDER_ID}/login/callback/").func is views.callback


def test_a_replayed_callback_signs_nobody_in(portal):
    _, answer = sign_in(portal, "new.agent@portal.test")
    (callback,) = [step.url for step in answer.history if "/login/callback/?" in step.url]

    stranger = requests.Session()
    replay = stranger.get(callback, timeout=30)

    assert replay.status_code == 401
    assert "Sign-in failed" in replay.text
    assert "/accounts/login/" in stranger.get(f"{portal}/", timeout=30).url


def test_an_id_token_for_another_sign_ins_nonce_is_refused(portal, caplog):
    # The provider echoes the nonce it was sent; the portal compares it with the one it keeps
    # in the session. Change the kept one half-way, as if the token answered another sign-in.
    session, page = start_sign_in(portal)
    kept = SessionStore(session.cookies["sessionid"])
    states = kept[statekit.STATES_SESSION_KEY]
    for state, *_ in states.values():
        state["nonce"] = "the-nonce-of-some-other-sign-in"
    kept[statekit.STATES_SESSION_KEY] = states
    kept.save()
    (login_form,) = forms_on(page.text)
    consent = submit(session, page, login_form, username="new.agent@portal.test", password=PASSWORD)
    (consent_form,) = forms_on(consent.text)

    answer = submit(session, consent, consent_form, allow="Authorize")

    assert answer.status_code == 401
    assert "Sign-in failed" in answer.text
    assert "nonce is not the one this sign-in sent" in caplog.text
    assert not User.objects.filter(email="new.agent@portal.test").exists()


def test_an_address_outside_the_allowed_domains_is_refused_with_a_clear_page(portal):
    _, answer = sign_in(portal, "outsider@elsewhere.test")

    assert answer.status_code == 403
    assert "does not create accounts for addresses at elsewhere.test" in answer.text
    assert not User.objects.filter(email__iexact="outsider@elsewhere.test").exists()
    assert not SocialAccount.objects.exists()


def test_an_address_the_provider_does_not_vouch_for_is_refused(portal):
    UserFactory(email="unverified@portal.test")

    _, answer = sign_in(portal, "unverified@portal.test")

    assert answer.status_code == 403
    assert "has not confirmed that unverified@portal.test is your address" in answer.text
    assert not SocialAccount.objects.exists()


def test_an_existing_person_with_the_same_address_is_linked_not_duplicated(portal):
    existing = UserFactory(email="existing.person@portal.test", name="Eve Existing")
    people_before = User.objects.count()

    _, answer = sign_in(portal, "Existing.Person@Portal.test")

    assert answer.status_code == 200
    assert "Hello, Eve" in answer.text
    assert User.objects.count() == people_before
    assert SocialAccount.objects.get().user == existing
    # Linked again at the next sign-in by the provider's account, not by a new search.
    _, again = sign_in(portal, "Existing.Person@Portal.test")
    assert "Hello, Eve" in again.text
    assert SocialAccount.objects.count() == 1


def test_a_deactivated_person_is_refused(portal):
    person = UserFactory(email="switched.off@portal.test")
    User.objects.filter(pk=person.pk).update(is_active=False)

    _, answer = sign_in(portal, "switched.off@portal.test")

    assert answer.status_code == 403
    assert "Your portal account is switched off" in answer.text
    assert not SocialAccount.objects.exists()


def test_groups_give_roles_and_teams_audited_once_and_not_again_when_unchanged(portal):
    _, answer = sign_in(portal, "grouped@portal.test")
    assert answer.status_code == 200
    person = User.objects.get(email="grouped@portal.test")
    assert set(OrgRole.objects.filter(user=person).values_list("role", flat=True)) == {"finance"}
    assert Membership.objects.get(user=person).team.name == "Care North"
    first = audit_actions(person)
    assert sorted(first) == ["membership.changed", "person.created", "role.granted"]
    assert AuditEntry.objects.get(action="role.granted", subject_id=str(person.pk)).actor is None

    _, again = sign_in(portal, "grouped@portal.test")

    assert again.status_code == 200
    assert audit_actions(person) == first


def test_leaving_a_mapped_group_takes_its_role_away_and_leaves_the_rest(portal):
    leaver = UserFactory(email="leaver@portal.test")
    # Not enrolled in two-factor authentication, so the sign-in ends without a code step; once
    # finance is gone nothing asks for one.
    grant(leaver, RoleName.FINANCE, two_factor=False)
    grant(leaver, RoleName.ORGANISER)

    _, answer = sign_in(portal, "leaver@portal.test")

    assert answer.status_code == 200
    # Finance is in the map and the provider no longer puts them in cs-finance; organiser is
    # not in the map, so the sign-in never touches it.
    assert set(OrgRole.objects.filter(user=leaver).values_list("role", flat=True)) == {"organiser"}
    assert "role.revoked" in audit_actions(leaver)
    assert Membership.objects.get(user=leaver).team.name == "Care North"


def test_a_sign_in_through_the_provider_is_a_recorded_sign_in_event(portal):
    from programs.identity.signins.models import EventKind, Method, SignInEvent

    sign_in(portal, "new.agent@portal.test")

    person = User.objects.get(email="new.agent@portal.test")
    [event] = SignInEvent.objects.of(person)
    assert (event.kind, event.method, event.detail) == (
        EventKind.SIGNED_IN,
        Method.SSO,
        PROVIDER_ID,
    )
