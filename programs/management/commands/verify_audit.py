import sys

from django.core.management.base import BaseCommand

from programs.audit import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain; exit 1 naming the first broken entry."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(f"OK: {report.entries} audit entries, chain intact.")
            )
            return
        self.stderr.write(
            self.style.ERROR(
                f"BROKEN at entry #{report.first_broken_seq}: {report.problem} "
                f"({report.entries} entries read)."
            )
        )
        sys.exit(1)
