"""The dashboards' filters, from the query string; the CSV downloads and the API take the same."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Team
from portal.forms import ChoiceOfField, DayField, MonthField, WholeNumberField
from programs.insights.selectors import UNUSED_DAYS


class InsightFilterForm(forms.Form):
    since = DayField(label="From", required=False)
    until = DayField(label="To", required=False)
    team = ChoiceOfField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="My teams or all"
    )
    days = WholeNumberField(
        label="Quiet for at least (days)",
        required=False,
        min_value=1,
        max_value=366,
        help_text=f"For unused empowerment; {UNUSED_DAYS} unless you choose.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError({"until": "Choose a date on or after the first."})
        return data

    def filters(self) -> dict:
        """What the selectors take; a field that does not clean filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "since": data.get("since"),
            "until": data.get("until"),
            "team_id": data["team"].pk if data.get("team") else None,
            "days": data.get("days") or UNUSED_DAYS,
        }


class ExportForm(forms.Form):
    """Which period (and team) an export covers, from the query string."""

    period = MonthField(label="Period", required=False, help_text="Any month of the period.")
    team = ChoiceOfField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="My teams or all"
    )
