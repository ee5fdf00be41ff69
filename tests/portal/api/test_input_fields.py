"""The API's input fields (programs/api/fields.py): the characters text may hold, digits 0 to 9
only, whole-number ids, dates in range. Every refusal is a 400 naming the field, and nothing is
written: no row, no audit entry."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db.models import Model
from django.utils import timezone

from programs.audit.models import AuditEntry
from programs.days.models import AppreciationDay, Invitation, Registration, Shift
from programs.empowerment.models import Budget, BudgetRequest, Gesture
from tests.factories import appreciation_day, created_invitation, day_input, registration_input

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "This contains a character that is not allowed."
ONE_LINE = "Keep this to one line: it cannot contain a line break."
DIGITS = "Use the digits 0 to 9"
ARABIC_TEN = "\u0661\u0660"  # Arabic-Indic 1, 0
FULL_WIDTH_TEN = "\uff11\uff10"  # full-width 1, 0
RLO = "\u202e"
ZWSP = "\u200b"


@dataclass
class Endpoint:
    """A POST endpoint: who calls it, where, a body it accepts, and the rows it writes."""

    caller: object
    url: str
    body: dict
    writes: list[type[Model]] = field(default_factory=list)


def as_json(values: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


@pytest.fixture
def day(organiser):
    return appreciation_day(organiser, capacity=6)


@pytest.fixture
def endpoints(
    agent, manager, other_manager, organiser, finance_user, team, programme, category, budget, day
):
    link = created_invitation(day, organiser)
    next_start = programme.period_bounds(timezone.localdate())[1] + timedelta(days=1)
    tomorrow = timezone.localdate() + timedelta(days=1)
    return {
        "gesture": Endpoint(
            agent,
            "/api/v1/gestures/",
            {
                "customer_ref": "TCK-1001",
                "customer_name": "Ada Lovelace",
                "channel": "phone",
                "category": "gift",
                "situation": "Her order arrived broken.",
                "action": "Sent a replacement.",
                "cost": "10.00",
                "occurred_on": timezone.localdate().isoformat(),
            },
            [Gesture],
        ),
        "day": Endpoint(
            organiser,
            "/api/v1/appreciation-days/",
            as_json(day_input(online_link="https://meet.example.com/day")),
            [AppreciationDay],
        ),
        "shift": Endpoint(
            organiser,
            f"/api/v1/appreciation-days/{day.pk}/shifts/",
            as_json(
                {
                    "role": "Greeter",
                    "starts_at": day.starts_at,
                    "ends_at": day.starts_at + timedelta(hours=2),
                    "capacity": 2,
                    "description": "Welcome guests.",
                }
            ),
            [Shift],
        ),
        "invitation": Endpoint(
            organiser,
            f"/api/v1/appreciation-days/{day.pk}/invitations/",
            {"label": "Newsletter", "max_uses": 10},
            [Invitation],
        ),
        "registration": Endpoint(
            None,
            "/api/v1/public/registrations/",
            {**registration_input(link.token), "dietary_needs": "No nuts."},
            [Registration],
        ),
        "topup": Endpoint(
            manager,
            "/api/v1/budget-requests/",
            {"budget": budget.pk, "amount": "50.00", "reason": "A busy month."},
            [BudgetRequest],
        ),
        "budget": Endpoint(
            finance_user,
            "/api/v1/budgets/",
            {
                "team": team.pk,
                "programme": programme.pk,
                "period_start": next_start.isoformat(),
                "amount": "100.00",
            },
            [Budget],
        ),
        "delegation": Endpoint(
            manager,
            "/api/v1/delegations/",
            {
                "delegate": other_manager.pk,
                "starts_on": tomorrow.isoformat(),
                "ends_on": (tomorrow + timedelta(days=3)).isoformat(),
            },
        ),
        "token": Endpoint(
            None, "/api/v1/auth/token/", {"email": agent.email, "password": "not it"}
        ),
    }


def refused(api_client, endpoint: Endpoint, name: str, value) -> list[str]:
    """Post the endpoint's good body with one field changed; assert a 400 naming that field
    that wrote nothing; return the field's messages."""
    counts = {model: model.objects.count() for model in [*endpoint.writes, AuditEntry]}
    if endpoint.caller is not None:
        api_client.force_authenticate(endpoint.caller)
    response = api_client.post(endpoint.url, {**endpoint.body, name: value}, format="json")
    assert response.status_code == 400, response.content
    assert {model: model.objects.count() for model in counts} == counts
    return response.json()[name]


