"""Every amount the portal shows goes through one formatter: ``programs.formatting.money``,
which the ``money`` template filter calls."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from portal.formatting import money

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A variable whose last name part is one of these words holds an amount of money.
MONEY_WORDS = re.compile(
    r"(amount|cost|spent|committed|available|allowance|remaining|threshold|limit|"
    r"approved_above|floor|ceiling|total|used)$"
)
# What may follow such a name without printing an amount: a form field, its parts, a percentage.
NOT_AN_AMOUNT = re.compile(r"^form\.|^\w+_form\.|\.(errors|label|id_for_label|help_text)$")
VARIABLE = re.compile(r"\{\{\s*([^}]+?)\s*\}\}")


def _unformatted_amounts(text: str) -> list[str]:
    found = []
    for expression in VARIABLE.findall(text):
        name, *filters = (part.strip() for part in expression.split("|"))
        if NOT_AN_AMOUNT.search(name) or not MONEY_WORDS.search(name.split(".")[-1]):
            continue
        names = [f.split(":")[0] for f in filters]
        # Django's ``add`` turns decimals into whole numbers: it once dropped the pence.
        if "money" not in names or "add" in names:
            found.append(expression)
    return found


def test_no_template_prints_an_amount_without_the_money_filter():
    problems = {
        str(path.relative_to(TEMPLATES)): found
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in {".html", ".txt"}
        if (found := _unformatted_amounts(path.read_text()))
    }
    assert problems == {}


def test_the_scan_finds_an_amount_printed_bare():
    assert _unformatted_amounts("{{ budget.spent }} and {{ b.cost|floatformat:2 }}") == [
        "budget.spent",
        "b.cost|floatformat:2",
    ]
    assert _unformatted_amounts("{{ s.spent|add:s.committed|money:c }}") == [
        "s.spent|add:s.committed|money:c"
    ]
    assert _unformatted_amounts("{{ budget.spent|money:programme.currency }}") == []


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("1234.5"), "GBP", "£1,234.50"),
        ("250.00", "EUR", "€250.00"),
        ("1234567.89", "USD", "$1,234,567.89"),
        ("1250", "CHF", "CHF 1,250.00"),
        (Decimal("0.005"), "GBP", "£0.01"),
        ("-5", "GBP", "-£5.00"),
        (None, "GBP", "£0.00"),
        ("not a number", "GBP", ""),
        ("Infinity", "GBP", ""),
    ],
)
def test_money_writes_the_currency_sign_pence_and_thousands(amount, currency, expected):
    assert money(amount, currency) == expected


def test_the_money_filter_is_the_same_formatter():
    rendered = Template("{% load formatting %}{{ amount|money:currency }}").render(
        Context({"amount": Decimal("1234.5"), "currency": "EUR"})
    )
    assert rendered == money(Decimal("1234.5"), "EUR") == "€1,234.50"
