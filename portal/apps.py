from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.urls import register_converter


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal.converters import IdConverter, TokenConverter

        # Before any URLconf is read: the pages and the API use <token:...> and <id:...>.
        register_converter(TokenConverter, "token")
        register_converter(IdConverter, "id")
        # The embedded default keeps its database, cache and broker queue under var/.
        for folder in (
            Path(settings.VAR_DIR),
            Path(settings.VAR_DIR) / "celery" / "queue",
            Path(settings.STATIC_ROOT),
        ):
            folder.mkdir(parents=True, exist_ok=True)