def test_every_endpoints_good_body_is_accepted(api_client, endpoints):
    """The control for the tests below: each body is refused only for the field they change."""
    for name, endpoint in endpoints.items():
        if name == "token":
            continue
        api_client.force_authenticate(endpoint.caller)
        response = api_client.post(endpoint.url, endpoint.body, format="json")
        assert response.status_code in (200, 201), (name, response.content)


# NUL, and the other characters no field holds


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("gesture", "category"),
        ("gesture", "channel"),
        ("gesture", "customer_ref"),
        ("gesture", "customer_name"),
        ("gesture", "situation"),
        ("gesture", "occurred_on"),
        ("gesture", "cost"),
        ("day", "title"),
        ("day", "description"),
        ("day", "venue"),
        ("day", "online_link"),
        ("day", "starts_at"),
        ("shift", "role"),
        ("shift", "description"),
        ("invitation", "label"),
        ("registration", "token"),
        ("registration", "name"),
        ("registration", "email"),
        ("registration", "dietary_needs"),
        ("topup", "reason"),
        ("budget", "period_start"),
        ("token", "email"),
        ("token", "password"),
    ],
)
def test_a_nul_in_any_field_is_a_400_saying_so(api_client, endpoints, where, name):
    endpoint = endpoints[where]
    value = f"{endpoint.body[name]}\x00"

    assert refused(api_client, endpoint, name, value) == [NOT_ALLOWED]


@pytest.mark.parametrize("control", ["\x1b", "\x07", "\x7f", "\x85"])
def test_other_control_characters_are_refused_even_where_line_breaks_are_kept(
    api_client, endpoints, control
):
    assert refused(api_client, endpoints["gesture"], "situation", f"Broken{control}") == [
        NOT_ALLOWED
    ]


# Line breaks in single-line fields


SINGLE_LINE_FIELDS = [
    ("gesture", "customer_ref"),
    ("gesture", "customer_name"),
    ("day", "title"),
    ("day", "venue"),
    ("shift", "role"),
    ("invitation", "label"),
    ("registration", "name"),
]


@pytest.mark.parametrize(("where", "name"), SINGLE_LINE_FIELDS)
@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r", "\u2028"])
def test_a_line_break_in_a_single_line_field_is_refused(api_client, endpoints, where, name, brk):
    value = f"Ada{brk}Bcc: everyone@example.com"

    assert refused(api_client, endpoints[where], name, value) == [ONE_LINE]


@pytest.mark.parametrize(("where", "name"), SINGLE_LINE_FIELDS)
def test_a_tab_in_a_single_line_field_is_refused(api_client, endpoints, where, name):
    assert refused(api_client, endpoints[where], name, "Ada\tLovelace") == [NOT_ALLOWED]


@pytest.mark.parametrize("invisible", [RLO, ZWSP, "\u2066", "\ufeff"])
def test_invisible_and_direction_characters_are_refused_in_references(
    api_client, endpoints, invisible
):
    assert refused(api_client, endpoints["gesture"], "customer_ref", f"CRM-{invisible}77") == [
        NOT_ALLOWED
    ]
    token = endpoints["registration"].body["token"]
    assert refused(api_client, endpoints["registration"], "token", f"{invisible}{token}") == [
        NOT_ALLOWED
    ]


def test_multi_line_fields_keep_their_line_breaks_and_tabs(api_client, endpoints):
    endpoint = endpoints["gesture"]
    api_client.force_authenticate(endpoint.caller)
    text = "She called twice.\nThe parcel was lost:\n\t- first the courier\n\t- then the depot"

    response = api_client.post(
        endpoint.url, {**endpoint.body, "situation": text, "outcome": text}, format="json"
    )

    assert response.status_code == 201
    gesture = Gesture.objects.get()
    assert gesture.situation == text and gesture.outcome == text


