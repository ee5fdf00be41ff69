import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from programs.audit import trail
from programs.audit.models import GENESIS_HASH, AuditEntry
from programs.audit.trail import AuditAction, verify_chain
from tests.support.tampering import tamper

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def entries(manager, team):
    return [
        trail.record(
            action=AuditAction.BUDGET_CHANGED,
            actor=manager,
            subject=team,
            data={"n": n, "note": "£ and ümlauts kept"},
        )
        for n in range(3)
    ]


def test_entries_chain_from_a_genesis_hash(entries):
    first, second, third = entries
    assert [e.seq for e in entries] == [first.seq, first.seq + 1, first.seq + 2]
    assert AuditEntry.objects.get(seq=1).prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert all(len(e.hash) == 64 for e in entries)


def test_a_clean_chain_verifies(entries):
    total = AuditEntry.objects.count()
    assert verify_chain() == trail.ChainReport(ok=True, entries=total, first_broken_seq=None)


def test_an_entry_cannot_be_changed_through_the_model(entries):
    entry = AuditEntry.objects.get(seq=entries[1].seq)
    entry.action = "something.else"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_an_entry_cannot_be_deleted_through_the_model(entries):
    with pytest.raises(ValueError, match="append-only"):
        entries[0].delete()
    assert AuditEntry.objects.filter(pk=entries[0].pk).exists()


def test_editing_a_row_in_the_database_is_detected(entries):
    tamper("UPDATE programs_auditentry SET data = %s WHERE seq = %s", ['{"n": 99}', entries[1].seq])
    report = verify_chain()
    assert not report.ok and report.first_broken_seq == entries[1].seq


def test_removing_a_row_is_detected(entries):
    tamper("DELETE FROM programs_auditentry WHERE seq = %s", [entries[1].seq])
    report = verify_chain()
    assert not report.ok and report.first_broken_seq == entries[2].seq


def test_verify_audit_command_exits_zero_on_a_clean_chain(entries, capsys):
    call_command("verify_audit")
    assert "OK" in capsys.readouterr().out


def test_verify_audit_command_names_the_first_broken_entry(entries):
    tamper(
        "UPDATE programs_auditentry SET action = %s WHERE seq = %s",
        ["budget.forged", entries[1].seq],
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE programs_auditentry SET action = 'x'",
        "DELETE FROM programs_auditentry",
    ],
)
def test_postgres_refuses_update_and_delete(entries, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.filter(action="budget.changed").count() == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_refuses_truncate(entries):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL portal.allow_audit_truncate = off")
        cursor.execute("TRUNCATE programs_auditentry CASCADE")
    assert AuditEntry.objects.filter(action="budget.changed").count() == 3


def test_the_admin_shows_entries_read_only(client, admin_user, entries):
    client.force_login(admin_user)
    entry = entries[0]
    response = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert response.status_code == 200
    assert b'name="action"' not in response.content
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
