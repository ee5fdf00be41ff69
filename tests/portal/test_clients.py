import pytest
from django.test import RequestFactory

from portal.clients import client_ip


@pytest.fixture
def request_from():
    def build(remote: str, forwarded: str | None = None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    return build


def test_without_proxies_the_socket_address_is_the_client(settings, request_from):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


def test_with_one_proxy_the_address_it_appended_is_the_client(settings, request_from):
    settings.TRUSTED_PROXY_COUNT = 1
    forged_then_real = "198.51.100.1, 203.0.113.9"
    assert client_ip(request_from("10.0.0.1", forged_then_real)) == "203.0.113.9"


def test_with_two_proxies_the_second_from_the_right_is_the_client(settings, request_from):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_a_short_header_falls_back_to_the_socket(settings, request_from):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.1", "203.0.113.9")) == "10.0.0.1"


def test_garbage_is_not_an_address(settings, request_from):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("10.0.0.1", "not-an-ip")) == "unknown"
