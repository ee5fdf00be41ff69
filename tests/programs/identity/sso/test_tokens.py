"""The ID token checks, with tokens signed here by keys made here: only a token the provider's
published key signed, for the portal, from the provider, unexpired, with this sign-in's nonce,
is believed."""

import json
import time

import jwt
import pytest
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from cryptography.hazmat.primitives.asymmetric import rsa

from programs.identity.sso.tokens import verified_claims

ISSUER = "https://login.example.test/tenant"
AUDIENCE = "portal-client"
NONCE = "n-0S6_WzA2Mj-a-fresh-nonce-of-this-sign-in"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


PROVIDER_KEY = _key()
OTHER_KEY = _key()


def jwks_of(private_key, kid="k1") -> dict:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key()))
    return {"keys": [{**jwk, "kid": kid, "use": "sig", "alg": "RS256"}]}


def token(*, key=PROVIDER_KEY, algorithm="RS256", kid="k1", **changes) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "248289761001",
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        "email": "ann@portal.test",
    }
    claims.update(changes)
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid})


def check(id_token: str, *, nonce: str | None = NONCE, jwks: dict | None = None) -> dict:
    return verified_claims(
        id_token,
        jwks=jwks or jwks_of(PROVIDER_KEY),
        issuer=ISSUER,
        audience=AUDIENCE,
        nonce=nonce,
    )


def test_a_token_signed_by_the_providers_key_with_this_nonce_is_believed():
    assert check(token())["email"] == "ann@portal.test"


@pytest.mark.parametrize(
    ("id_token", "reason"),
    [
        (token(key=OTHER_KEY), "signed by a key the provider did not publish"),
        (token(kid="k2"), "a key id the provider did not publish"),
        (token(nonce="another-sign-in"), "another sign-in's nonce"),
        (token(nonce=None), "no nonce"),
        (token(iss="https://evil.example.test"), "another issuer"),
        (token(aud="another-client"), "another client"),
        (token(exp=int(time.time()) - 3600), "expired"),
        (token(sub=None), "no subject"),
        (jwt.encode({"iss": ISSUER, "aud": AUDIENCE}, "x" * 32, algorithm="HS256"), "HMAC"),
        (jwt.encode({"iss": ISSUER, "aud": AUDIENCE}, None, algorithm="none"), "unsigned"),
        ("not-a-token", "not a JWT"),
    ],
)
def test_any_other_token_is_refused(id_token, reason):
    with pytest.raises(OAuth2Error):
        check(id_token)


def test_a_sign_in_that_sent_no_nonce_believes_no_token():
    with pytest.raises(OAuth2Error):
        check(token(), nonce=None)


def test_a_key_set_that_is_not_one_is_refused():
    with pytest.raises(OAuth2Error):
        check(token(), jwks={"keys": "nothing"})
