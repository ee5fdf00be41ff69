"""The one input cleaner: numbers, ids and dates in the digits 0 to 9, text by its kind."""

from datetime import date
from decimal import Decimal

import pytest

from portal.errors import InvalidInput
from portal.validation import (
    MAX_ID,
    clean_amount,
    clean_count,
    clean_date,
    clean_id,
    clean_month,
    clean_text,
)
from portal.validators import TextKind

ARABIC_TEN = "\u0661\u0660"  # Arabic-Indic 1, 0
FULL_WIDTH_TEN = "\uff11\uff10"  # full-width 1, 0
DEVANAGARI_TEN = "\u0967\u0966"


def refusal(clean, *args, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        clean(*args, **kwargs)
    return caught.value.field_errors[kwargs["field"]][0]


@pytest.mark.parametrize("ten", [ARABIC_TEN, FULL_WIDTH_TEN, DEVANAGARI_TEN, f"1{ARABIC_TEN[1]}"])
def test_amounts_counts_and_ids_take_only_the_digits_0_to_9(ten):
    assert "digits 0 to 9" in refusal(clean_amount, ten, field="cost")
    assert "digits 0 to 9" in refusal(clean_count, ten, field="party_size", least=1, most=20)
    assert "digits 0 to 9" in refusal(clean_id, ten, field="team")


def test_ascii_numbers_still_pass():
    assert clean_amount("10", field="cost") == Decimal("10.00")
    assert clean_amount(" 12.5 ", field="cost") == Decimal("12.50")
    assert clean_amount(7, field="cost") == Decimal("7.00")
    assert clean_count("4", field="party_size", least=1, most=20) == 4
    assert clean_count(4, field="party_size", least=1, most=20) == 4
    assert clean_id("12", field="team") == 12
    assert clean_id(MAX_ID, field="team") == MAX_ID


@pytest.mark.parametrize("value", [1.5, 1.0, "1.5", "1.0", True, False, "1e2", "", None, [1]])
def test_an_id_is_a_whole_number_never_truncated_or_a_boolean(value):
    assert refusal(clean_id, value, field="team")


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, "9" * 30])
def test_an_id_outside_the_database_range_is_refused(value):
    assert "from 1 to" in refusal(clean_id, value, field="team")


@pytest.mark.parametrize("value", [2.5, 2.0, "2.0", True, "two", "9" * 40])
def test_a_count_is_a_whole_number(value):
    assert "whole number" in refusal(clean_count, value, field="capacity", least=0, most=100)


@pytest.mark.parametrize("value", [True, "1_000", "0x10", "1,5", "£5"])
def test_an_amount_is_written_plainly(value):
    assert refusal(clean_amount, value, field="cost") == "Enter an amount such as 12.50."


def test_dates_take_only_the_digits_0_to_9():
    arabic = "\u0662\u0660\u0662\u0666-\u0660\u0665-\u0661\u0664"
    assert "digits 0 to 9" in refusal(clean_date, arabic, field="since")
    assert clean_date("2026-05-14", field="since") == date(2026, 5, 14)


@pytest.mark.parametrize("value", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_2000_to_2100_are_refused(value):
    assert refusal(clean_date, value, field="since") == "Enter a date between 2000 and 2100."


@pytest.mark.parametrize("value", ["9999-12", "0001-01", "2026-13", "2026-5", "\x00"])
def test_a_month_outside_the_range_or_malformed_is_refused(value):
    assert refusal(clean_month, value, field="period")


def test_a_month_is_its_first_day():
    assert clean_month("2026-05", field="period") == date(2026, 5, 1)


def test_clean_text_keeps_the_kind_it_is_told():
    assert clean_text(" Ada ", field="name", max_length=10) == "Ada"
    assert "one line" in refusal(clean_text, "Ada\nBcc: x", field="name", max_length=50)
    assert "not allowed" in refusal(clean_text, "gift\x00", field="category", max_length=50)
    kept = clean_text("one\ntwo\tthree", field="note", max_length=50, kind=TextKind.TEXT)
    assert kept == "one\ntwo\tthree"
    assert "not allowed" in refusal(
        clean_text, "one\x00two", field="note", max_length=50, kind=TextKind.TEXT
    )
    assert "not allowed" in refusal(
        clean_text, "CRM-\u202e77", field="customer_ref", max_length=64, kind=TextKind.REFERENCE
    )
