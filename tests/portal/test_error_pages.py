"""With DEBUG on (the development profile) people still get the portal's own error pages, and
API clients JSON; Django's technical pages only when DEBUG_ERROR_PAGES asks for them."""

import pytest
from django.test import Client
from django.urls import reverse

# What only Django's technical 404 and 500 pages say.
TECHNICAL = ("Using the URLconf", "URL patterns", "Traceback", "DEBUG = True")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = False
    settings.ROOT_URLCONF = "tests.support.error_urls"
    return settings


def _is_portal_page(response, words: str) -> bool:
    html = response.content.decode()
    return (
        response["Content-Type"].startswith("text/html")
        and words in html
        and not any(sign in html for sign in TECHNICAL)
    )


def test_an_unknown_url_shows_the_portals_404_with_debug_on(debug, client, agent):
    client.force_login(agent)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert _is_portal_page(response, "We couldn’t find that page")


def test_a_404_raised_by_a_view_shows_the_portals_page_with_debug_on(
    debug, client, team, other_manager
):
    client.force_login(other_manager)  # someone else's team is a 404

    response = client.get(reverse("empowerment:team-detail", args=[team.pk]))

    assert response.status_code == 404
    assert _is_portal_page(response, "We couldn’t find that page")


def test_a_bug_shows_the_portals_500_with_debug_on(debug, db):
    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert _is_portal_page(response, "Something went wrong")


def test_a_suspicious_request_shows_the_portals_400_with_debug_on(debug, db):
    response = Client().get("/suspicious/")

    assert response.status_code == 400
    assert not any(sign in response.content.decode() for sign in TECHNICAL)


def test_the_api_still_answers_json_with_debug_on(debug, db):
    unknown = Client().get("/api/v1/no-such-endpoint/")
    broken = Client(raise_request_exception=False).get("/api/v1/broken/")

    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not found."})
    assert (broken.status_code, broken.json()) == (500, {"detail": "Server error."})


def test_a_missing_slash_still_redirects_with_debug_on(debug, client, agent):
    client.force_login(agent)

    response = client.get("/gestures")

    assert response.status_code == 301
    assert response["Location"] == "/gestures/"


def test_djangos_technical_404_only_when_asked_for(debug, client, agent):
    debug.DEBUG_ERROR_PAGES = True
    client.force_login(agent)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()
