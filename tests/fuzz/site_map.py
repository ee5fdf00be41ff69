"""The pages the URLconf names, the URLs that reach them with real ids, and the forms they show:
what the page sweeps (tests/fuzz/test_pages.py, tests/portal/test_unique_ids.py) walk through.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.fuzz.conftest import World

# The API has its own fuzzer (test_api.py); the admin is Django's own (tests/programs/people).
NOT_PAGES = ("api/", "admin/")
NOT_HTML = ("healthz",)

# The kind of object each page's <pk> names.
PK_KINDS = {
    "empowerment:gesture-detail": "gesture",
    "empowerment:gesture-withdraw": "gesture",
    "empowerment:gesture-outcome": "gesture",
    "empowerment:team-detail": "team",
    "empowerment:team-allowance": "team",
    "empowerment:team-topup": "team",
    "empowerment:delegation-cancel": "delegation",
    "empowerment:approval-detail": "approval",
    "empowerment:approval-approve": "approval",
    "empowerment:approval-decline": "approval",
    "empowerment:review-detail": "review",
    "empowerment:review-fine": "review",
    "empowerment:review-concern": "review",
    "days:day-detail": "day",
    "days:shift-signup": "shift",
    "days:shift-leave": "shift",
    "days:shift-ics": "shift",
    "days:day-manage": "day",
    "days:day-edit": "day",
    "days:day-publish": "day",
    "days:day-complete": "day",
    "days:day-cancel": "day",
    "days:day-shift-add": "day",
    "days:day-invitation-add": "day",
    "days:day-organiser-add": "day",
    "days:day-registrations": "day",
    "days:day-export": "day",
    "days:day-door": "day",
    "days:invitation-revoke": "invitation",
    "days:registration-check-in": "registration",
    "notifications:notification-open": "notification",
    "stories:story": "gesture",
    "stories:thank": "gesture",
    "stories:hide": "gesture",
    "stories:show": "gesture",
    "people:person": "person",
    "people:set-team": "person",
    "people:remove-team": "person",
    "people:set-roles": "person",
    "people:set-people-capability": "person",
    "people:deactivate": "person",
    "people:reactivate": "person",
    "people:revoke-invitation": "person_invitation",
    "people:import-run": "import_run",
    "people:revoke-provisioning-token": "provisioning_token",
    "people:import-apply": "import_run",
    "people:import-status": "import_run",
    "mfa_edit_webauthn": "security_key",
    "mfa_remove_webauthn": "security_key",
    "identity:api-token-revoke": "personal_token",
}
# The kind of token each customer's page takes.
TOKEN_KINDS = {
    "days:public-register": "invitation",
    "days:public-resend-link": "invitation",
    "days:registration-manage": "registration",
    "days:registration-cancel": "registration",
    "days:registration-ics": "registration",
    "days:registration-qr": "registration",
    "people:accept-invitation": "person_invitation",
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
    "team",
    "category",
    "channel",
    "rating",
    "days",
)


HTMX = {"headers": {"HX-Request": "true"}}


@dataclass(frozen=True)
class Route:
    name: str
    arguments: tuple[str, ...]


def routes(
    resolver=None, namespace: str = "", prefix: str = "", outer: tuple[str, ...] = ()
) -> Iterator[Route]:
    """Every named page in the URLconf, with the names of its path arguments (those of the
    includes around it too, as allauth's ``oidc/<provider_id>/`` around its login pages)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PAGES):
            continue
        arguments = outer + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry, inner, route, arguments)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in NOT_HTML:
            yield Route(namespace + entry.name, arguments)


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
        else:  # allauth's e-mail confirmation and password reset keys, a provider's id
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
