"""allauth.mfa's signals become sign-in events (the MFA pages themselves are configured
elsewhere; here the signals are sent as allauth sends them)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)

from programs.identity.signins.models import EventKind, Method, SignInEvent


@pytest.mark.parametrize(
    ("signal", "kind"),
    [
        (authenticator_added, EventKind.MFA_ADDED),
        (authenticator_removed, EventKind.MFA_REMOVED),
        (authenticator_reset, EventKind.MFA_RESET),
        (authentication_failed, EventKind.MFA_FAILED),
    ],
)
def test_each_mfa_signal_is_recorded_with_the_kind_of_authenticator(agent, rf, signal, kind):
    authenticator = Authenticator(user=agent, type=Authenticator.Type.TOTP, data={})
    signal.send(
        sender=Authenticator,
        request=rf.get("/", REMOTE_ADDR="10.0.0.7"),
        user=agent,
        authenticator=authenticator,
    )

    [event] = SignInEvent.objects.of(agent)
    assert (event.kind, event.method, event.detail) == (kind, Method.MFA, "totp")
    assert event.ip == "10.0.0.7"
