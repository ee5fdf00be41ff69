from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from portal.clients import client_ip


class PortalAccountAdapter(DefaultAccountAdapter):
    """An intranet: people are created by an admin, never by signing themselves up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)
