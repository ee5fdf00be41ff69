"""Tokens in URLs (portal/converters.py): anything but the URL-safe alphabet names nothing, so
it is a 404 (the API's in JSON) without a database lookup, never a 500."""

import pytest
from django.test import Client

from tests.factories import appreciation_day, created_invitation, registered
from tests.support.queries import assert_query_count

pytestmark = pytest.mark.django_db

BAD_TOKENS = ["%00", "abc%00def", "%E2%80%AEabc", "%E2%80%8Babc", "a%20b", "%0A", "x" * 65]
PAGES = ["/invite/{}/", "/r/{}/", "/r/{}/day.ics", "/r/{}/check-in-code.svg"]
API = ["/api/v1/public/registrations/{}/"]


@pytest.mark.parametrize("token", BAD_TOKENS)
@pytest.mark.parametrize("path", PAGES)
def test_a_malformed_token_in_a_page_address_is_404(token, path):
    client = Client(raise_request_exception=False)

    with assert_query_count(0):
        response = client.get(path.format(token))

    assert response.status_code == 404
    assert "couldn’t find that page" in response.content.decode()


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_a_malformed_token_in_an_api_address_is_a_json_404(token):
    client = Client(raise_request_exception=False)

    for path in (*API, "/api/v1/public/registrations/{}/cancel/"):
        response = (
            client.post(path.format(token)) if "cancel" in path else client.get(path.format(token))
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_real_tokens_still_open_their_pages(organiser):
    link = created_invitation(appreciation_day(organiser), organiser)
    registration = registered(link)
    client = Client()

    assert client.get(f"/invite/{link.token}/").status_code == 200
    assert client.get(f"/r/{registration.manage_token}/").status_code == 200
    assert (
        client.get(f"/api/v1/public/registrations/{registration.manage_token}/").status_code == 200
    )
