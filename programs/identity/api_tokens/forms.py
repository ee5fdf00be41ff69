from portal.forms import LineField, ServiceForm
from programs.identity.api_tokens.services import NAME_LENGTH


class PersonalTokenForm(ServiceForm):
    name = LineField(
        label="Name",
        max_length=NAME_LENGTH,
        help_text="What will use it, so you know which to revoke later: “Helpdesk script”.",
    )
