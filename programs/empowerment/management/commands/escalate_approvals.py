from django.core.management.base import BaseCommand

from programs.empowerment.services.delegations import apply_started_delegations
from programs.empowerment.services.escalations import escalate_overdue


class Command(BaseCommand):
    help = (
        "Move open requests of managers whose delegation has started to their delegate, and "
        "escalate manager steps undecided after the programme's hours to finance. Safe to repeat."
    )

    def handle(self, *args, **options):
        reassigned = apply_started_delegations()
        escalated = escalate_overdue()
        self.stdout.write(f"{reassigned} requests reassigned, {escalated} escalated.")
