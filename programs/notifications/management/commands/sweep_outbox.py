from django.core.management.base import BaseCommand

from programs.notifications.delivery import sweep


class Command(BaseCommand):
    help = "Send notifications that have waited too long (the broker or a worker was down)."

    def handle(self, *args, **options):
        self.stdout.write(f"{sweep()} notifications sent.")
