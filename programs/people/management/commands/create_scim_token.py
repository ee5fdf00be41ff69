"""``manage.py create_scim_token NAME``: a provisioning token for an identity provider's SCIM
client. The key is printed once; only its hash is kept."""

from django.core.management.base import BaseCommand

from programs.people.provisioning import create_provisioning_token


class Command(BaseCommand):
    help = "Create a SCIM provisioning token and print its key (shown once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="What the token is for, e.g. 'Entra ID'.")

    def handle(self, *args, **options) -> None:
        issued = create_provisioning_token(name=options["name"], actor=None)
        self.stdout.write(
            f"Token “{issued.token.name}” created. Give this key to the identity provider as "
            "its bearer token; it is not shown again:"
        )
        self.stdout.write(issued.key)
