from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.urls import register_converter


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal.converters import TokenConverter

        # Before any URLconf is read: programs' and the API's URLs use <token:...>.
        register_converter(TokenConverter, "token")
        # The embedded default keeps its database, cache and broker queue under var/.
        for folder in (
            Path(settings.VAR_DIR),
            Path(settings.VAR_DIR) / "celery" / "queue",
            Path(settings.STATIC_ROOT),
        ):
            folder.mkdir(parents=True, exist_ok=True)
