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
from programs.formatting import day_label, money
from programs.models import Channel, OutcomeRating, Programme
from programs.models.money import MAX_AMOUNT
from programs.selectors.audit import parse_subject
from programs.selectors.programmes import categories
from programs.validation import OLDEST_GESTURE, clean_amount, clean_past_date

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


class MonthField(forms.DateField):
    """A month, as ``<input type=month>`` sends it (``2026-05``); cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a month such as 2026-05."}

    def to_python(self, value) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class GestureForm(ServiceForm):
    category = forms.ModelChoiceField(
        queryset=categories(),
        to_field_name="slug",
        empty_label="Choose a category",
        error_messages={"invalid_choice": "Choose one of the listed categories."},
    )
    channel = forms.ChoiceField(choices=[("", "Choose a channel"), *Channel.choices])
    customer_ref = forms.CharField(
        label="Customer reference",
        max_length=64,
        help_text="The ticket or CRM number.",
    )
    customer_name = forms.CharField(
        label="Customer name (optional)",
        max_length=150,
        required=False,
        help_text="Only if it helps; it is personal data.",
    )
    situation = forms.CharField(
        label="The customer’s situation",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    action = forms.CharField(
        label="What you did",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = forms.CharField(
        label="Outcome (optional)",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the customer said, if you know yet. You can add it later.",
    )
    cost = AmountField(help_text="0 if it cost nothing.")
    occurred_on = forms.DateField(
        label="Date it happened",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

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
            self.fields["team"] = forms.ModelChoiceField(
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
    outcome = forms.CharField(
        label="What the customer said",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BudgetAllocationForm(ServiceForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That team no longer exists."},
    )
    # The page chooses the period; each team's row carries it along.
    period_start = MonthField(label="Period", widget=forms.HiddenInput)
    amount = AmountField(label="Budget")


class AllowanceForm(ServiceForm):
    agent = forms.ModelChoiceField(
        queryset=User.objects.none(),
        empty_label="Choose an agent",
        error_messages={"invalid_choice": "Choose an agent of this team."},
    )
    amount = AmountField(label="Allowance this period")
    reason = forms.CharField(
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
    reason = forms.CharField(
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Finance reads this when they decide.",
    )


class PeriodForm(forms.Form):
    """The budget period a page shows, from ``?period=2026-05``."""

    period = MonthField(label="Period", required=False)


class ApproveForm(ServiceForm):
    comment = forms.CharField(
        label="Comment (optional)",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The person who asked reads it with the decision.",
    )


class DeclineForm(ServiceForm):
    reason = forms.CharField(
        label="Why not?",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to decline. The person who asked reads it with the decision.",
        error_messages={"required": "Give a reason: the person who asked will read it."},
    )


class ConcernForm(ServiceForm):
    note = forms.CharField(
        label="What concerns you?",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what concerns you, so it can be followed up."},
    )


# A delegation covers an absence, however long; a last day years away is a typing slip.
LONGEST_DELEGATION = timedelta(days=730)
# The trail began in this century; a date outside these is a typing slip, not a query.
AUDIT_DAYS = (date(2000, 1, 1), date(2100, 12, 31))


class DelegationForm(ServiceForm):
    delegate = forms.ModelChoiceField(
        label="Who decides for you",
        queryset=User.objects.none(),
        empty_label="Choose a manager",
        error_messages={"invalid_choice": "Choose one of the listed managers."},
    )
    starts_on = forms.DateField(
        label="First day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="Last day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

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

    subject = forms.CharField(
        required=False,
        max_length=82,
        help_text="Type and number, e.g. gesture:12 or budgetrequest:3.",
    )
    action = forms.ChoiceField(required=False)
    actor = forms.CharField(
        label="Person",
        required=False,
        max_length=254,
        help_text="E-mail address; also finds what a delegate did for them.",
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )
    since = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

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
        for name in ("since", "until"):
            day = cleaned.get(name)
            if day and not AUDIT_DAYS[0] <= day <= AUDIT_DAYS[1]:
                self.add_error(name, "Enter a date between 2000 and 2100.")
                cleaned.pop(name, None)
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date cannot be before the start date.")
            cleaned.pop("until", None)
        return cleaned


# Appreciation days


class DateTimeLocalField(forms.DateTimeField):
    """A date and time as ``<input type=datetime-local>`` sends it, in the portal's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    default_error_messages = {"invalid": "Enter a date and time such as 2026-06-12 10:00."}


class WholeNumberField(forms.IntegerField):
    """A count typed into a text box with the numeric keypad (see AmountField for why)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {"invalid": "Enter a whole number."}


class DayForm(ServiceForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What customers and staff can expect. Shown on the invitation page.",
    )
    starts_at = DateTimeLocalField(label="Starts")
    ends_at = DateTimeLocalField(label="Ends")
    venue = forms.CharField(
        max_length=300, required=False, help_text="Where it happens; or give an online link."
    )
    online_link = forms.URLField(
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
    role = forms.CharField(max_length=120, help_text="For example: greeter, host, photographer.")
    starts_at = DateTimeLocalField(label="Starts")
    ends_at = DateTimeLocalField(label="Ends")
    capacity = WholeNumberField(label="People needed", min_value=1, max_value=500, initial=2)
    description = forms.CharField(
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
    label = forms.CharField(
        max_length=120, help_text="Who it is for, e.g. “Loyalty newsletter, June”."
    )
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
    reason = forms.CharField(
        label="Why (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sent to the customers and staff who are told.",
    )


class OrganiserForm(ServiceForm):
    person = forms.ModelChoiceField(
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

    name = forms.CharField(
        label="Your name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send your confirmation and your private link here.",
        error_messages={"invalid": "Enter an e-mail address such as name@example.com."},
    )
    party_size = forms.TypedChoiceField(label="How many of you are coming?", coerce=int)
    accessibility_needs = forms.CharField(
        label="Accessibility needs (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Step-free access, a hearing loop, a quiet space: tell us, we will arrange it.",
    )
    dietary_needs = forms.CharField(
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


class RegistrationSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or e-mail", max_length=254, required=False)


def focus_first_error(form: forms.Form) -> None:
    """Put the cursor in the first field to correct when a refused form comes back inline:
    htmx moves focus to an ``autofocus`` element of what it swaps in."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["autofocus"] = True
            return
