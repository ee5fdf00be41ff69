"""The characters text may hold: one rule, three kinds (portal.validators)."""

import pytest
from django.core.exceptions import ValidationError

from portal.validators import (
    NOT_ALLOWED,
    ONE_LINE,
    TextKind,
    has_forbidden_characters,
    is_token,
    multi_line,
    reference,
    single_line,
    text_problem,
)

NUL = "\x00"
RLO = "\u202e"  # right-to-left override
ZWSP = "\u200b"  # zero-width space
LONE_SURROGATE = "\ud800"


@pytest.mark.parametrize("kind", list(TextKind))
@pytest.mark.parametrize(
    "bad", [NUL, "\x07", "\x1b[31m", "\x7f", "\x85", "\x9b", LONE_SURROGATE, "\x0b", "\x0c"]
)
def test_no_kind_of_text_holds_nul_or_control_characters(kind, bad):
    assert text_problem(f"gift{bad}", kind) == NOT_ALLOWED
    assert has_forbidden_characters(f"gift{bad}")


@pytest.mark.parametrize("kind", [TextKind.LINE, TextKind.REFERENCE])
@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\u2028", "\u2029"])
def test_a_single_line_refuses_a_line_break(kind, brk):
    assert text_problem(f"Ada{brk}Bcc: victim@example.com", kind) == ONE_LINE


@pytest.mark.parametrize("kind", [TextKind.LINE, TextKind.REFERENCE])
def test_a_single_line_refuses_a_tab(kind):
    assert text_problem("Ada\tLovelace", kind) == NOT_ALLOWED


def test_several_lines_keep_line_breaks_and_tabs():
    assert text_problem("First line\nsecond line\r\n\tindented", TextKind.TEXT) is None
    assert not has_forbidden_characters("First line\nsecond\tline")


@pytest.mark.parametrize("invisible", [RLO, ZWSP, "\u200d", "\u2066", "\ufeff", "\u00ad"])
def test_a_reference_refuses_invisible_and_direction_characters(invisible):
    assert text_problem(f"CRM-{invisible}77", TextKind.REFERENCE) == NOT_ALLOWED


def test_names_keep_the_joiners_some_scripts_need():
    # A Persian name written with a zero-width non-joiner is a single line, not a reference.
    assert text_problem("\u0645\u06cc\u200c\u0631\u0648\u062f", TextKind.LINE) is None


def test_ordinary_text_in_any_script_passes_every_kind():
    for text in ["Zoë O'Brien-Łukasiewicz", "山田 太郎", "CRM-77 / ticket #12", "Café ☕"]:
        for kind in TextKind:
            assert text_problem(text, kind) is None


def test_the_validators_raise_a_field_error_with_the_same_messages():
    with pytest.raises(ValidationError, match="one line"):
        single_line("two\nlines")
    with pytest.raises(ValidationError, match="not allowed"):
        reference(f"CRM{RLO}77")
    with pytest.raises(ValidationError, match="not allowed"):
        multi_line(f"note{NUL}")
    multi_line("two\nlines")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("Xq3_-abcDEF0123456789abcdefghijklmnopqrstuv", True),
        ("", False),
        (NUL, False),
        ("abc\x00def", False),
        (f"abc{RLO}def", False),
        ("abc def", False),
        ("a" * 65, False),
        (None, False),
    ],
)
def test_a_token_is_the_url_safe_alphabet_only(value, ok):
    assert is_token(value) is ok
