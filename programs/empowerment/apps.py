from django.apps import AppConfig


class EmpowermentConfig(AppConfig):
    name = "programs.empowerment"
    label = "empowerment"
    verbose_name = "Empowerment: programmes, budgets, gestures and approvals"
