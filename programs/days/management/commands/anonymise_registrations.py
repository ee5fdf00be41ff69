from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.days.services.registrations import anonymise_registrations


class Command(BaseCommand):
    help = (
        "Erase customers' names, e-mail addresses and notes for appreciation days that ended "
        "more than REGISTRATION_RETENTION_DAYS (default 90) days ago, keeping the counts. "
        "Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days after a day ends to keep its registrations (overrides the setting).",
        )

    def handle(self, *args, days: int | None = None, **options):
        keep = settings.REGISTRATION_RETENTION_DAYS if days is None else days
        if keep < 0:
            raise CommandError("--days cannot be negative.")
        report = anonymise_registrations(older_than_days=keep)
        noun = "registration" if report.registrations == 1 else "registrations"
        self.stdout.write(
            f"{report.registrations} {noun} of {report.days} days anonymised "
            f"(days that ended more than {keep} days ago)."
        )
