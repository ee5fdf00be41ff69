from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """The package of the portal's contexts (empowerment, days, notifications, audit, people).

    Its own label keeps the migration history that created the tables; since the contexts became
    apps of their own (migration 0011), it holds no models.
    """

    name = "programs"
    verbose_name = "Programmes (migration history)"
