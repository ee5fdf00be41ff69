"""The forms of the people pages. Each offers only what the person using it may give: HR is
never offered the admin or finance role."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from accounts.models import RoleName, Team, TeamRole, User
from portal.errors import NotPermitted
from portal.forms import ChoiceOfField, EmailAddressField, LineField, ServiceForm
from programs.people import services as people


def grantable_roles(actor: User) -> list[tuple[str, str]]:
    """The organisation roles ``actor`` may grant, as choices."""
    choices = []
    for value, label in RoleName.choices:
        try:
            people.check_may_change_role(actor=actor, role=value, grant=True)
        except NotPermitted:
            continue
        choices.append((value, label))
    return choices


class PersonSearchForm(forms.Form):
    q = LineField(label="Search by name or e-mail", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everyone"), ("active", "Active"), ("inactive", "Deactivated")],
    )


class MembershipForm(ServiceForm):
    team = ChoiceOfField(queryset=Team.objects.all(), empty_label="Choose a team")
    role = forms.ChoiceField(label="Role in the team", choices=TeamRole.choices)


class RemoveTeamForm(forms.Form):
    team = ChoiceOfField(queryset=Team.objects.all())


class RolesForm(ServiceForm):
    """The organisation roles the actor may give or take away, ticked as the person holds them."""

    roles = forms.MultipleChoiceField(
        label="Organisation roles", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = grantable_roles(actor)


class InviteForm(ServiceForm):
    email = EmailAddressField(label="E-mail address", max_length=254)
    name = LineField(label="Name", max_length=150)
    team = ChoiceOfField(
        queryset=Team.objects.all(), required=False, empty_label="No team", label="Team"
    )
    team_role = forms.ChoiceField(
        label="Role in the team",
        required=False,
        choices=[("", "—"), *TeamRole.choices],
    )
    roles = forms.MultipleChoiceField(
        label="Organisation roles", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = grantable_roles(actor)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("team") and not cleaned.get("team_role"):
            self.add_error("team_role", "Choose agent or manager for the team.")
        if cleaned.get("team_role") and not cleaned.get("team") and "team" not in self.errors:
            self.add_error("team", "Choose the team this role is in.")
        return cleaned


class ProvisioningTokenForm(ServiceForm):
    name = LineField(
        label="What the token is for",
        max_length=100,
        help_text="The identity provider's SCIM client, e.g. “Entra ID”.",
    )


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="The same password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Who the password is for, so it is not allowed to look like their name or address.
        self.future = User(email=email, name=name)

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError("The two passwords differ.")
        return second

    def clean(self) -> dict:
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password and not self.errors:
            try:
                password_validation.validate_password(password, self.future)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, name, team, role (agent or manager with a team; organiser, "
        "finance or admin without one). UTF-8.",
    )
