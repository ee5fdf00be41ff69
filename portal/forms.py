"""The input fields every form of the portal is built from, and the form that shows a service's
refusal beside the field it names.

A service may still refuse what a form let through (a limit, a race, a rule that needs the
database): :meth:`ServiceForm.show_error` puts its message beside the field it names, so the
page shows every error in the same place and keeps what was typed.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from portal.errors import ApplicationError, InvalidInput, NotPermitted
from portal.money import MAX_AMOUNT
from portal.validation import (
    EARLIEST_DAY,
    LATEST_DAY,
    MAX_ID,
    check_day_in_range,
    clean_amount,
    digits_problem,
    whole_number,
)
from portal.validators import (
    NOT_ALLOWED,
    TextKind,
    has_forbidden_characters,
    text_problem,
)


class ServiceForm(forms.Form):
    def show_error(self, error: ApplicationError, *, field: str | None = None) -> None:
        """Show a service's refusal beside the fields it names, or beside ``field``.

        A refusal of permission is never a form error: it is the 403 page.
        """
        if isinstance(error, NotPermitted):
            raise PermissionDenied(error.message) from error
        if not error.field_errors:
            self.add_error(field, error.message)
            return
        for name, messages in error.field_errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


# The fields every form here is built from. Each refuses what the services and the API refuse,
# with the same message, before anything reaches the database: the characters a kind of text
# may not hold, digits other than 0 to 9, ids that are not whole numbers, dates outside
# 2000-2100. tests/programs/test_forms.py checks that no form uses a bare Django field.


class _CheckedText:
    """Refuses the characters its kind of text may not hold (``portal.validators``)."""

    kind = TextKind.LINE

    def to_python(self, value):
        if isinstance(value, str):
            problem = text_problem(value.strip(), self.kind)
            if problem:
                raise ValidationError(problem, code="forbidden_character")
        return super().to_python(value)


class LineField(_CheckedText, forms.CharField):
    """One line of text: a name, a title, a label, a search."""


class ReferenceField(_CheckedText, forms.CharField):
    """One line that identifies something: no invisible or direction-changing characters."""

    kind = TextKind.REFERENCE


class TextField(_CheckedText, forms.CharField):
    """Several lines: a situation, a reason, a note. Line breaks and tabs are kept; ``rows``
    is how many lines its box shows."""

    kind = TextKind.TEXT
    widget = forms.Textarea

    def __init__(self, *, rows: int | None = None, **kwargs) -> None:
        if rows is not None:
            kwargs["widget"] = forms.Textarea(attrs={"rows": rows})
        super().__init__(**kwargs)


class EmailAddressField(_CheckedText, forms.EmailField):
    pass


class WebAddressField(_CheckedText, forms.URLField):
    kind = TextKind.REFERENCE


class ChoiceOfField(forms.ModelChoiceField):
    """A row chosen by id (or by ``to_field_name``, a slug). What could not name a row is
    refused before the database is asked: it would read an Arabic-Indic "1" as 1, and a NUL
    would be an error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str) and has_forbidden_characters(value):
            raise ValidationError(NOT_ALLOWED, code="forbidden_character")
        if self.to_field_name is None:
            number = whole_number(value)
            ok = number is not None and 1 <= number <= MAX_ID
        else:
            ok = isinstance(value, str) and value.isascii()
        if not ok:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class _CheckedDigits:
    """Dates and numbers typed with the digits 0 to 9 only."""

    example = "2026-05-14"

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            problem = digits_problem(value, example=self.example)
            raise ValidationError(problem or self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class _InRange(_CheckedDigits):
    """A date (or time) between ``earliest`` and ``latest``: 2000 to 2100 unless told."""

    def __init__(self, *, earliest: date = EARLIEST_DAY, latest: date = LATEST_DAY, **kwargs):
        self.earliest, self.latest = earliest, latest
        super().__init__(**kwargs)

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None:
            problem = self.range_problem(moment)
            if problem:
                raise ValidationError(problem, code="out_of_range")
        return moment

    def range_problem(self, moment) -> str | None:
        try:
            check_day_in_range(moment, field="day", earliest=self.earliest, latest=self.latest)
        except InvalidInput as error:
            return error.message
        return None


class DayField(_InRange, forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    """Money as a person types it, checked by the same rules as the services and the API, so
    "abc", "NaN", "1e30" and "-5" get the same clear message wherever they are typed."""

    # A text box, not type=number: a browser blanks a number box holding something it cannot
    # parse, and the person would lose what they typed. inputmode still brings up the keypad.
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, allow_zero: bool = True, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(
            max_digits=12,
            decimal_places=2,
            min_value=Decimal("0.00") if allow_zero else Decimal("0.01"),
            max_value=MAX_AMOUNT,
            **kwargs,
        )

    def to_python(self, value) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return clean_amount(value, field="amount", allow_zero=self.allow_zero)
        except InvalidInput as error:
            messages = error.field_errors.get("amount", [error.message])
            raise ValidationError(messages, code="invalid") from None


class MonthField(_InRange, forms.DateField):
    """A month, as ``<input type=month>`` sends it (``2026-05``); cleaned to its first day."""

    example = "2026-05"
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a month such as 2026-05."}

    def to_python(self, value) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None

    def range_problem(self, day: date) -> str | None:
        if self.earliest.replace(day=1) <= day.replace(day=1) <= self.latest:
            return None
        if (self.earliest, self.latest) == (EARLIEST_DAY, LATEST_DAY):
            return "Enter a month between 2000 and 2100."
        return f"Choose a month from {self.earliest:%Y-%m} to {self.latest:%Y-%m}."


class DateTimeLocalField(_InRange, forms.DateTimeField):
    """A date and time as ``<input type=datetime-local>`` sends it, in the portal's time zone."""

    example = "2026-06-12 10:00"
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    default_error_messages = {"invalid": "Enter a date and time such as 2026-06-12 10:00."}


class WholeNumberField(forms.IntegerField):
    """A count typed into a text box with the numeric keypad (see AmountField for why), in the
    digits 0 to 9: not "2.0", not Arabic-Indic or full-width digits."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {"invalid": "Enter a whole number."}

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        number = whole_number(value)
        if number is None:
            problem = digits_problem(str(value).strip(), example="12")
            raise ValidationError(problem or self.error_messages["invalid"], code="invalid")
        return number


def focus_first_error(form: forms.Form) -> None:
    """Put the cursor in the first field to correct when a refused form comes back inline:
    htmx moves focus to an ``autofocus`` element of what it swaps in."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["autofocus"] = True
            return
