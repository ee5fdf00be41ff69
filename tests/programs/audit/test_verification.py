"""What recording and verifying the audit chain promise, down to the report's every field.

Written against the mutation run of programs/audit.py (scripts/mutation audit): each test here
fails for a small change to the code that the broader chain tests let through.
"""

import hashlib
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction

from programs.audit import trail
from programs.audit.checkpoint_log import Checkpoint, appending
from programs.audit.models import AuditEntry
from programs.audit.trail import AuditAction, ChainReport, verify_chain, verify_since
from tests.support.tampering import rewrite_with_the_key, tamper

AT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def chain(manager, team):
    """The manager's membership entry, then four budget changes."""
    for n in range(4):
        trail.record(action=AuditAction.BUDGET_CHANGED, actor=manager, subject=team, data={"n": n})
    return list(AuditEntry.objects.order_by("seq"))


def checkpoint_of(entry: AuditEntry) -> Checkpoint:
    return Checkpoint.sign(seq=entry.seq, hash=entry.hash, at=AT)


def write_checkpoints(*checkpoints: Checkpoint) -> None:
    with appending(settings.AUDIT_CHECKPOINT_FILE) as checkpoint_file:
        for checkpoint in checkpoints:
            checkpoint_file.append(checkpoint)


# Recording.


def test_an_entry_names_the_person_the_actor_acted_for(manager, agent, team):
    entry = trail.record(
        action=AuditAction.APPROVAL_APPROVED,
        actor=manager,
        subject=team,
        data={},
        on_behalf_of=agent,
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor_id, stored.on_behalf_of_id) == (manager.pk, agent.pk)
    assert verify_chain().ok is True


def test_amounts_and_dates_are_stored_as_the_text_they_read_back_as(manager, team):
    entry = trail.record(
        action=AuditAction.BUDGET_CHANGED,
        actor=manager,
        subject=team,
        data={"amount": Decimal("12.50"), "on": date(2026, 5, 4)},
    )

    assert entry.data == {"amount": "12.50", "on": "2026-05-04"}
    assert AuditEntry.objects.get(pk=entry.pk).data == entry.data
    assert verify_chain().ok is True


def _row_is_locked(user_pk: int) -> bool:
    """Whether another connection would have to wait to delete this person's row."""
    answer = {}

    def probe():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM accounts_user WHERE id = %s FOR UPDATE NOWAIT", [user_pk]
                )
            answer["locked"] = False
        except OperationalError:
            answer["locked"] = True
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return answer["locked"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_recording_holds_the_actor_and_the_principal_until_commit(manager, agent, team, nobody):
    with transaction.atomic():
        trail.record(
            action=AuditAction.APPROVAL_APPROVED,
            actor=manager,
            subject=team,
            data={},
            on_behalf_of=agent,
        )
        held = {person: _row_is_locked(person.pk) for person in (manager, agent, nobody)}

    assert held == {manager: True, agent: True, nobody: False}
    assert _row_is_locked(manager.pk) is False


# Verifying the whole chain.


def test_a_refused_checkpoint_line_stops_verification_before_any_entry(chain):
    good = checkpoint_of(chain[1])
    write_checkpoints(good)
    forged = good.line().replace(good.hash, "0" * 64)
    with settings.AUDIT_CHECKPOINT_FILE.open("a") as checkpoint_file:
        checkpoint_file.write(forged + "\n")

    report = verify_chain()

    assert (report.ok, report.entries, report.first_broken_seq) == (False, 0, None)
    assert report.problem is not None
    assert report.last_checkpoint == good.seq


def test_a_missing_entry_is_named_by_the_sequence_jump(chain):
    tamper("DELETE FROM programs_auditentry WHERE seq = %s", [chain[1].seq])

    report = verify_chain()

    assert report.first_broken_seq == chain[2].seq
    assert report.problem == f"sequence jumps from {chain[0].seq} to {chain[2].seq}"


def test_a_broken_link_is_named_as_such(chain):
    tamper("UPDATE programs_auditentry SET prev_hash = %s WHERE seq = %s", ["0" * 64, chain[2].seq])

    report = verify_chain()

    assert report.first_broken_seq == chain[2].seq
    assert report.problem == "its previous hash does not match the entry before it"


def test_entries_cut_from_the_end_are_measured_against_the_furthest_checkpoint(chain):
    write_checkpoints(checkpoint_of(chain[-2]), checkpoint_of(chain[-1]))
    kept = chain[-3].seq
    tamper("DELETE FROM programs_auditentry WHERE seq > %s", [kept])

    report = verify_chain()

    assert report == ChainReport(
        ok=False,
        entries=len(chain) - 2,
        first_broken_seq=kept + 1,
        problem=(
            f"entries after #{kept} are missing "
            f"(the checkpoint of 2026-05-04 10:00:00 UTC saw #{chain[-1].seq})"
        ),
        last_checkpoint=chain[-1].seq,
    )


def test_a_broken_chain_still_reports_the_newest_checkpoint(chain):
    write_checkpoints(checkpoint_of(chain[-1]))
    tamper("UPDATE programs_auditentry SET data = %s WHERE seq = %s", ['{"n": 99}', chain[2].seq])

    report = verify_chain()

    assert (report.ok, report.first_broken_seq) == (False, chain[2].seq)
    assert report.last_checkpoint == chain[-1].seq


# Verifying what was added since a checkpoint.


def test_since_a_checkpoint_only_the_entries_after_it_are_walked(chain):
    checkpoint = checkpoint_of(chain[1])

    report = verify_since(checkpoint)

    assert report == ChainReport(
        ok=True,
        entries=len(chain) - 2,
        first_broken_seq=None,
        last_checkpoint=checkpoint.seq,
    )


def test_a_checkpoint_that_no_longer_holds_is_named_from_the_whole_chain(chain):
    checkpoint = checkpoint_of(chain[2])
    rewrite_with_the_key(chain[1].seq, data={"n": 0, "approved_by": "the CEO"})

    report = verify_since(checkpoint)

    assert report == ChainReport(
        ok=False,
        entries=3,
        first_broken_seq=chain[2].seq,
        problem=(
            f"entry #{chain[2].seq} does not match the checkpoint of 2026-05-04 10:00:00 UTC: "
            "it, or an entry before it, was rewritten and the hashes after it recomputed"
        ),
        last_checkpoint=checkpoint.seq,
    )


def test_an_unkeyed_entry_after_a_keyed_checkpoint_is_a_downgrade(chain):
    checkpoint = checkpoint_of(chain[1])
    downgraded = chain[2]
    downgraded.key_id = ""
    plain = hashlib.sha256((downgraded.prev_hash + downgraded.canonical()).encode()).hexdigest()
    tamper(
        "UPDATE programs_auditentry SET key_id = '', hash = %s WHERE seq = %s",
        [plain, downgraded.seq],
    )
    tamper("UPDATE programs_auditentry SET prev_hash = %s WHERE seq = %s", [plain, chain[3].seq])

    report = verify_since(checkpoint)

    assert (report.ok, report.first_broken_seq) == (False, downgraded.seq)
    assert report.problem == "it is unkeyed, but an entry before it is keyed (a downgrade)"
