"""Who is calling: the one place that decides a request's client address.

By default the portal sits behind no proxy and the address is the socket's. Only when the
deployment says how many proxies stand in front (``TRUSTED_PROXY_COUNT``) is the matching
entry of X-Forwarded-For believed, counted from the right, where our own proxies append it.
A client can prepend whatever it likes to that header; it cannot change what our proxies add.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    address = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return _normalise(address)


def _normalise(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        return "unknown"
