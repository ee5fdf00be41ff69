from django.core.management.base import BaseCommand

from programs.days.services.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Queue reminders for customers and staff whose day or shift starts within 24 hours. "
        "Each is sent once however often this runs."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminders queued.")
