from django.core.management.base import BaseCommand

from programs.empowerment.services.budgets import roll_over_budgets


class Command(BaseCommand):
    help = "Open this period's team budgets from last period's amounts where none exists yet."

    def handle(self, *args, **options):
        self.stdout.write(f"{roll_over_budgets()} budgets opened.")
