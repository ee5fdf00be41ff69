"""Forms for the empowerment pages. They check what a person typed; the services decide.

A service may still refuse what a form let through (a limit, a race, a rule that needs the
database): :meth:`ServiceForm.show_error` puts its message beside the field it names, so the
page shows every error in the same place and keeps what was typed.
"""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Team, TeamRole, User
from portal.errors import ApplicationError, InvalidInput, NotPermitted
from portal.validators import NOT_ALLOWED, TextKind, has_forbidden_characters, text_problem
from programs.formatting import day_label, money
from programs.models import Channel, OutcomeRating, Programme
from programs.models.money import MAX_AMOUNT
from programs.selectors.audit import parse_subject
from programs.selectors.programmes import categories
from programs.validation import (
    EARLIEST_DAY,
    LATEST_DAY,
    MAX_ID,
    OLDEST_GESTURE,
    check_day_in_range,
    clean_amount,
    clean_past_date,
    digits_problem,
    whole_number,
)

TEXT_LIMIT = 2000


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
    """Several lines: a situation, a reason, a note. Line breaks and tabs are kept."""

    kind = TextKind.TEXT
    widget = forms.Textarea


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


class GestureForm(ServiceForm):
    category = ChoiceOfField(
        queryset=categories(),
        to_field_name="slug",
        empty_label="Choose a category",
        error_messages={"invalid_choice": "Choose one of the listed categories."},
    )
    channel = forms.ChoiceField(choices=[("", "Choose a channel"), *Channel.choices])
    customer_ref = ReferenceField(
        label="Customer reference",
        max_length=64,
        help_text="The ticket or CRM number.",
    )
    customer_name = LineField(
        label="Customer name (optional)",
        max_length=150,
        required=False,
        help_text="Only if it helps; it is personal data.",
    )
    situation = TextField(
        label="The customer’s situation",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    action = TextField(
        label="What you did",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = TextField(
        label="Outcome (optional)",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the customer said, if you know yet. You can add it later.",
    )
    cost = AmountField(help_text="0 if it cost nothing.")
    occurred_on = DayField(label="Date it happened")

    def __init__(
        self, *args, agent_team_ids: frozenset[int], programme: Programme | None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["occurred_on"].initial = self.today
        self.fields["occurred_on"].widget.attrs.update(
            min=(self.today - OLDEST_GESTURE).isoformat(), max=self.today.isoformat()
        )
        if programme is not None:
            self.fields["cost"].label = f"Cost ({programme.currency})"
        if len(agent_team_ids) > 1:
            self.fields["team"] = ChoiceOfField(
                queryset=Team.objects.filter(pk__in=agent_team_ids).order_by("name"),
                empty_label="Choose the team you did it for",
                error_messages={"invalid_choice": "Choose one of your teams."},
            )

    def clean_occurred_on(self) -> date:
        try:
            return clean_past_date(self.cleaned_data["occurred_on"], today=self.today)
        except InvalidInput as error:
            raise ValidationError(error.field_errors["occurred_on"]) from None


class OutcomeForm(ServiceForm):
    outcome_rating = forms.ChoiceField(
        label="How did the customer take it?",
        choices=[("", "Choose one"), *OutcomeRating.choices],
    )
    outcome = TextField(
        label="What the customer said",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BudgetAllocationForm(ServiceForm):
    team = ChoiceOfField(
        queryset=Team.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That team no longer exists."},
    )
    # The page chooses the period; each team's row carries it along.
    period_start = MonthField(label="Period", widget=forms.HiddenInput)
    amount = AmountField(label="Budget")


class AllowanceForm(ServiceForm):
    agent = ChoiceOfField(
        queryset=User.objects.none(),
        empty_label="Choose an agent",
        error_messages={"invalid_choice": "Choose an agent of this team."},
    )
    amount = AmountField(label="Allowance this period")
    reason = TextField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the change, for the agent and the audit trail.",
    )

    def __init__(self, *args, team: Team, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = User.objects.filter(
            memberships__team=team, memberships__role=TeamRole.AGENT, is_active=True
        ).order_by("name")
        self.fields["amount"].label = f"Allowance this period ({programme.currency})"
        floor = money(programme.allowance_floor, programme.currency)
        ceiling = money(programme.allowance_ceiling, programme.currency)
        self.fields["amount"].help_text = f"Between {floor} and {ceiling}."


class TopUpForm(ServiceForm):
    amount = AmountField(label="Amount to add", allow_zero=False)
    reason = TextField(
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Finance reads this when they decide.",
    )


class PeriodForm(forms.Form):
    """The budget period a page shows, from ``?period=2026-05``: one of the programme's."""

    period = MonthField(label="Period", required=False)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = programme.period_range()
        period = self.fields["period"]
        period.earliest, period.latest = first, programme.period_bounds(last)[1]
        period.widget.attrs.update(min=f"{first:%Y-%m}", max=f"{last:%Y-%m}")


class ApproveForm(ServiceForm):
    comment = TextField(
        label="Comment (optional)",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The person who asked reads it with the decision.",
    )


class DeclineForm(ServiceForm):
    reason = TextField(
        label="Why not?",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to decline. The person who asked reads it with the decision.",
        error_messages={"required": "Give a reason: the person who asked will read it."},
    )


class ConcernForm(ServiceForm):
    note = TextField(
        label="What concerns you?",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what concerns you, so it can be followed up."},
    )


# A delegation covers an absence, however long; a last day years away is a typing slip.
LONGEST_DELEGATION = timedelta(days=730)


class DelegationForm(ServiceForm):
    delegate = ChoiceOfField(
        label="Who decides for you",
        queryset=User.objects.none(),
        empty_label="Choose a manager",
        error_messages={"invalid_choice": "Choose one of the listed managers."},
    )
    # Bounded by clean() and the service instead, which name the days allowed.
    starts_on = DayField(label="First day", earliest=date.min, latest=date.max)
    ends_on = DayField(label="Last day", earliest=date.min, latest=date.max)

    def __init__(self, *args, delegator: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = (
            User.objects.active()
            .filter(memberships__role=TeamRole.MANAGER)
            .exclude(pk=delegator.pk)
            .distinct()
            .order_by("name", "email")
        )
        self.fields["delegate"].label_from_instance = lambda user: f"{user.name} ({user.email})"
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget.attrs["min"] = today.isoformat()

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        latest = timezone.localdate() + LONGEST_DELEGATION
        for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
            if day and day > latest:
                self.add_error(name, f"Choose a day before {day_label(latest)}.")
        if starts_on and ends_on and ends_on < starts_on and "ends_on" not in self.errors:
            self.add_error("ends_on", "The last day cannot be before the first.")
        return cleaned


class AuditFilterForm(forms.Form):
    """The audit page's filters, from the query string; the export takes the same ones."""

    subject = LineField(
        required=False,
        max_length=82,
        help_text="Type and number, e.g. gesture:12 or budgetrequest:3.",
    )
    action = forms.ChoiceField(required=False)
    actor = LineField(
        label="Person",
        required=False,
        max_length=254,
        help_text="E-mail address; also finds what a delegate did for them.",
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )
    since = DayField(label="From", required=False)
    until = DayField(label="To", required=False)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *((a, a) for a in actions)]

    def clean_subject(self) -> tuple[str, str] | None:
        value = self.cleaned_data["subject"].strip()
        if not value:
            return None
        subject = parse_subject(value)
        if subject is None:
            raise ValidationError("Give a type and a number, such as gesture:12.")
        return subject

    def clean_actor(self) -> str:
        return self.cleaned_data["actor"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date cannot be before the start date.")
            cleaned.pop("until", None)
        return cleaned


# Appreciation days


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


class DayForm(ServiceForm):
    title = LineField(max_length=200)
    description = TextField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What customers and staff can expect. Shown on the invitation page.",
    )
    starts_at = DateTimeLocalField(label="Starts")
    ends_at = DateTimeLocalField(label="Ends")
    venue = LineField(
        max_length=300, required=False, help_text="Where it happens; or give an online link."
    )
    online_link = WebAddressField(
        label="Online link (optional)", max_length=500, required=False, assume_scheme="https"
    )
    capacity = WholeNumberField(label="Seats for customers", min_value=0, max_value=100_000)
    max_party_size = WholeNumberField(
        label="Largest party",
        min_value=1,
        max_value=20,
        initial=4,
        help_text="How many people one registration may bring, themselves included (1 to 20).",
    )
    registration_opens_at = DateTimeLocalField(
        label="Registration opens", required=False, help_text="Now, if left empty."
    )
    registration_closes_at = DateTimeLocalField(
        label="Registration closes",
        required=False,
        help_text="When the day starts, if left empty.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The day must end after it starts.")
        return cleaned


class ShiftForm(ServiceForm):
    role = LineField(max_length=120, help_text="For example: greeter, host, photographer.")
    starts_at = DateTimeLocalField(label="Starts")
    ends_at = DateTimeLocalField(label="Ends")
    capacity = WholeNumberField(label="People needed", min_value=1, max_value=500, initial=2)
    description = TextField(
        label="What it involves (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The shift must end after it starts.")
        return cleaned


class InvitationForm(ServiceForm):
    label = LineField(max_length=120, help_text="Who it is for, e.g. “Loyalty newsletter, June”.")
    max_uses = WholeNumberField(
        label="Most registrations (optional)",
        min_value=1,
        max_value=100_000,
        required=False,
        help_text="Leave empty for no limit.",
    )
    expires_at = DateTimeLocalField(
        label="Stops working at (optional)", required=False, help_text="Leave empty to keep it."
    )


class CancelDayForm(ServiceForm):
    reason = TextField(
        label="Why (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sent to the customers and staff who are told.",
    )


class OrganiserForm(ServiceForm):
    person = ChoiceOfField(
        label="Add an organiser",
        queryset=User.objects.none(),
        empty_label="Choose an organiser",
        error_messages={"invalid_choice": "Choose one of the listed organisers."},
    )

    def __init__(self, *args, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.active()
            .filter(org_roles__role__in=["organiser", "admin"])
            .exclude(organised_days=day)
            .distinct()
            .order_by("name", "email")
        )
        self.fields["person"].label_from_instance = lambda user: f"{user.name} ({user.email})"


class RegistrationForm(ServiceForm):
    """What a customer types at an invitation link. No account needed."""

    name = LineField(
        label="Your name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = EmailAddressField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send your confirmation and your private link here.",
        error_messages={"invalid": "Enter an e-mail address such as name@example.com."},
    )
    party_size = forms.TypedChoiceField(label="How many of you are coming?", coerce=int)
    accessibility_needs = TextField(
        label="Accessibility needs (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Step-free access, a hearing loop, a quiet space: tell us, we will arrange it.",
    )
    dietary_needs = TextField(
        label="Dietary needs (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to agree, so that we may keep your details."}
    )

    def __init__(self, *args, max_party_size: int, retention_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        party = self.fields["party_size"]
        party.choices = [(n, str(n)) for n in range(1, max_party_size + 1)]
        party.help_text = f"Yourself included; up to {max_party_size}."
        party.error_messages["invalid_choice"] = (
            f"Choose how many are coming: 1 to {max_party_size}."
        )
        self.fields["consent"].label = (
            "I agree that the organisers keep my name, e-mail address and the needs I gave to "
            f"run this day, and erase them {retention_days} days after it."
        )


class ResendLinkForm(forms.Form):
    """A customer who lost their confirmation asks for their private link again. Shown beside
    the registration form, so its field is prefixed (``id_resend-email``) to keep ids unique."""

    prefix = "resend"

    # Not "Your e-mail address": the registration form beside it has a field by that name.
    email = EmailAddressField(
        label="The e-mail address you registered with",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an e-mail address such as name@example.com."},
    )


class RegistrationSearchForm(forms.Form):
    q = LineField(label="Search by name or e-mail", max_length=254, required=False)


class DoorSearchForm(RegistrationSearchForm):
    """The door's search, focused when the page opens: staff type the next name at once."""

    q = LineField(
        label="Search by name or e-mail",
        max_length=254,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autofocus": True,
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
    )


def focus_first_error(form: forms.Form) -> None:
    """Put the cursor in the first field to correct when a refused form comes back inline:
    htmx moves focus to an ``autofocus`` element of what it swaps in."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["autofocus"] = True
            return
