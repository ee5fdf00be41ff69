"""A sweep of every page with hostile input: forms, query strings and URL tokens.

As each role, every page the URLconf names is opened with real ids; every ``<form>` it shows is
then sent once per field and hostile value (the other fields keep what the page filled in), and
every query string parameter the pages read gets each hostile value. The customer's URL tokens
and the ids in paths get hostile values too. Nothing may answer 5xx: a 4xx, a redirect or a
message beside the field is the right answer.

Each request runs in a savepoint that is rolled back, so every one meets the same seeded
organisation, whatever the one before it changed.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.fuzz.conftest import ROLES, World, build_world
from tests.fuzz.corpus import HOSTILE, HOSTILE_IDS, IN_A_URL
from tests.fuzz.sweep import Sweep

pytestmark = pytest.mark.fuzz

# The API has its own fuzzer (test_api.py); the admin is Django's own, tested in tests/accounts.
NOT_PAGES = ("api/", "admin/")
NOT_HTML = ("healthz",)

# The kind of object each page's <pk> names.
PK_KINDS = {
    "programs:gesture-detail": "gesture",
    "programs:gesture-withdraw": "gesture",
    "programs:gesture-outcome": "gesture",
    "programs:team-detail": "team",
    "programs:team-allowance": "team",
    "programs:team-topup": "team",
    "programs:delegation-cancel": "delegation",
    "programs:approval-detail": "approval",
    "programs:approval-approve": "approval",
    "programs:approval-decline": "approval",
    "programs:review-detail": "review",
    "programs:review-fine": "review",
    "programs:review-concern": "review",
    "programs:day-detail": "day",
    "programs:shift-signup": "shift",
    "programs:shift-leave": "shift",
    "programs:shift-ics": "shift",
    "programs:day-manage": "day",
    "programs:day-edit": "day",
    "programs:day-publish": "day",
    "programs:day-complete": "day",
    "programs:day-cancel": "day",
    "programs:day-shift-add": "day",
    "programs:day-invitation-add": "day",
    "programs:day-organiser-add": "day",
    "programs:day-registrations": "day",
    "programs:day-export": "day",
    "programs:day-door": "day",
    "programs:invitation-revoke": "invitation",
    "programs:registration-check-in": "registration",
    "programs:notification-open": "notification",
}
# The kind of token each customer's page takes.
TOKEN_KINDS = {
    "programs:public-register": "invitation",
    "programs:public-resend-link": "invitation",
    "programs:registration-manage": "registration",
    "programs:registration-cancel": "registration",
    "programs:registration-ics": "registration",
    "programs:registration-qr": "registration",
}
# Every query string parameter a page reads (programs/views, portal/views).
QUERY_PARAMETERS = (
    "page",
    "shifts_page",
    "teams_page",
    "status",
    "show",
    "period",
    "q",
    "code",
    "subject",
    "action",
    "actor",
    "since",
    "until",
)


HTMX = {"headers": {"HX-Request": "true"}}


@dataclass(frozen=True)
class Route:
    name: str
    arguments: tuple[str, ...]


def routes(resolver=None, namespace: str = "", prefix: str = "") -> Iterator[Route]:
    """Every named page in the URLconf, with the names of its path arguments."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PAGES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry, inner, route)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in NOT_HTML:
            yield Route(namespace + entry.name, tuple(entry.pattern.regex.groupindex))


# Stand-ins that reverse() accepts for an id and for anything else, replaced afterwards.
PLACEHOLDERS = {"pk": "424242424242"}


def url_of(route: Route, world: World, value: str | None = None) -> str:
    """The route's URL for a real object, or with ``value`` (sent as it is, percent-encoded) in
    place of its id or token."""
    kwargs = {}
    for argument in route.arguments:
        if value is not None:
            kwargs[argument] = PLACEHOLDERS.get(argument, "PLACEHOLDER")
        elif argument == "pk":
            kwargs[argument] = world.ids[PK_KINDS[route.name]][0]
        elif argument == "token":
            kwargs[argument] = world.tokens[TOKEN_KINDS[route.name]][0]
        else:  # allauth's e-mail confirmation and password reset keys
            kwargs[argument] = "1"
    url = reverse(route.name, kwargs=kwargs)
    if value is not None:
        for placeholder in {*PLACEHOLDERS.values(), "PLACEHOLDER"}:
            url = url.replace(placeholder, quote(value, safe=""))
    return url


@dataclass
class Form:
    method: str
    action: str
    htmx: bool
    fields: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (self.method, urlsplit(self.action).path, tuple(sorted(self.fields)))


class FormParser(HTMLParser):
    """The page's forms, each with the values a person who changed nothing would send."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.query_names: set[str] = set()  # the parameters the page's own links carry
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "a" and "?" in a.get("href", ""):
            self.query_names.update(parse_qs(urlsplit(a["href"]).query, keep_blank_values=True))
        if tag == "form":
            self._form = Form(
                method=(a.get("method") or (a.get("hx-post") and "post") or "get").lower(),
                action=urljoin(self.page_url, a.get("action") or a.get("hx-post") or ""),
                htmx=any(name.startswith("hx-") for name in a),
            )
            return
        form, name = self._form, a.get("name")
        if form is None or not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"reset", "file", "image"}:
                return
            if kind == "radio" and name in form.fields and "checked" not in a:
                return
            values = form.fields.setdefault(name, [])
            if kind == "radio":
                values.clear()
            values.append(a.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag == "button" and "value" in a:
            form.fields.setdefault(name, [a["value"]])
        elif tag == "select":
            self._select = name
            form.fields[name] = []
        elif tag == "option" and self._select and "value" in a:
            options = form.fields[self._select]
            if not options or "selected" in a:
                form.fields[self._select] = [a["value"]]
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


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
