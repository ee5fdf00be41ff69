"""The story wall's filters and the reason a manager gives for hiding a story."""

from django import forms

from accounts.models import Team
from portal.forms import ChoiceOfField, LineField, TextField
from portal.validators import TEXT_LIMIT
from programs.empowerment.models import Channel, OutcomeRating
from programs.empowerment.selectors.programmes import categories


class WallFilterForm(forms.Form):
    """The wall's filters, from the query string; the API takes the same ones."""

    q = LineField(label="Search", required=False, max_length=200)
    team = ChoiceOfField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="Every team"
    )
    category = ChoiceOfField(
        queryset=categories(), to_field_name="slug", required=False, empty_label="Any kind"
    )
    channel = forms.ChoiceField(choices=[("", "Any channel"), *Channel.choices], required=False)
    rating = forms.ChoiceField(
        label="Customer's reaction",
        choices=[("", "Any reaction"), *OutcomeRating.choices],
        required=False,
    )

    def filters(self) -> dict:
        """What the wall selector takes; a field that does not clean filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q", ""),
            "team_id": data["team"].pk if data.get("team") else None,
            "category": data["category"].slug if data.get("category") else "",
            "channel": data.get("channel", ""),
            "rating": data.get("rating", ""),
        }


class HideStoryForm(forms.Form):
    reason = TextField(
        label="Why take it off the wall?",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit trail. The agent's gesture itself does not change.",
    )
