"""allauth's WebAuthn forms, with a credential field that refuses what no browser sends (too
long, or nested deeper than Python's JSON reader goes) as a form error, never a server error.
Named in ``MFA_FORMS``."""

from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    LoginWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from django import forms
from django.core.exceptions import ValidationError
from typing_extensions import override

# A credential is a few kilobytes of JSON (an attestation with its certificates at most).
CREDENTIAL_MAX_LENGTH = 64 * 1024


class CredentialField(forms.JSONField):
    def __init__(self, **kwargs) -> None:
        super().__init__(required=True, widget=forms.HiddenInput, **kwargs)

    @override
    def to_python(self, value):
        if isinstance(value, str) and len(value) > CREDENTIAL_MAX_LENGTH:
            raise ValidationError("That is not a security key's answer.", code="invalid")
        try:
            return super().to_python(value)
        except RecursionError:
            raise ValidationError("That is not a security key's answer.", code="invalid") from None


class PortalAddWebAuthnForm(AddWebAuthnForm):
    credential = CredentialField()


class PortalAuthenticateWebAuthnForm(AuthenticateWebAuthnForm):
    credential = CredentialField()


class PortalLoginWebAuthnForm(LoginWebAuthnForm):
    credential = CredentialField()


class PortalReauthenticateWebAuthnForm(ReauthenticateWebAuthnForm):
    credential = CredentialField()
