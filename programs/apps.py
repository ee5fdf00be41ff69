from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Empowerment programmes and appreciation days"

    def ready(self) -> None:
        from programs import calendar
        from programs.services.delivery import ATTACHMENTS

        # Customers' e-mails about a place carry the calendar file; staff reminders the shift's.
        for kind in ("registration_confirmed", "registration_promoted", "day_reminder"):
            ATTACHMENTS[kind] = calendar.registration_attachment
        ATTACHMENTS["shift_reminder"] = calendar.shift_attachment
        # The checkpoint as a file, ready to give `verify_audit --checkpoint-file`.
        ATTACHMENTS["audit_checkpoint"] = checkpoint_attachment


def checkpoint_attachment(notification) -> list[tuple[str, bytes, str]]:
    context = notification.context
    return [
        (f"audit-checkpoint-{context['seq']}.jsonl", f"{context['line']}\n".encode(), "text/plain")
    ]
