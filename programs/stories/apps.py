from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "programs.stories"
    label = "stories"
    verbose_name = "Stories and thanks"
