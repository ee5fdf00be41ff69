"""Which characters text typed by people may hold: one rule for every way in.

Pages, the API, the services and the models all ask :func:`text_problem` (or use
:class:`TextValidator`, its Django validator form), so a field refuses the same characters
however it is reached. It sits in ``portal`` because ``accounts`` needs it as much as
``programs`` does, and it imports no models.

Three kinds of text:

- ``line``: a single line, such as a name, a title or a label. No line breaks, tabs or other
  control characters: such text ends up in e-mail headers, CSV cells and calendar files, where
  a line break would split or forge a line.
- ``text``: several lines, such as a situation, a reason or a note. Line breaks and tabs stay;
  other control characters go.
- ``reference``: a single line that identifies something (a customer reference, a token). On top
  of the ``line`` rule, no invisible formatting characters: a right-to-left override or a
  zero-width space would make two references that look the same differ, or make one read
  backwards.

Everywhere: no NUL (PostgreSQL cannot store it) and no lone surrogates (they cannot be encoded
to UTF-8, so they could be neither stored nor shown).
"""

import re
import unicodedata
from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Largest id anything accepts: the biggest a PostgreSQL bigint (and SQLite) can hold, so a
# longer number is "no such thing", never a database error.
MAX_ID = 2**63 - 1

# What a free-text field (a situation, a reason, a comment) holds at most, everywhere.
TEXT_LIMIT = 2000
NOT_ALLOWED = "This contains a character that is not allowed."

# Every date the portal deals in lies in this century, with room either side; anything outside
# is a typing slip or an attack, and refusing it keeps date arithmetic clear of year 1 and 9999.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
ONE_LINE = "Keep this to one line: it cannot contain a line break."


class TextKind(StrEnum):
    LINE = "line"
    TEXT = "text"
    REFERENCE = "reference"


# C0 controls but tab, line feed and carriage return; DEL; the C1 controls; lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Line breaks a mail header or a CSV reader would honour, and the Unicode line separators.
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")
_TAB = "\t"


def text_problem(value: str, kind: TextKind = TextKind.LINE) -> str | None:
    """What is wrong with the characters of ``value`` for this kind of text, or None."""
    if _CONTROL.search(value):
        return NOT_ALLOWED
    if kind is TextKind.TEXT:
        return None
    if _LINE_BREAK.search(value):
        return ONE_LINE
    if _TAB in value:
        return NOT_ALLOWED
    if kind is TextKind.REFERENCE and any(unicodedata.category(ch) == "Cf" for ch in value):
        return NOT_ALLOWED
    return None


def has_forbidden_characters(value: str) -> bool:
    """Whether ``value`` holds a character no field anywhere accepts (NUL, a lone surrogate,
    a control character other than a line break or tab)."""
    return _CONTROL.search(value) is not None


@deconstructible
class TextValidator:
    """``text_problem`` as a Django validator, for model and form fields."""

    code = "forbidden_character"

    def __init__(self, kind: str = TextKind.LINE) -> None:
        self.kind = TextKind(kind)

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        problem = text_problem(value, self.kind)
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, TextValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash((type(self), self.kind))


# Built from plain strings so that migrations record them as such.
single_line = TextValidator("line")
multi_line = TextValidator("text")
reference = TextValidator("reference")

# The same rules as database check constraints, in a regex both PostgreSQL and Python read.
# NUL is left out: PostgreSQL refuses it in text anyway, and a NUL in a pattern is refused too.
# The database's rule is never stricter than text_problem's, so whatever passes the cleaner
# can be stored.
SINGLE_LINE_PATTERN = r"[\u0001-\u001f\u007f-\u009f\u2028\u2029]"
REFERENCE_PATTERN = (
    r"[\u0001-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    r"\u2060-\u2064\u2066-\u206f\ufeff]"
)

# The tokens the portal hands out (invitation and manage links, check-in codes) are
# ``secrets.token_urlsafe`` strings: this alphabet only, at most 64 characters.
TOKEN_PATTERN = r"[A-Za-z0-9_-]{1,64}"  # noqa: S105 — a pattern, not a secret
_TOKEN = re.compile(TOKEN_PATTERN)


def is_token(value) -> bool:
    """Whether ``value`` could be one of the portal's tokens; anything else is not looked up."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None
