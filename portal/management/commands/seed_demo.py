from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.days.seeding import seed_appreciation_day
from programs.empowerment.seeding import seed_programme
from programs.identity.mfa.seeding import seed_two_factor
from programs.people.seeding import DEMO_PASSWORD, seed_people
from programs.stories.seeding import seed_thanks

SEEDS = Path(settings.BASE_DIR) / "seeds"


class Command(BaseCommand):
    help = "Load the demo organisation (people, teams, roles). Safe to run more than once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even under the production profile (demo passwords are public).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to load demo accounts with public passwords into production. "
                "Pass --allow-production if you really mean it."
            )
        people = seed_people(SEEDS / "people.toml")
        programme = seed_programme(
            programme_file=SEEDS / "programme.toml", gestures_file=SEEDS / "gestures.toml"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {people.people_created} people, {people.teams_created} teams, "
                f"{programme.budgets_allocated} budgets and {programme.gestures_logged} gestures "
                f"created (existing ones left as they were). Demo password: {DEMO_PASSWORD}"
            )
        )
        for email, secret in seed_two_factor(SEEDS / "people.toml").items():
            self.stdout.write(
                f"Two-factor authentication: {email} uses the authenticator secret {secret} "
                f"(oathtool --totp -b {secret} prints the code)."
            )
        thanks = seed_thanks(
            stories_file=SEEDS / "stories.toml", gestures_file=SEEDS / "gestures.toml"
        )
        self.stdout.write(f"Story wall: {thanks.thanks_given} thanks given.")
        day = seed_appreciation_day(SEEDS / "appreciation_day.toml")
        self.stdout.write(
            f"Appreciation day: {'created' if day.day_created else 'already there'}, "
            f"{day.shifts_added} shifts and {day.registrations_made} registrations added.\n"
            f"Customers register at: {day.invitation_url}"
        )
