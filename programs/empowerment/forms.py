"""Forms for the empowerment pages: gestures, budgets, allowances, approvals, delegations. They
check what a person typed; the services decide."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Team, TeamRole, User
from portal.errors import InvalidInput
from portal.formatting import day_label, money
from portal.forms import (
    AmountField,
    ChoiceOfField,
    DayField,
    LineField,
    MonthField,
    ReferenceField,
    ServiceForm,
    TextField,
)
from portal.validation import (
    OLDEST_GESTURE,
    clean_past_date,
)
from portal.validators import TEXT_LIMIT
from programs.empowerment.models import (
    CHOOSE_CATEGORY,
    CUSTOMER_NAME_LIMIT,
    CUSTOMER_REF_LIMIT,
    Channel,
    OutcomeRating,
    Programme,
)
from programs.empowerment.selectors.programmes import categories


class GestureForm(ServiceForm):
    category = ChoiceOfField(
        queryset=categories(),
        to_field_name="slug",
        empty_label="Choose a category",
        error_messages={"invalid_choice": CHOOSE_CATEGORY},
    )
    channel = forms.ChoiceField(choices=[("", "Choose a channel"), *Channel.choices])
    customer_ref = ReferenceField(
        label="Customer reference",
        max_length=CUSTOMER_REF_LIMIT,
        help_text="The ticket or CRM number.",
    )
    customer_name = LineField(
        label="Customer name (optional)",
        max_length=CUSTOMER_NAME_LIMIT,
        required=False,
        help_text="Only if it helps; it is personal data.",
    )
    situation = TextField(label="The customer’s situation", max_length=TEXT_LIMIT, rows=4)
    action = TextField(label="What you did", max_length=TEXT_LIMIT, rows=4)
    outcome = TextField(
        label="Outcome (optional)",
        max_length=TEXT_LIMIT,
        required=False,
        rows=3,
        help_text="What the customer said, if you know yet. You can add it later.",
    )
    cost = AmountField(help_text="0 if it cost nothing.")
    occurred_on = DayField(label="Date it happened")
    keep_private = forms.BooleanField(
        label="Keep this story off the story wall",
        required=False,
        help_text="For a sensitive situation, such as a bereavement. You, your managers and "
        "finance still see the gesture.",
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
        rows=3,
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
        rows=2,
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
        rows=2,
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
        rows=2,
        help_text="The person who asked reads it with the decision.",
    )


class DeclineForm(ServiceForm):
    reason = TextField(
        label="Why not?",
        max_length=TEXT_LIMIT,
        rows=3,
        help_text="Needed to decline. The person who asked reads it with the decision.",
        error_messages={"required": "Give a reason: the person who asked will read it."},
    )


class ConcernForm(ServiceForm):
    note = TextField(
        label="What concerns you?",
        max_length=TEXT_LIMIT,
        rows=3,
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
