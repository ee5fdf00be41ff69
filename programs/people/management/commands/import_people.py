"""``manage.py import_people FILE.csv [--apply]``: the CSV import of /people/import/ from the
command line. Without ``--apply`` it only previews; with it, it applies what the preview allows,
acting as the system (each change audited, naming the import)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.errors import ApplicationError
from programs.people import imports
from programs.people.models import LineOutcome


class Command(BaseCommand):
    help = "Preview (and with --apply, apply) a CSV file of people: email,name,team,role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="Make the changes.")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            run = imports.preview_import(data=data, filename=path.name, actor=None)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in run.lines:
            if line["outcome"] != LineOutcome.UNCHANGED:
                reasons = "; ".join(line["reasons"])
                self.stdout.write(
                    f"line {line['line']}: {line['outcome']} {line['email']}: {reasons}"
                )
        self.stdout.write(
            f"{run.to_create} to create, {run.to_change} to change, {run.unchanged} unchanged, "
            f"{run.refused} refused."
        )
        if not options["apply"]:
            self.stdout.write("Nothing changed (a preview). Run again with --apply to apply it.")
            return
        imports.queue_import(run=run, actor=None)
        run = imports.apply_import(run.pk)
        results = [line.get("result") for line in run.lines]
        self.stdout.write(
            f"Applied: {results.count(LineOutcome.CREATE)} created, "
            f"{results.count(LineOutcome.CHANGE)} changed, "
            f"{results.count(LineOutcome.REFUSED)} refused on the way."
        )
