"""No page repeats an element id.

A repeated id breaks what points at it: a label's ``for`` focuses the first element with that id
(the team page's allowance labels used to focus the top-up form), ``aria-describedby`` reads out
the wrong help, and a skip link lands in the wrong place. Every page the URLconf names is opened
as every role and as a customer with no account, with the seeded organisation the page fuzzer
uses; every form those pages show is then sent empty, so each form also comes back with its
errors beside the fields, and those pages are checked too.
"""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.fuzz.conftest import ROLES, World, build_world
from tests.fuzz.site_map import FormParser, routes, url_of
from tests.fuzz.sweep import Sweep


class IdCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1

    handle_startendtag = handle_starttag


def repeated_ids(html: str) -> dict[str, int]:
    collector = IdCollector()
    collector.feed(html)
    collector.close()
    return {id_: count for id_, count in collector.ids.items() if count > 1}


def _html(response) -> str:
    if response.status_code != 200:
        return ""
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    return response.content.decode()


def _log_in(client: Client, world: World, role: str | None) -> None:
    if role is not None:
        client.force_login(world.people[role])


def test_the_checker_names_each_repeated_id_and_how_often():
    html = (
        '<form><input id="id_amount"><textarea id="id_reason"></textarea></form>'
        '<form><input id="id_amount"/><textarea id="id_reason"></textarea><hr id="x"></form>'
        '<p id="id_amount">'
    )

    assert repeated_ids(html) == {"id_amount": 3, "id_reason": 2}


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "customer")
def test_no_page_repeats_an_element_id(world, role):
    client = Client(raise_request_exception=False)
    _log_in(client, world, role)
    who = role or "a customer (not logged in)"
    sweep = Sweep(client, who)
    pages: dict[str, str] = {}
    for route in routes():
        url = url_of(route, world)
        pages[url] = _html(sweep.send("get", url, what="as it is"))
    assert sum(bool(html) for html in pages.values()) >= 3, f"{who} saw almost no pages"

    problems = [
        f"{who}: GET {url} repeats {repeated}"
        for url, html in pages.items()
        if (repeated := repeated_ids(html))
    ]
    sent: set[tuple] = set()
    for url, html in pages.items():
        parser = FormParser(url)
        parser.feed(html)
        for form in parser.forms:
            if form.method != "post" or form.key in sent:
                continue
            sent.add(form.key)
            # Sending a form may end the session (logging out): each starts logged in.
            _log_in(client, world, role)
            answer = _html(sweep.send("post", form.action, {}, what="empty"))
            if repeated := repeated_ids(answer):
                problems.append(
                    f"{who}: POST {form.action} (empty, from {url}) answers a page that "
                    f"repeats {repeated}"
                )

    assert not sweep.failures, sweep.report()
    assert not problems, "\n".join(problems)
