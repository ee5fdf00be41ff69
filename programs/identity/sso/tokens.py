"""Checking an ID token: the one place that decides whether the provider really said it."""

import hmac

import jwt
from allauth.socialaccount.providers.oauth2.client import OAuth2Error

# Asymmetric signatures only: "none" proves nothing, and an HMAC would be keyed with the
# client secret, which the portal holds too.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
# Clocks differ a little between the portal and the provider.
LEEWAY_SECONDS = 60


def fetch_jwks(session, url: str) -> dict:
    """The provider's published signing keys (asked for during a sign-in only)."""
    response = session.get(url)
    response.raise_for_status()
    keys = response.json()
    if not isinstance(keys, dict):
        raise OAuth2Error("The provider's key set is not a JSON object.")
    return keys


def verified_claims(
    id_token: str, *, jwks: dict, issuer: str, audience: str, nonce: str | None
) -> dict:
    """The token's claims, or ``OAuth2Error`` unless: it is signed with an asymmetric algorithm
    by a key in ``jwks`` (by its ``kid``), issued by ``issuer`` for ``audience``, not expired,
    and carries ``nonce`` (the one this sign-in sent; a sign-in without one is refused)."""
    try:
        header = jwt.get_unverified_header(id_token)
        algorithm = header.get("alg")
        if algorithm not in SIGNING_ALGORITHMS:
            raise OAuth2Error(f"ID token signed with {algorithm!r}, not an accepted algorithm.")
        key = _signing_key(jwks, header.get("kid"))
        claims = jwt.decode(
            id_token,
            key=key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise OAuth2Error(f"Invalid ID token: {error}") from error
    received = claims.get("nonce")
    if not nonce or not isinstance(received, str):
        raise OAuth2Error("The ID token carries no nonce, or the sign-in sent none.")
    if not hmac.compare_digest(nonce.encode(), received.encode()):
        raise OAuth2Error("The ID token's nonce is not the one this sign-in sent.")
    return claims


def _signing_key(jwks: dict, kid: str | None):
    keys = jwt.PyJWKSet.from_dict(jwks).keys
    matching = [key for key in keys if key.key_id == kid] if kid else keys
    if len(matching) != 1:
        raise OAuth2Error("No single key in the provider's key set matches the ID token.")
    return matching[0].key
