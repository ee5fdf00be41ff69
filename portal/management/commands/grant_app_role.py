import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

AUDIT_TABLE = "programs_auditentry"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Command(BaseCommand):
    help = (
        "Give a PostgreSQL role what the web app and the worker need, and on the audit trail "
        "only SELECT and INSERT. Run it as the role that owns the tables (the one that runs "
        "migrate), after each migrate; then run the portal as ROLE. Not owning the audit table, "
        "ROLE cannot disable its append-only trigger, and without the UPDATE, DELETE and "
        "TRUNCATE privileges it cannot change or empty it at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="An existing role, e.g. portal_app.")
        parser.add_argument(
            "--sql", action="store_true", help="Print the statements instead of running them."
        )

    def handle(self, *args, role: str, sql: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter; this database is not one.")
        if not ROLE_NAME.match(role):
            raise CommandError("Give a plain role name: lower-case letters, digits and _.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_database(), current_schema(), "
                "(SELECT tableowner FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename = %s)",
                [AUDIT_TABLE],
            )
            database, schema, owner = cursor.fetchone()
            if owner is None:
                raise CommandError(f"{AUDIT_TABLE} does not exist yet: run migrate first.")
            cursor.execute(
                "SELECT rolsuper, pg_has_role(oid, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
                [owner, role],
            )
            found = cursor.fetchone()
        statements = grants(role=role, database=database, schema=schema)
        if sql:
            self.stdout.write("\n".join(f"{statement};" for statement in statements))
            return
        if found is None:
            raise CommandError(
                f"There is no role {role!r}. Create it first, e.g. "
                f"CREATE ROLE {role} LOGIN PASSWORD '…';"
            )
        superuser, owns = found
        if superuser or owns:
            raise CommandError(
                f"{role!r} is a superuser or a member of {owner!r}, which owns the audit table: "
                "it could disable the append-only trigger. Give the portal a role of its own."
            )
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(
                f"{role} may read and write the portal's tables in {database}, and only read "
                f"and append to {AUDIT_TABLE}. Run this again after each migrate."
            )
        )


def grants(*, role: str, database: str, schema: str) -> list[str]:
    who, db, where, audit = _quoted(role), _quoted(database), _quoted(schema), _quoted(AUDIT_TABLE)
    return [
        f"GRANT CONNECT ON DATABASE {db} TO {who}",
        f"GRANT USAGE ON SCHEMA {where} TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {where} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
        # Tables a later migrate creates (as this owner) are the app's to use as well.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT USAGE, SELECT ON SEQUENCES TO {who}",
        # Last, so that nothing above (or granted by hand before) is left on the audit trail.
        f"REVOKE ALL ON {where}.{audit} FROM {who}",
        f"GRANT SELECT, INSERT ON {where}.{audit} TO {who}",
    ]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
