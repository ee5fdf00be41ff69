"""Forms for the empowerment pages. They check what a person typed; the services decide.

A service may still refuse what a form let through (a limit, a race, a rule that needs the
database): :meth:`ServiceForm.show_error` puts its message beside the field it names, so the
page shows every error in the same place and keeps what was typed.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Team, TeamRole, User
from portal.errors import ApplicationError, InvalidInput
from programs.formatting import money
from programs.models import Channel, OutcomeRating, Programme
from programs.models.money import MAX_AMOUNT
from programs.selectors.programmes import categories
from programs.validation import OLDEST_GESTURE, clean_amount, clean_past_date

TEXT_LIMIT = 2000


class ServiceForm(forms.Form):
    def show_error(self, error: ApplicationError, *, field: str | None = None) -> None:
        """Show a service's refusal beside the fields it names, or beside ``field``."""
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