# Numbers, ids and dates: the digits 0 to 9


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("gesture", "cost"),
        ("day", "capacity"),
        ("day", "max_party_size"),
        ("shift", "capacity"),
        ("invitation", "max_uses"),
        ("registration", "party_size"),
        ("topup", "amount"),
        ("budget", "amount"),
        ("budget", "team"),
        ("topup", "budget"),
        ("delegation", "delegate"),
    ],
)
@pytest.mark.parametrize("digits", [ARABIC_TEN, FULL_WIDTH_TEN])
def test_numbers_and_ids_take_only_the_digits_0_to_9(api_client, endpoints, where, name, digits):
    messages = refused(api_client, endpoints[where], name, digits)

    assert DIGITS in messages[0]


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("gesture", "occurred_on"),
        ("day", "starts_at"),
        ("budget", "period_start"),
        ("delegation", "starts_on"),
    ],
)
def test_dates_take_only_the_digits_0_to_9(api_client, endpoints, where, name):
    typed = endpoints[where].body[name]
    arabic = typed.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    messages = refused(api_client, endpoints[where], name, arabic)

    assert DIGITS in messages[0]


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("gesture", "team"),
        ("gesture", "programme"),
        ("budget", "team"),
        ("budget", "programme"),
        ("topup", "budget"),
        ("delegation", "delegate"),
    ],
)
@pytest.mark.parametrize(
    "typed",
    [lambda pk: pk + 0.5, lambda pk: float(pk), lambda pk: f"{pk}.5", lambda pk: True],
    ids=["float", "float-whole", "decimal-string", "true"],
)
def test_ids_are_whole_numbers_never_truncated_or_booleans(
    api_client, endpoints, team, programme, budget, other_manager, where, name, typed
):
    # The real row's id, so a truncated 12.5 would find row 12 and be accepted.
    pk = {
        "team": team.pk,
        "programme": programme.pk,
        "budget": budget.pk,
        "delegate": other_manager.pk,
    }[name]

    assert refused(api_client, endpoints[where], name, typed(pk))


@pytest.mark.parametrize(
    ("where", "name", "value"),
    [
        ("day", "capacity", 10.0),
        ("day", "capacity", "10.0"),
        ("registration", "party_size", 1.5),
        ("registration", "party_size", True),
        ("invitation", "max_uses", "2.0"),
    ],
)
def test_counts_are_whole_numbers(api_client, endpoints, where, name, value):
    assert refused(api_client, endpoints[where], name, value)


@pytest.mark.parametrize(
    ("where", "name", "value"),
    [
        ("budget", "period_start", "9999-12-01"),
        ("budget", "period_start", "0001-01-01"),
        ("day", "starts_at", "9999-12-31T23:00:00+00:00"),
        ("day", "ends_at", "0001-01-01T10:00:00+00:00"),
        ("invitation", "expires_at", "9999-12-31T23:59:59Z"),
        ("delegation", "ends_on", "9999-12-31"),
    ],
)
def test_dates_outside_2000_to_2100_are_refused(api_client, endpoints, where, name, value):
    assert refused(api_client, endpoints[where], name, value) == [
        "Enter a date between 2000 and 2100."
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"team": "1.5"},
        {"team": ARABIC_TEN},
        {"team": "true"},
        {"agent": FULL_WIDTH_TEN},
        {"since": "٢٠٢٦-٠١-٠١"},
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
        {"status": "pending\x00"},
    ],
)
def test_filters_take_the_same_rules(api_client, agent, query):
    api_client.force_authenticate(agent)

    response = api_client.get("/api/v1/gestures/", query)

    assert response.status_code == 400
    assert set(query) <= set(response.json())


def test_the_audit_filter_takes_whole_number_ids_and_plain_text(api_client, finance_user):
    api_client.force_authenticate(finance_user)

    assert api_client.get("/api/v1/audit/", {"actor": "1.5"}).status_code == 400
    assert api_client.get("/api/v1/audit/", {"actor": ARABIC_TEN}).status_code == 400
    response = api_client.get("/api/v1/audit/", {"action": "gesture.logged\x00"})
    assert response.status_code == 400
    assert response.json()["action"] == [NOT_ALLOWED]


def test_the_registration_search_refuses_nul(api_client, organiser, day):
    api_client.force_authenticate(organiser)

    response = api_client.get(
        f"/api/v1/appreciation-days/{day.pk}/registrations/", {"search": "\x00"}
    )

    assert response.status_code == 400
    assert response.json()["search"] == [NOT_ALLOWED]
