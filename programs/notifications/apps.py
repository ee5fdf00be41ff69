from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "programs.notifications"
    label = "notifications"
    verbose_name = "Notifications and the outbox"
