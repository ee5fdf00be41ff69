from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Empowerment programmes and appreciation days"

    def ready(self) -> None:
        from programs import calendar
        from programs.services.notifications import ATTACHMENTS

        # Customers' e-mails about a place carry the calendar file; staff reminders the shift's.
        for kind in ("registration_confirmed", "registration_promoted", "day_reminder"):
            ATTACHMENTS[kind] = calendar.registration_attachment
        ATTACHMENTS["shift_reminder"] = calendar.shift_attachment
