"""Errors raised outside any view (no URL matched, a refused request): people get the portal's
pages, API clients get JSON in the documented shape ({"detail": ...})."""

import pytest
from django.test import Client, override_settings


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/gestures/not-a-number/",
        "/api/v1/appreciation-days/1.5/shifts/",
        "/api/v1/no-such-endpoint/",
    ],
)
def test_an_api_url_that_matches_nothing_answers_json_404(db, path):
    response = Client().get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_still_answers_the_portals_html_404(db, agent):
    client = Client()
    client.force_login(agent)

    response = client.get("/gestures/not-a-number/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "We couldn’t find that page" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_an_api_request_django_refuses_before_any_view_answers_json_400(db):
    fields = {f"field{n}": "x" for n in range(10)}

    response = Client().post("/api/v1/auth/token/", fields)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
