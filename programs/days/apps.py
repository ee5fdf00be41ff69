from django.apps import AppConfig


class DaysConfig(AppConfig):
    name = "programs.days"
    label = "days"
    verbose_name = "Appreciation days"
