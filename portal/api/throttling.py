"""Throttles that count real clients: the address comes from portal.clients, never a raw header."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from typing_extensions import override

from portal.clients import client_ip


class ClientScopedRateThrottle(ScopedRateThrottle):
    """Per client address, whoever is (or is not) logged in."""

    def get_rate(self) -> str | None:
        # Read the rates when asked, not once at import, so a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    @override
    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}
