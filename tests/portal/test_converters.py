"""Tokens in URLs (portal/converters.py): anything but the URL-safe alphabet names nothing, so
it is a 404 (the API's in JSON) without a database lookup, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import appreciation_day, created_invitation, registered
from tests.support.queries import assert_query_count, assert_same_query_count, capture_queries

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


# Ids in URLs (<id:pk>): digits from 1 to the largest bigint; anything else names nothing.

MAX_ID = 2**63 - 1
BAD_IDS = ["0", "00", str(MAX_ID + 1), str(2**70), "1" * 40]


@pytest.mark.parametrize("pk", BAD_IDS)
@pytest.mark.parametrize(
    "path", ["/days/{}/", "/days/organise/{}/", "/gestures/{}/", "/approvals/{}/"]
)
def test_an_id_out_of_range_in_a_page_address_is_404_without_a_query(pk, path, organiser):
    client = Client(raise_request_exception=False)
    client.force_login(organiser)
    with capture_queries() as nowhere:
        client.get("/no-such-page/")

    with capture_queries() as queries:
        response = client.get(path.format(pk))

    assert response.status_code == 404
    assert "couldn’t find that page" in response.content.decode()
    # Only what any 404 page costs (the session, the person): the id itself is never looked up.
    assert_same_query_count(nowhere, queries)


@pytest.mark.parametrize("pk", BAD_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/appreciation-days/{}/",
        "/api/v1/gestures/{}/",
        "/api/v1/approvals/{}/",
        "/api/v1/shifts/{}/signup/",
    ],
)
def test_an_id_out_of_range_in_an_api_address_is_a_json_404(pk, path, organiser):
    client = Client(raise_request_exception=False)
    client.force_login(organiser)

    response = client.get(path.format(pk))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_largest_id_is_still_looked_up(organiser):
    client = Client()
    client.force_login(organiser)
    day = appreciation_day(organiser)

    assert client.get(f"/days/organise/{day.pk}/").status_code == 200
    with capture_queries() as queries:
        assert client.get(f"/days/organise/{MAX_ID}/").status_code == 404
    assert [sql for sql in queries.sql if str(MAX_ID) in sql]


def test_the_schema_says_an_id_is_a_whole_number_from_1_to_the_largest_bigint():
    response = Client().get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    [parameter] = response.json()["paths"]["/api/v1/gestures/{id}/"]["get"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID}
