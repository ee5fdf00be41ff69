from django.core.management.base import BaseCommand

from programs.empowerment.services.digests import send_weekly_digest


class Command(BaseCommand):
    help = (
        "Queue this week's digest for every manager. Running it again the same week adds nothing."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_weekly_digest()} digests considered.")
