from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.audit.checkpoints import ChainBroken, checkpoint_audit


class Command(BaseCommand):
    help = (
        "Append the audit chain's head, signed with the audit key, to AUDIT_CHECKPOINT_FILE and "
        "e-mail it to AUDIT_CHECKPOINT_EMAILS (also a Celery beat job). Writes nothing when "
        "nothing was added since the last checkpoint; exits 1, anchoring nothing, if the chain "
        "since then does not verify."
    )

    def handle(self, *args, **options):
        try:
            result = checkpoint_audit()
        except ChainBroken as error:
            raise CommandError(str(error)) from error
        checkpoint = result.checkpoint
        if checkpoint is None:
            self.stdout.write("No audit entries yet; nothing to anchor.")
        elif result.written:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checkpoint written: entry #{checkpoint.seq} {checkpoint.hash} "
                    f"at {checkpoint.at}, to {settings.AUDIT_CHECKPOINT_FILE}."
                )
            )
        else:
            self.stdout.write(
                f"Nothing new since the checkpoint of entry #{checkpoint.seq} ({checkpoint.at})."
            )
