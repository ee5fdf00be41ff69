from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "programs.insights"
    label = "insights"
    verbose_name = "Insights"
