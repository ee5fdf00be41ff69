from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """How people prove who they are: single sign-on, two-factor, API tokens, sessions."""

    name = "programs.identity"
    label = "identity"
    verbose_name = "Sign-in and identity"

    def ready(self) -> None:
        from programs.identity import checks, signals  # noqa: F401 — registers them
        from programs.identity.api_tokens import (  # noqa: F401 — registers its receiver
            authentication,
            services,
        )
        from programs.identity.sessions import limits  # noqa: F401 — registers its receiver
        from programs.identity.signins import receivers  # noqa: F401 — registers them
