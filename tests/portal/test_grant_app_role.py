"""The web app's own PostgreSQL role: it uses every table, but cannot change, empty or
unprotect the audit trail. Proved by connecting as such a role."""

import secrets
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from programs.audit import trail
from programs.audit.models import AuditEntry
from programs.audit.trail import AuditAction

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles exist on PostgreSQL only"
)


@pytest.fixture
def app_role(transactional_db):
    """A login role of the test's own, dropped (with everything granted to it) afterwards."""
    name = f"portal_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


def connect_as(role: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=role,
        autocommit=True,
    )


REFUSED = [
    "ALTER TABLE programs_auditentry DISABLE TRIGGER ALL",
    "ALTER TABLE programs_auditentry DISABLE TRIGGER programs_auditentry_no_update_delete",
    "ALTER TABLE programs_auditentry DISABLE TRIGGER programs_auditentry_no_truncate",
    "DROP TRIGGER programs_auditentry_no_update_delete ON programs_auditentry",
    "SET session_replication_role = replica",
    "UPDATE programs_auditentry SET action = 'budget.forged'",
    "DELETE FROM programs_auditentry",
    # The test database allows TRUNCATE past the trigger (portal.allow_audit_truncate); the
    # role is refused before the trigger is asked, for want of the privilege.
    "TRUNCATE programs_auditentry",
    "TRUNCATE programs_auditentry CASCADE",
]


def test_the_app_role_cannot_change_empty_or_unprotect_the_audit_trail(app_role, manager, team):
    trail.record(action=AuditAction.BUDGET_CHANGED, actor=manager, subject=team, data={"n": 1})
    entries = AuditEntry.objects.count()
    assert entries >= 2
    call_command("grant_app_role", app_role)

    with connect_as(app_role) as app:
        assert app.execute("SHOW portal.allow_audit_truncate").fetchone() == ("on",)
        for statement in REFUSED:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)

        # It still reads the trail and appends to it.
        assert app.execute("SELECT count(*) FROM programs_auditentry").fetchone() == (entries,)
        app.execute(
            "INSERT INTO programs_auditentry (seq, at, action, subject_type, subject_id, data, "
            "prev_hash, hash, key_id) VALUES (%s, %s, 'budget.changed', 'team', '1', '{}', %s, "
            "%s, 'k1')",
            [entries + 1, timezone.now(), "0" * 64, secrets.token_hex(32)],
        )

    assert AuditEntry.objects.count() == entries + 1
    assert AuditEntry.objects.filter(action="budget.forged").count() == 0


def test_the_app_role_uses_every_other_table_in_full(app_role, manager):
    call_command("grant_app_role", app_role)

    with connect_as(app_role) as app:
        app.execute("UPDATE accounts_user SET name = 'Maya M.' WHERE id = %s", [manager.pk])
        app.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('k' || md5(random()::text), 'x', now())"
        )
        deleted = app.execute("DELETE FROM django_session").rowcount

    manager.refresh_from_db()
    assert manager.name == "Maya M."
    assert deleted == 1


def test_granting_twice_changes_nothing(app_role):
    call_command("grant_app_role", app_role)
    call_command("grant_app_role", app_role)

    with connect_as(app_role) as app, pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute("DELETE FROM programs_auditentry")


def test_a_role_that_could_disable_the_trigger_is_refused(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()

    with pytest.raises(CommandError, match="could disable the append-only trigger"):
        call_command("grant_app_role", owner)


def test_a_missing_role_is_named(transactional_db):
    with pytest.raises(CommandError, match="There is no role 'portal_nobody_here'"):
        call_command("grant_app_role", "portal_nobody_here")


def test_the_statements_can_be_printed_for_a_database_administrator(db, capsys):
    call_command("grant_app_role", "portal_app", sql=True)

    out = capsys.readouterr().out
    assert 'REVOKE ALL ON "public"."programs_auditentry" FROM "portal_app";' in out
    assert 'GRANT SELECT, INSERT ON "public"."programs_auditentry" TO "portal_app";' in out
    assert out.index("ON ALL TABLES") < out.index("REVOKE ALL ON")
