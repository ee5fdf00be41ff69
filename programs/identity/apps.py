from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """How people prove who they are: single sign-on, two-factor, API tokens, sessions."""

    name = "programs.identity"
    label = "identity"
    verbose_name = "Sign-in and identity"

    def ready(self) -> None:
        from programs.identity import checks, signals  # noqa: F401 — registers them
