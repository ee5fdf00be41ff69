"""The pages' form fields (programs/forms.py) refuse what the API refuses, with the same
message beside the field: NUL and control characters, line breaks in single-line fields,
invisible characters in references, digits other than 0 to 9, ids that are not whole numbers,
dates out of range. Nothing is saved from a refused form."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Delegation, TeamRole
from programs.audit.models import AuditEntry
from programs.days.models import AppreciationDay, Invitation, Registration, Shift
from programs.empowerment.models import AllowanceOverride, Budget, BudgetRequest, Gesture
from tests.factories import appreciation_day, created_invitation, place
from tests.support.day_entry import datetime_local, day_form, registration_form
from tests.support.gesture_entry import form_data

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "This contains a character that is not allowed."
ONE_LINE = "Keep this to one line: it cannot contain a line break."
DIGITS = "Use the digits 0 to 9"
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Page:
    """A form page: who fills it in, where it posts, what they type, what it writes."""

    person: object
    url: str
    data: dict
    writes: list[type[Model]] = field(default_factory=list)
    # The team page holds two forms, so each has ids of its own ("id_topup_amount").
    ids: str = "id_%s"


@pytest.fixture
def day(organiser):
    return appreciation_day(organiser, capacity=6)


@pytest.fixture
def pages(agent, manager, other_manager, organiser, programme, category, budget, team, day):
    link = created_invitation(day, organiser)
    tomorrow = timezone.localdate() + timedelta(days=1)
    return {
        "gesture": Page(agent, reverse("empowerment:log-gesture"), form_data(), [Gesture]),
        "day": Page(
            organiser,
            reverse("days:day-new"),
            day_form(),
            [AppreciationDay],
        ),
        "shift": Page(
            organiser,
            reverse("days:day-shift-add", args=[day.pk]),
            {
                "role": "Host",
                "starts_at": datetime_local(day.starts_at),
                "ends_at": datetime_local(day.starts_at + timedelta(hours=2)),
                "capacity": "3",
                "description": "",
            },
            [Shift],
        ),
        "invitation": Page(
            organiser,
            reverse("days:day-invitation-add", args=[day.pk]),
            {"label": "VIP list", "max_uses": "10", "expires_at": ""},
            [Invitation],
        ),
        "registration": Page(
            None,
            reverse("days:public-register", args=[link.token]),
            registration_form(),
            [Registration],
        ),
        "topup": Page(
            manager,
            reverse("empowerment:team-topup", args=[team.pk]),
            {"amount": "250.00", "reason": "Storm week."},
            [BudgetRequest],
            ids="id_topup_%s",
        ),
        "allowance": Page(
            manager,
            reverse("empowerment:team-allowance", args=[team.pk]),
            {"agent": str(agent.pk), "amount": "250.00", "reason": "Covering nights."},
            [AllowanceOverride],
            ids="id_allowance_%s",
        ),
        "delegation": Page(
            manager,
            reverse("empowerment:delegate"),
            {
                "delegate": str(other_manager.pk),
                "starts_on": tomorrow.isoformat(),
                "ends_on": (tomorrow + timedelta(days=2)).isoformat(),
            },
            [Delegation],
        ),
    }


def refused(client, page: Page, name: str, value: str) -> str:
    """Post the page's form with one field changed; assert nothing was written and the form
    came back; return the error list beside that field."""
    counts = {model: model.objects.count() for model in [*page.writes, AuditEntry]}
    if page.person is not None:
        client.force_login(page.person)
    response = client.post(page.url, {**page.data, name: value})
    assert response.status_code in (200, 400), response.status_code
    assert {model: model.objects.count() for model in counts} == counts
    html = response.content.decode()
    error_id = f'id="{page.ids % name}_error"'
    assert error_id in html, f"no error beside {name}"
    return html.split(error_id, 1)[1].split("</ul>", 1)[0]


def test_every_pages_good_form_is_accepted(client, pages):
    """The control for the tests below: each form is refused only for the field they change."""
    for name, page in pages.items():
        if page.person is not None:
            client.force_login(page.person)
        else:
            client.logout()
        response = client.post(page.url, page.data)
        assert response.status_code == 302, (name, response.status_code)


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("gesture", "category"),
        ("gesture", "customer_ref"),
        ("gesture", "customer_name"),
        ("gesture", "situation"),
        ("day", "title"),
        ("day", "venue"),
        ("day", "description"),
        ("shift", "role"),
        ("invitation", "label"),
        ("registration", "name"),
        ("registration", "email"),
        ("registration", "dietary_needs"),
        ("topup", "reason"),
        ("allowance", "reason"),
    ],
)
def test_a_nul_in_a_form_field_is_refused_beside_it(client, pages, where, name):
    page = pages[where]

    assert NOT_ALLOWED in refused(client, page, name, f"{page.data[name]}x\x00")


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("gesture", "customer_ref"),
        ("gesture", "customer_name"),
        ("day", "title"),
        ("day", "venue"),
        ("shift", "role"),
        ("invitation", "label"),
        ("registration", "name"),
    ],
)
@pytest.mark.parametrize("brk", ["\n", "\r\n", "\u2028"])
def test_a_line_break_in_a_single_line_form_field_is_refused(client, pages, where, name, brk):
    assert ONE_LINE in refused(client, pages[where], name, f"Ada{brk}Bcc: all@example.com")


def test_a_reference_with_a_direction_override_is_refused(client, pages):
    assert NOT_ALLOWED in refused(client, pages["gesture"], "customer_ref", "CRM-\u202e77")


def test_the_story_keeps_its_line_breaks(client, pages):
    page = pages["gesture"]
    client.force_login(page.person)
    text = "She called twice.\r\nThe parcel was lost:\r\n\t- by the courier"

    response = client.post(page.url, {**page.data, "situation": text})

    assert response.status_code == 302
    assert Gesture.objects.get().situation == text


@pytest.mark.parametrize(
    ("where", "name"),
    [
        ("gesture", "cost"),
        ("gesture", "occurred_on"),
        ("day", "capacity"),
        ("day", "max_party_size"),
        ("day", "starts_at"),
        ("shift", "capacity"),
        ("shift", "starts_at"),
        ("invitation", "max_uses"),
        ("topup", "amount"),
        ("allowance", "amount"),
        ("delegation", "starts_on"),
    ],
)
@pytest.mark.parametrize("script", [ARABIC, FULL_WIDTH])
def test_numbers_and_dates_take_only_the_digits_0_to_9(client, pages, where, name, script):
    page = pages[where]

    assert DIGITS in refused(client, page, name, page.data[name].translate(script))


@pytest.mark.parametrize(
    ("where", "name"),
    [("allowance", "agent"), ("delegation", "delegate"), ("registration", "party_size")],
)
@pytest.mark.parametrize("typed", ["{id}.0", "{id}.5", "{arabic}", "\x00"])
def test_a_choice_by_id_takes_only_a_whole_number(client, pages, where, name, typed):
    page = pages[where]
    value = typed.format(id=page.data[name], arabic=page.data[name].translate(ARABIC))

    assert refused(client, page, name, value)


def test_an_agent_in_two_teams_names_the_team_by_a_plain_id(client, pages, agent, other_team):
    place(agent, other_team, TeamRole.AGENT)

    assert refused(client, pages["gesture"], "team", str(other_team.pk).translate(ARABIC))


@pytest.mark.parametrize(
    ("where", "name", "value"),
    [
        ("gesture", "occurred_on", "0001-01-01"),
        ("day", "starts_at", "9999-12-31T10:00"),
        ("day", "ends_at", "0001-01-01T10:00"),
        ("invitation", "expires_at", "9999-12-31T23:59"),
    ],
)
def test_dates_outside_2000_to_2100_are_refused_beside_the_field(client, pages, where, name, value):
    errors = refused(client, pages[where], name, value)

    assert "Enter a date between 2000 and 2100." in errors or "more than a year" in errors


# The budget page's period and its per-team forms


BUDGETS = reverse("empowerment:budgets")


@pytest.mark.parametrize("period", ["9999-12", "0001-01", "1999-12", "2101-01"])
def test_a_period_out_of_range_shows_the_current_one_and_says_so(
    client, finance_user, programme, period
):
    client.force_login(finance_user)

    response = client.get(BUDGETS, {"period": period})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Budgets · {timezone.localdate():%B %Y}" in html
    assert "Enter a month between 2000 and 2100." in html


@pytest.mark.parametrize("period", ["٢٠٢٦-٠١", "２０２６-０１"])
def test_a_period_in_other_digits_is_refused(client, finance_user, programme, period):
    client.force_login(finance_user)

    html = client.get(BUDGETS, {"period": period}).content.decode()

    assert "Use the digits 0 to 9, as in 2026-05." in html


@pytest.mark.parametrize("typed", ["{pk}.0", "{pk}.5", "{arabic}", "{full_width}", "{pk}\x00"])
def test_a_budget_row_names_its_team_by_a_plain_id(client, finance_user, programme, team, typed):
    client.force_login(finance_user)
    start = programme.period_bounds(timezone.localdate())[0]
    pk = str(team.pk)
    value = typed.format(pk=pk, arabic=pk.translate(ARABIC), full_width=pk.translate(FULL_WIDTH))

    response = client.post(
        BUDGETS, {"team": value, "period_start": start.isoformat(), "amount": "100"}
    )

    assert response.status_code == 200
    assert "That budget was not saved." in response.content.decode()
    assert not Budget.objects.exists()


def test_a_budget_amount_in_other_digits_is_refused_in_its_row(
    client, finance_user, programme, team
):
    client.force_login(finance_user)
    start = programme.period_bounds(timezone.localdate())[0]

    response = client.post(
        BUDGETS, {"team": team.pk, "period_start": start.isoformat(), "amount": "١٠٠"}
    )

    assert "Use the digits 0 to 9, as in 12.50." in response.content.decode()
    assert not Budget.objects.exists()


# Searches and filters in query strings


def test_the_door_treats_a_malformed_code_as_no_registration(client, organiser, day):
    client.force_login(organiser)
    door = reverse("days:day-door", args=[day.pk])

    for code in ["\x00", "abc\x00", "\u202eabc", "x" * 65]:
        response = client.get(door, {"code": code})
        assert response.status_code == 404
        assert "No registration for this day has that code" in response.content.decode()


def test_the_door_search_refuses_nul_beside_the_box(client, organiser, day):
    client.force_login(organiser)

    response = client.get(reverse("days:day-door", args=[day.pk]), {"q": "ann\x00"})

    assert response.status_code == 200
    assert NOT_ALLOWED in response.content.decode()


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("subject", "gesture:1\x00", NOT_ALLOWED),
        ("actor", "a\x00@example.com", NOT_ALLOWED),
        ("since", "٢٠٢٦-٠١-٠١", DIGITS),
        ("until", "9999-12-31", "Enter a date between 2000 and 2100."),
        ("subject", "gesture:١٢", "Give a type and a number"),
    ],
)
def test_the_audit_filters_refuse_beside_the_field(client, finance_user, name, value, error):
    client.force_login(finance_user)

    response = client.get(reverse("audit:audit"), {name: value})

    assert response.status_code == 200
    errors = response.content.decode().split(f'id="id_{name}_error"', 1)[1].split("</ul>", 1)[0]
    assert error in errors


def test_the_admins_filters_refuse_nul_with_a_400(client, admin_user):
    client.force_login(admin_user)

    for query in ["q=%00", "status=%00", "status__exact=pending%00"]:
        assert client.get(f"/admin/empowerment/gesture/?{query}").status_code == 400
    assert client.get("/admin/empowerment/gesture/?q=gift").status_code == 200
