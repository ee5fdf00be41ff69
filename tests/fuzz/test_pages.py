"""A sweep of every page with hostile input: forms, query strings and URL tokens.

As each role, every page the URLconf names is opened with real ids; every ``<form>` it shows is
then sent once per field and hostile value (the other fields keep what the page filled in), and
every query string parameter the pages read gets each hostile value. The customer's URL tokens
and the ids in paths get hostile values too. Nothing may answer 5xx: a 4xx, a redirect or a
message beside the field is the right answer.

Each request runs in a savepoint that is rolled back, so every one meets the same seeded
organisation, whatever the one before it changed.
"""

import pytest
from django.test import Client

from tests.fuzz.conftest import ROLES, World, build_world
from tests.fuzz.corpus import HOSTILE, HOSTILE_IDS, IN_A_URL
from tests.fuzz.site_map import (
    HTMX,
    PK_KINDS,
    QUERY_PARAMETERS,
    TOKEN_KINDS,
    Form,
    FormParser,
    routes,
    url_of,
)
from tests.fuzz.sweep import Sweep

pytestmark = pytest.mark.fuzz


def _log_in(client: Client, world: World, role: str | None) -> None:
    if role is not None:
        client.force_login(world.people[role])


def _sweep(world: World, role: str | None) -> Sweep:
    client = Client(raise_request_exception=False)
    _log_in(client, world, role)
    return Sweep(client, role or "nobody")


def _pages(sweep: Sweep, world: World) -> dict[str, str]:
    """Each page's URL and the HTML it showed this identity (empty when it was not a page)."""
    shown = {}
    for route in routes():
        url = url_of(route, world)
        response = sweep.send("get", url, what="as it is")
        is_html = response.get("Content-Type", "").startswith("text/html")
        shown[url] = response.content.decode() if response.status_code == 200 and is_html else ""
    return shown


def _forms_and_parameters(pages: dict[str, str]) -> tuple[list[Form], set[str]]:
    """The distinct forms of the pages, and the query parameters their links carry."""
    unique: dict[tuple, Form] = {}
    names: set[str] = set()
    for url, html in pages.items():
        parser = FormParser(url)
        parser.feed(html)
        names |= parser.query_names
        for form in parser.forms:
            form.fields.pop("csrfmiddlewaretoken", None)
            if form.fields:
                unique.setdefault(form.key, form)
    return list(unique.values()), names


@pytest.fixture
def world(db, unthrottled) -> World:
    return build_world()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "nobody")
def test_every_form_and_query_string_refuses_hostile_input_without_a_server_error(world, role):
    sweep = _sweep(world, role)
    pages = _pages(sweep, world)
    forms, linked_parameters = _forms_and_parameters(pages)
    assert forms or role is None, f"no forms found for {role}: the sweep would prove nothing"

    for form in forms:
        # A form may end the session (a password change, say): each starts logged in.
        _log_in(sweep.client, world, role)
        for name in form.fields:
            for label, value in HOSTILE.items():
                if form.method == "get":
                    value = value[:IN_A_URL]
                data = {**form.fields, name: [value]}
                what = f"{name}={label}"
                sweep.send(form.method, form.action, data, what=what)
                if form.htmx:
                    sweep.send(form.method, form.action, data, what=f"{what} (htmx)", **HTMX)

    for url, html in pages.items():
        if not html:
            continue
        for label, value in HOSTILE.items():
            every = dict.fromkeys({*QUERY_PARAMETERS, *linked_parameters}, value[:IN_A_URL])
            sweep.send("get", url, every, what=f"every parameter={label}")

    assert not sweep.failures, sweep.report()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "nobody")
def test_every_url_token_and_id_refuses_hostile_values_without_a_server_error(world, role):
    sweep = _sweep(world, role)
    for route in routes():
        if "token" in route.arguments:
            values = {**HOSTILE, "unknown token": "x" * 43}
        elif "pk" in route.arguments:
            values = HOSTILE_IDS
        else:
            continue
        for label, value in values.items():
            if value:
                url = url_of(route, world, value=value[:IN_A_URL])
                sweep.send("get", url, what=label)
                sweep.send("post", url, {}, what=label)

    assert not sweep.failures, sweep.report()


def test_the_sweep_knows_what_every_page_id_and_token_names():
    unknown = [
        route.name
        for route in routes()
        if ("pk" in route.arguments and route.name not in PK_KINDS)
        or ("token" in route.arguments and route.name not in TOKEN_KINDS)
    ]

    assert not unknown, f"add these pages to PK_KINDS or TOKEN_KINDS: {unknown}"
