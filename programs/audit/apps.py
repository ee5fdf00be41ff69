from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "programs.audit"
    label = "audit"
    verbose_name = "Audit trail"
