"""Every hostile value of corpus.py in every field, query parameter and path parameter of every
API operation, as every identity the operation lets in.

Schemathesis (test_api.py) explores the schema at random; this sends the whole corpus to each
place deterministically. Each request starts from a plausible one built from the schema and the
seeded organisation, changes one thing, and must not answer 5xx.
"""

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.fuzz.conftest import ROLES, World, build_world
from tests.fuzz.corpus import HOSTILE
from tests.fuzz.sweep import Sweep
from tests.fuzz.targets import FIELD_KINDS, documented_schema, kind_of_path, targets

pytestmark = pytest.mark.fuzz

# What JSON can say that a form cannot.
HOSTILE_JSON = {
    "float": 1.5,
    "huge integer": 10**30,
    "overflowing float": 1e308,
    "boolean": True,
    "null": None,
    "list": ["gift"],
    "object": {"id": 1},
}
DEEP_JSON = "[" * 100_000 + "]" * 100_000
REFUSED = {401, 403}
RAW_SCHEMA = documented_schema()


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = RAW_SCHEMA["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    for alternatives in ("allOf", "oneOf", "anyOf"):
        if alternatives in node:
            return _resolve(node[alternatives][0])
    return node


def _plausible(name: str, node: dict):
    """A value the field would take, aimed at a seeded object where it names one."""
    node = _resolve(node)
    if name in FIELD_KINDS:
        return targets.ids(FIELD_KINDS[name])[0]
    if "enum" in node:
        return next(value for value in node["enum"] if value)
    kind, shape = node.get("type"), node.get("format")
    if kind == "boolean":
        return True
    if kind in {"integer", "number"}:
        return max(node.get("minimum", 1), 1)
    if kind == "array":
        return []
    if shape == "date":
        return timezone.localdate().isoformat()
    if shape == "date-time":
        return (timezone.now() + timedelta(days=21)).isoformat()
    if shape == "decimal":
        return "1.00"
    if shape == "email":
        return "fuzz@example.test"
    if shape == "uri":
        return "https://example.test/"
    return "Fuzz"


def _operations():
    for path, methods in RAW_SCHEMA["paths"].items():
        for method, operation in methods.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def _body_fields(operation: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return {}
    return _resolve(content["application/json"]["schema"]).get("properties", {})


def _url(path: str, value: str | None = None) -> str:
    """The operation's URL for a seeded object, or with ``value`` in place of its id or token."""
    if "{" not in path:
        return path
    name = path[path.index("{") + 1 : path.index("}")]
    if value is None:
        value = str(targets.ids(kind_of_path(path))[0])
    return path.replace("{" + name + "}", quote(value, safe=""))


@pytest.fixture
def world(db, unthrottled) -> World:
    world = build_world()
    targets.world = world
    yield world
    targets.world = None


def _clients(world: World) -> dict[str | None, APIClient]:
    clients = {}
    for role in ROLES:
        client = APIClient(raise_request_exception=False)
        if role is not None:
            client.force_authenticate(world.people[role])
        clients[role] = client
    return clients


def test_every_api_field_and_parameter_refuses_the_hostile_corpus_without_a_server_error(world):
    clients = _clients(world)
    failures, sent = [], 0
    for path, method, operation in _operations():
        fields = _body_fields(operation)
        body = {name: _plausible(name, node) for name, node in fields.items()}
        query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        url = _url(path)
        for role, client in clients.items():
            sweep = Sweep(client, role or "nobody")
            # Who is refused at the door meets the same refusal whatever the input says.
            plain = sweep.send(method, url, body or None, format="json", what="plausible")
            if plain.status_code in REFUSED:
                continue
            for label, value in {**HOSTILE, **HOSTILE_JSON}.items():
                for name in fields:
                    what = f"{name}={label}"
                    sweep.send(method, url, {**body, name: value}, format="json", what=what)
                if isinstance(value, str):
                    for name in query:
                        sweep.send(method, f"{url}?{name}={quote(value)}", what=f"?{name}={label}")
                    if "{" in path:
                        sweep.send(
                            method, _url(path, value), body or None, format="json", what=label
                        )
            if fields:
                sweep.send(
                    method, url, DEEP_JSON, content_type="application/json", what="deep json"
                )
                sweep.send(
                    method,
                    url,
                    json.dumps(body)[:-1],
                    content_type="application/json",
                    what="truncated json",
                )
            failures += sweep.failures
            sent += sweep.sent

    assert not failures, f"{len(failures)} of {sent} requests answered 5xx:\n" + "\n".join(failures)
