"""The audit page's filters."""

from django import forms
from django.core.exceptions import ValidationError

from portal.forms import DayField, LineField
from programs.audit.selectors import parse_subject


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
