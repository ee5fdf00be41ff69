"""Start the test provider: ``python -m devtools.oidc_provider --people people.json ...``.

It prepares its data directory (a new RS256 signing key and secret key when there are none, the
SQLite database, the one client application, the people) and then serves on 127.0.0.1 until it
is stopped. ``--people`` is a JSON list of objects with ``email``, ``password``, ``name``,
``email_verified`` (default true) and ``groups`` (default none); the e-mail address is also the
user name on the provider's login page.
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devtools.oidc_provider")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--dir", help="data directory (default: a new temporary one)")
    parser.add_argument("--client-id", default="portal")
    parser.add_argument("--client-secret", default="portal-test-secret")
    parser.add_argument(
        "--redirect-uri",
        action="append",
        required=True,
        help="the portal's callback; any port is accepted on 127.0.0.1 (RFC 8252)",
    )
    parser.add_argument("--people", type=Path, help="JSON file with the people who may sign in")
    parser.add_argument(
        "--skip-consent",
        action="store_true",
        help="do not ask people to allow the portal (the default is to ask)",
    )
    return parser.parse_args(argv)


def _prepare_directory(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    key_file = directory / "signing-key.pem"
    if not key_file.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    secret_file = directory / "secret-key.txt"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")


def _load(options: argparse.Namespace) -> None:
    # Only once Django is set up.
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    from devtools.oidc_provider.models import Claims

    call_command("migrate", run_syncdb=True, verbosity=0)
    application_model = get_application_model()
    application_model.objects.filter(client_id=options.client_id).delete()
    application_model.objects.create(
        name="Appreciation Portal",
        client_id=options.client_id,
        client_secret=options.client_secret,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(options.redirect_uri),
        algorithm=application_model.RS256_ALGORITHM,
        skip_authorization=options.skip_consent,
    )
    people = json.loads(options.people.read_text(encoding="utf-8")) if options.people else []
    user_model = get_user_model()
    for person in people:
        user, _ = user_model.objects.get_or_create(username=person["email"])
        user.email = person["email"]
        user.set_password(person["password"])
        user.save()
        Claims.objects.update_or_create(
            user=user,
            defaults={
                "name": person.get("name", person["email"]),
                "email_verified": person.get("email_verified", True),
                "groups": person.get("groups", []),
            },
        )


def main(argv: list[str]) -> None:
    options = _arguments(argv)
    directory = Path(options.dir or tempfile.mkdtemp(prefix="test-oidc-provider-"))
    _prepare_directory(directory)
    issuer = f"http://127.0.0.1:{options.port}/o"
    os.environ["OIDC_PROVIDER_DIR"] = str(directory)
    os.environ["OIDC_PROVIDER_ISSUER"] = issuer
    os.environ["DJANGO_SETTINGS_MODULE"] = "devtools.oidc_provider.settings"

    import django
    from django.core.management import call_command

    django.setup()
    _load(options)
    print(f"Test OpenID Connect provider: issuer {issuer} (data in {directory})", flush=True)
    call_command("runserver", f"127.0.0.1:{options.port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main(sys.argv[1:])
