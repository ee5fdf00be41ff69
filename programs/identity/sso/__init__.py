"""Single sign-on with the company's OpenID Connect provider(s), on top of allauth.

- ``provider``: the openid_connect provider, made stricter: a nonce in every authorisation
  request, and the ID token's signature, issuer, audience, expiry and nonce always checked.
- ``admission``: who a sign-in admits — links, creates or refuses (the rules in one place).
- ``groups``: the group claim applied to roles and teams through the people services.
- ``adapter``: allauth's hooks, wired to the above.
- ``views``/``urls``: the callback that uses the stricter checks, and password reset switched
  off with password sign-in.
"""
