from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "programs.people"
    label = "people"
    verbose_name = "People and teams"
