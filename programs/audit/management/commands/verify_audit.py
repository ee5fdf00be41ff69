import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from programs.audit.trail import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain and hold it against the signed checkpoints; "
        "exit 1 naming the first problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint-file",
            action="append",
            type=Path,
            default=[],
            dest="checkpoint_files",
            metavar="FILE",
            help="More checkpoints to check against, besides AUDIT_CHECKPOINT_FILE (e.g. the "
            "files attached to the checkpoint e-mails). May be given more than once.",
        )

    def handle(self, *args, checkpoint_files: list[Path], **options):
        report = verify_chain(checkpoint_files=checkpoint_files)
        if not report.ok:
            where = (
                f"BROKEN at entry #{report.first_broken_seq}"
                if report.first_broken_seq
                else "BROKEN"
            )
            self.stderr.write(
                self.style.ERROR(f"{where}: {report.problem} ({report.entries} entries read).")
            )
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"OK: {report.entries} audit entries, chain intact."))
        if report.last_checkpoint is None:
            self.stdout.write(
                f"No checkpoint yet in {settings.AUDIT_CHECKPOINT_FILE}: entries cut from the "
                "end would not show. Run `manage.py checkpoint_audit`."
            )
        else:
            self.stdout.write(
                f"Matches every checkpoint, the newest at entry #{report.last_checkpoint}."
            )
        if report.unkeyed:
            self.stdout.write(
                f"{report.unkeyed} early entries were written before the chain was keyed "
                "(plain SHA-256); only checkpoints taken since protect them."
            )
