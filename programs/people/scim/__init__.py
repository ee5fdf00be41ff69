"""SCIM 2.0 provisioning at /scim/v2/ (django-scim2), so that Entra ID or Okta keep the portal's
people and teams in step: Users are people (``userName`` is the e-mail address), Groups are
teams (members are placed as agents). Every change goes through the people services, audited
with the provisioning token's name. The modules are apart because django-scim2 loads each
setting (filters, adapters, the auth check) by import path at import time."""
