"""A genuine OpenID Connect provider for the sign-in tests and ``scripts/dev-sso``.

A second, very small Django site built on django-oauth-toolkit's OIDC support: authorisation
code flow with PKCE required, ID tokens signed with an RS256 key generated at start, a login
page and a consent page, and people whose ``name``, ``email``, ``email_verified`` and
``groups`` claims are whatever the test says. Start it with ``python -m devtools.oidc_provider``
(see ``__main__.py``); it keeps everything in a directory it is given, and runs on loopback only.
"""
