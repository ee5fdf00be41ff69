"""Content-Security-Policy and Permissions-Policy on every kind of response, templates the policy
can hold to, and the API docs behind a login when the setting says so."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import include, path, reverse
from rest_framework.authtoken.models import Token

from tests.factories import appreciation_day, created_invitation


def _fail(request):
    raise RuntimeError("a page that fails, to see the error page's headers")


# This module doubles as a URLconf: the portal's own, plus a page that fails.
urlpatterns = [path("fails/", _fail), path("", include("portal.urls"))]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "midi"]


def _policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: sources for name, _, sources in directives}


def _assert_protected(response) -> None:
    assert _policy(response) == POLICY, response.headers.get("Content-Security-Policy")
    features = response.headers.get("Permissions-Policy", "")
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in features, features


@pytest.fixture
def token(agent) -> str:
    return Token.objects.create(user=agent).key


def test_pages_for_people_with_an_account(client, agent):
    _assert_protected(client.get(reverse("account_login")))
    client.force_login(agent)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    _assert_protected(response)


def test_the_api(api_client, token):
    response = api_client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    _assert_protected(response)
    _assert_protected(api_client.get(reverse("api:me")))  # refused, still with the headers


def test_the_public_invitation_page(client, organiser):
    invitation = created_invitation(appreciation_day(organiser), organiser)
    response = client.get(reverse("days:public-register", args=[invitation.token]))
    assert response.status_code == 200
    _assert_protected(response)


def test_the_admin(client, admin_user):
    client.force_login(admin_user)
    for url in [reverse("admin:index"), reverse("admin:notifications_notification_changelist")]:
        response = client.get(url)
        assert response.status_code == 200
        _assert_protected(response)


@pytest.mark.urls(__name__)
def test_error_pages(client, agent):
    client.force_login(agent)
    not_found = client.get("/no-such-page/")
    forbidden = client.get(reverse("empowerment:budgets"))
    bad_host = client.get(reverse("home"), HTTP_HOST="elsewhere.example")
    failed = Client(raise_request_exception=False).get("/fails/")
    assert [r.status_code for r in (not_found, forbidden, bad_host, failed)] == [404, 403, 400, 500]
    for response in (not_found, forbidden, bad_host, failed):
        _assert_protected(response)


def test_the_api_docs_page_alone_also_allows_swagger_uis_data_images(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert _policy(response) == {**POLICY, "img-src": "'self' data:"}
    assert "<script src=" in response.content.decode()
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


# Templates: nothing inline for the policy to refuse.

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
INLINE = {
    "an inline script": re.compile(r"^<script\b(?![^>]*\bsrc=)", re.IGNORECASE),
    "a <style> element": re.compile(r"^<style\b", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "an hx-on handler": re.compile(r"\s(data-)?hx-on", re.IGNORECASE),
    "htmx evaluating script": re.compile(r"\s(data-)?hx-(vars|vals)\s*=\s*['\"]\s*js:", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def _inline_code(text: str) -> list[str]:
    return [
        f"{name}: {tag[:80]}"
        for tag in TAG.findall(text)
        for name, pattern in INLINE.items()
        if pattern.search(tag)
    ]


def test_the_scan_finds_inline_code():
    """The control: each kind of inline code the scan looks for is found."""
    found = _inline_code(
        '<script>go()</script><style>p{}</style><p style="color:red">'
        '<button onclick="go()"><div hx-on:click="go()"><a href="javascript:go()">'
        "<div hx-vals='js:{a: go()}'>"
    )
    assert len(found) == len(INLINE)
    assert _inline_code('<script src="/static/a.js" defer></script><p class="x">') == []


def test_no_template_has_inline_script_style_or_event_handlers():
    found = {
        str(template.relative_to(TEMPLATES)): problems
        for template in sorted(TEMPLATES.rglob("*.html"))
        if (problems := _inline_code(template.read_text()))
    }
    assert found == {}


def test_htmx_is_told_not_to_add_its_inline_indicator_style(client, agent):
    client.force_login(agent)
    html = client.get(reverse("home")).content.decode()
    assert '"includeIndicatorStyles": false' in html
    stylesheet = (Path(django_settings.BASE_DIR) / "portal/static/portal/portal.css").read_text()
    assert ".htmx-request .htmx-indicator" in stylesheet


# The API's schema and docs.

SCHEMA_JSON = "application/vnd.oai.openapi+json"


def test_with_the_setting_on_the_docs_send_visitors_to_log_in_first(client, settings, agent):
    settings.API_DOCS_REQUIRE_LOGIN = True
    docs = reverse("api-docs")
    response = client.get(docs)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={docs}"
    client.force_login(agent)
    assert client.get(docs).status_code == 200


def test_with_the_setting_on_the_schema_needs_a_login_or_a_token(
    client, api_client, settings, agent, token
):
    settings.API_DOCS_REQUIRE_LOGIN = True
    schema = reverse("api-schema")
    assert client.get(schema, HTTP_ACCEPT=SCHEMA_JSON).status_code == 401
    with_token = api_client.get(
        schema, HTTP_ACCEPT=SCHEMA_JSON, HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert with_token.status_code == 200 and "/api/v1/me/" in with_token.json()["paths"]
    client.force_login(agent)
    assert client.get(schema, HTTP_ACCEPT=SCHEMA_JSON).status_code == 200


def test_with_the_setting_off_the_schema_and_docs_are_open(client, settings):
    settings.API_DOCS_REQUIRE_LOGIN = False
    assert client.get(reverse("api-schema"), HTTP_ACCEPT=SCHEMA_JSON).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200
