from django.core.management.base import BaseCommand

from programs.stories.services import send_thanks_digest


class Command(BaseCommand):
    help = (
        "Queue this week's thanks digest for every agent whose stories were thanked. Running it "
        "again the same week adds nothing."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_thanks_digest()} thanks digests queued.")
