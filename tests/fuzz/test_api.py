"""Property-based fuzzing of the whole API from its own OpenAPI schema (Schemathesis).

Each operation the schema at /api/schema/ documents becomes one test. Schemathesis generates
requests, valid and invalid, from the schema and sends them to the live test server (real
PostgreSQL): each generated request as every role and with no credentials, each of the coverage
phase's boundary cases as one of them in turn. Every answer must be no 5xx and exactly what the
schema promises: a documented status code, content type, headers and body.

Path parameters and the fields that name other objects aim at the seeded organisation about half
of the time, so the fuzzer reaches the services and not only the "not found" answers.
"""

import itertools
from collections import defaultdict

import pytest
import schemathesis
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.core.parameters import ParameterLocation

from tests.fuzz.conftest import ROLES, build_world
from tests.fuzz.corpus import HOSTILE
from tests.fuzz.targets import FIELD_KINDS, documented_schema, kind_of_path, targets

pytestmark = pytest.mark.fuzz

# Per operation: this many generated requests, each sent as every identity, plus the boundary
# cases of the coverage phase, each sent as one identity in turn. A generated string or number is
# now and then one of the hostile values of corpus.py. The whole module takes a few minutes.
EXAMPLES_PER_OPERATION = 12
HOSTILE_SHARE = 0.2
# The test server refuses a request line (path and query) longer than this before Django sees
# it; the page sweep sends the megabyte.
LINE = 65_536
SEED = 20260110

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "dictionaries": {
            "hostile": {"values": [value for value in HOSTILE.values() if len(value) < LINE]},
            "hostile-numbers": {"values": [0, -1, 2**31, 2**63, 10**20, 1.5, -0.0, 1e308]},
        },
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES_PER_OPERATION,
            # Each identity sends its own token; no made-up credentials on top.
            "with-security-parameters": False,
            "dictionaries": {
                "string": {"dictionary": "hostile", "probability": HOSTILE_SHARE},
                "integer": {"dictionary": "hostile-numbers", "probability": HOSTILE_SHARE},
                "number": {"dictionary": "hostile-numbers", "probability": HOSTILE_SHARE},
            },
        },
        "phases": {"stateful": {"enabled": False}},
        # Data the schema allows may still break a business rule (a day in the past, a budget
        # that does not exist): a 400 for it is right, so only the other checks apply.
        "checks": {"positive_data_acceptance": {"enabled": False}},
    }
)


schema = schemathesis.openapi.from_dict(documented_schema(), config=CONFIG)


def _aimed(value, kind: str):
    """The generated value, or a real object's id or token."""
    return st.one_of(st.just(value), st.sampled_from(targets.ids(kind)))


def _aim_fields(values: dict) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            name: _aimed(value, FIELD_KINDS[name]) if name in FIELD_KINDS else st.just(value)
            for name, value in values.items()
        }
    )


@schema.hook
def flatmap_case(context, case):
    """Aim the ids and tokens of a valid request at real objects half of the time. A part
    generated invalid on purpose stays as it is, so what the checks expect still holds."""

    def valid(location: ParameterLocation) -> bool:
        return case.meta is None or not case.meta.is_negative_at(location)

    aimed = {}
    kind = kind_of_path(case.operation.path)
    if kind and case.path_parameters and valid(ParameterLocation.PATH):
        aimed["path_parameters"] = st.fixed_dictionaries(
            {name: _aimed(value, kind) for name, value in case.path_parameters.items()}
        )
    if isinstance(case.query, dict) and valid(ParameterLocation.QUERY):
        aimed["query"] = _aim_fields(case.query)
    if isinstance(case.body, dict) and valid(ParameterLocation.BODY):
        aimed["body"] = _aim_fields(case.body)

    def apply(values: dict):
        for part, value in values.items():
            setattr(case, part, value)
        return case

    return st.fixed_dictionaries(aimed).map(apply)


@pytest.fixture
def seeded_world(live_server, unthrottled) -> dict[str | None, dict[str, str]]:
    """The organisation, and the request headers of each identity (a real API token each)."""
    world = build_world()
    targets.world = world
    headers: dict[str | None, dict[str, str]] = {None: {}}
    for role, person in world.people.items():
        token, _ = Token.objects.get_or_create(user=person)
        headers[role] = {"Authorization": f"Token {token.key}"}
    yield headers
    targets.world = None


# The coverage phase's many boundary cases go to one identity each, in turn.
_turns: defaultdict[str, itertools.count] = defaultdict(itertools.count)


def _identities(case) -> tuple[str | None, ...]:
    if case.meta is not None and case.meta.phase.name.value == "coverage":
        turn = next(_turns[case.operation.label])
        return (ROLES[turn % len(ROLES)],)
    return ROLES


@schema.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_every_operation_answers_every_role_as_documented_and_never_5xx(
    case, live_server, seeded_world
):
    for role in _identities(case):
        try:
            case.call_and_validate(base_url=live_server.url, headers=seeded_world[role])
        except Exception as failure:
            failure.add_note(f"Sent as: {role or 'nobody (no credentials)'}")
            raise


def test_the_fuzzed_schema_is_the_served_one(db):
    response = Client().get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json() == documented_schema()
