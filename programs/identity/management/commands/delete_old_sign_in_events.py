from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.identity.signins.services import delete_old_sign_in_events


class Command(BaseCommand):
    help = (
        "Delete sign-in events older than SIGN_IN_EVENT_RETENTION_DAYS (default 90) days. "
        "Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days to keep sign-in events (overrides the setting).",
        )

    def handle(self, *args, days: int | None = None, **options):
        keep = settings.SIGN_IN_EVENT_RETENTION_DAYS if days is None else days
        if keep < 0:
            raise CommandError("--days cannot be negative.")
        deleted = delete_old_sign_in_events(days=keep)
        noun = "event" if deleted == 1 else "events"
        self.stdout.write(f"{deleted} sign-in {noun} older than {keep} days deleted.")
