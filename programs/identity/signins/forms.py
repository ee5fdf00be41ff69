from django import forms


class LogOutEverywhereForm(forms.Form):
    """Shown on the recent sign-ins page; handled by ``sessions.views``."""

    revoke_tokens = forms.BooleanField(
        label="Also revoke all my personal API tokens",
        required=False,
        help_text="Scripts and tools that use them stop working until you give them new ones.",
    )
