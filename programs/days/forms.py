"""Forms for appreciation days: organising a day, its shifts and invitations, and customers
registering. They check what a person typed; the services decide."""

from django import forms

from accounts.models import User
from portal.forms import (
    ChoiceOfField,
    DateTimeLocalField,
    EmailAddressField,
    LineField,
    ServiceForm,
    TextField,
    WebAddressField,
    WholeNumberField,
)


class _StartsAndEnds(ServiceForm):
    """A form for something that starts and ends (``starts_at``, ``ends_at``): the end comes
    after the start. ``span`` names the thing in the message."""

    span = ""

    def clean(self) -> dict:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", f"The {self.span} must end after it starts.")
        return cleaned


class DayForm(_StartsAndEnds):
    span = "day"

    title = LineField(max_length=200)
    description = TextField(
        max_length=5000,
        required=False,
        rows=4,
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


class ShiftForm(_StartsAndEnds):
    span = "shift"

    role = LineField(max_length=120, help_text="For example: greeter, host, photographer.")
    starts_at = DateTimeLocalField(label="Starts")
    ends_at = DateTimeLocalField(label="Ends")
    capacity = WholeNumberField(label="People needed", min_value=1, max_value=500, initial=2)
    description = TextField(
        label="What it involves (optional)",
        max_length=1000,
        required=False,
        rows=2,
    )


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
        rows=2,
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
        rows=2,
        help_text="Step-free access, a hearing loop, a quiet space: tell us, we will arrange it.",
    )
    dietary_needs = TextField(
        label="Dietary needs (optional)",
        max_length=1000,
        required=False,
        rows=2,
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
