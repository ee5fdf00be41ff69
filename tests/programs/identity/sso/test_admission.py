"""Who a sign-in admits, decided from the claims alone (the sign-in tests go through a real
provider for the same rules)."""

import pytest

from programs.identity.sso.admission import Refused, decide, display_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def allowed(settings):
    settings.SSO_ALLOWED_DOMAINS = ["portal.test"]


def _decide(**claims):
    return decide(claims={"email_verified": True, **claims}, verified_claim="email_verified")


@pytest.mark.parametrize(
    ("claims", "refused"),
    [
        ({"email": None}, Refused.NO_EMAIL),
        ({"email": "not an address"}, Refused.NO_EMAIL),
        ({"email": "a" * 250 + "@portal.test"}, Refused.NO_EMAIL),
        ({"email": "ann@portal.test", "email_verified": False}, Refused.UNVERIFIED),
        ({"email": "ann@portal.test", "email_verified": "false"}, Refused.UNVERIFIED),
        ({"email": "ann@sub.portal.test"}, Refused.DOMAIN),
        ({"email": "ann@portal.test.evil.test"}, Refused.DOMAIN),
    ],
)
def test_refusals(claims, refused):
    assert _decide(**claims).refused == refused


def test_a_new_address_at_an_allowed_domain_is_created():
    decision = _decide(email="Ann@Portal.TEST", email_verified="true")

    assert decision.refused is None
    assert decision.person is None
    assert decision.email == "ann@portal.test"


def test_an_existing_person_is_linked_whatever_the_domain_list_says(settings):
    settings.SSO_ALLOWED_DOMAINS = []
    person = UserFactory(email="eve@contractor.test")

    assert _decide(email="EVE@contractor.test").person == person


def test_the_claim_that_vouches_can_be_another():
    decision = decide(
        claims={"email": "ann@portal.test", "xms_edov": True}, verified_claim="xms_edov"
    )
    assert decision.refused is None


@pytest.mark.parametrize(
    ("claims", "name"),
    [
        ({"name": "  Ann\u0000 \nLee\t"}, "Ann Lee"),
        ({"given_name": "Ann", "family_name": "Lee"}, "Ann Lee"),
        ({"preferred_username": "ann.lee"}, "ann.lee"),
        ({"name": "x" * 400}, "x" * 150),
        ({}, "ann"),
    ],
)
def test_the_display_name_is_one_line_and_fits(claims, name):
    assert display_name(claims, "ann@portal.test") == name
