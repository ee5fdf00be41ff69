"""Signed checkpoints of the audit chain's head, kept outside the database, and verification
against them: entries cut from the end, entries rewritten by someone holding the key, and
checkpoint lines forged by someone who does not."""

import json
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.core.management import call_command

from programs.audit import trail
from programs.audit.checkpoint_log import (
    Checkpoint,
    InvalidCheckpoint,
    RefusedLine,
    appending,
    parse,
    read,
)
from programs.audit.checkpoints import checkpoint_audit
from programs.audit.models import AuditEntry
from programs.audit.trail import AuditAction, verify_chain
from tests.support.tampering import rewrite_with_the_key, rewrite_without_the_key, tamper

KEY = b"known-answer-key-for-the-audit-chain-0001"
HEAD_HASH = "c101f39a376b235afd1da459639db0ce84c7bcdacb243c672e677e8de1c0df8f"
# HMAC-SHA256(KEY, 'audit-checkpoint\n{"at":"2026-05-04T10:00:00+00:00","hash":HEAD_HASH,
# "key_id":"kat","seq":2}'), computed by hand.
KNOWN_LINE = (
    '{"at":"2026-05-04T10:00:00+00:00","hash":"' + HEAD_HASH + '","key_id":"kat","seq":2,'
    '"sig":"5d8b85c8d48a26c2215862bf74254d4ad0a6d548bb610cf232e48bca1dc4f199"}'
)


def edited(**changes) -> str:
    """The known line with some fields changed (its signature no longer covering them)."""
    return json.dumps({**json.loads(KNOWN_LINE), **changes})


@pytest.fixture(autouse=True)
def known_key(settings):
    settings.AUDIT_KEYS = {"kat": KEY}
    settings.AUDIT_KEY_ID = "kat"


def lines_of(path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


# The line.


def test_a_checkpoint_line_is_the_signed_head_in_the_documented_form():
    at = datetime(2026, 5, 4, 11, 0, 0, 654321, tzinfo=timezone(timedelta(hours=1)))

    checkpoint = Checkpoint.sign(seq=2, hash=HEAD_HASH, at=at)

    assert checkpoint.line() == KNOWN_LINE
    assert parse(KNOWN_LINE) == checkpoint


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda c: {**c, "seq": 3}, "its signature does not verify"),
        (lambda c: {**c, "hash": "0" * 64}, "its signature does not verify"),
        (lambda c: {**c, "at": "2026-05-04T11:00:00+00:00"}, "its signature does not verify"),
        (lambda c: {**c, "sig": "f" * 64}, "its signature does not verify"),
        (lambda c: {**c, "key_id": "k9"}, "names an audit key that is not configured"),
        (lambda c: {**c, "seq": "2"}, "seq is not a positive whole number"),
        (lambda c: {**c, "seq": True}, "seq is not a positive whole number"),
        (lambda c: {**c, "at": "yesterday"}, "not an ISO 8601 time"),
        (lambda c: {**c, "at": "2026-05-04T10:00:00"}, "no time zone"),
        (lambda c: {k: v for k, v in c.items() if k != "sig"}, "wrong fields"),
        (lambda c: {**c, "note": "trust me"}, "wrong fields"),
    ],
)
def test_a_checkpoint_line_that_was_edited_is_refused(edit, reason):
    forged = json.dumps(edit(json.loads(KNOWN_LINE)))

    with pytest.raises(InvalidCheckpoint, match=reason):
        parse(forged)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("all is well", "it is not a checkpoint (not JSON)"),
        ('["a", "list"]', "it is not a checkpoint (wrong fields)"),
        (edited(seq=0), "its seq is not a positive whole number"),
        (edited(at=20260504), "it is not a checkpoint (wrong types)"),
        (edited(sig=None), "it is not a checkpoint (wrong types)"),
        (edited(hash="C" * 64), "its hash or signature is not 64 hex digits"),
        (edited(sig="F" * 64), "its hash or signature is not 64 hex digits"),
        (edited(at="yesterday"), "its time is not an ISO 8601 time"),
        (edited(at="2026-05-04T10:00:00"), "its time has no time zone"),
        (edited(key_id="k9"), "it names an audit key that is not configured"),
        (edited(key_id="kat\n"), "it names an audit key that is not configured"),
        (edited(seq=3), "its signature does not verify with the audit key"),
    ],
)
def test_a_refused_line_is_told_exactly_what_is_wrong_with_it(line, reason):
    with pytest.raises(InvalidCheckpoint) as refused:
        parse(line)

    assert str(refused.value) == reason


def test_the_first_entry_can_be_a_checkpoints_head():
    first = Checkpoint.sign(seq=1, hash=HEAD_HASH, at=datetime(2026, 5, 4, 10, 0, tzinfo=UTC))

    assert parse(first.line()) == first


def test_a_checkpoint_signed_with_another_key_is_refused(settings):
    settings.AUDIT_KEYS = {"kat": b"an-attacker-s-guess-at-the-audit-key-00"}

    with pytest.raises(InvalidCheckpoint, match="signature does not verify"):
        parse(KNOWN_LINE)


def test_reading_a_missing_file_finds_no_checkpoints(tmp_path):
    log = read([tmp_path / "nowhere.jsonl"])

    assert (log.checkpoints, log.refused, log.latest) == ((), (), None)


def test_the_file_stays_locked_while_one_job_appends(tmp_path):
    path = tmp_path / "checkpoints.jsonl"
    second_got_in = threading.Event()

    def second_job():
        with appending(path) as second:
            assert [c.seq for c in second.log.checkpoints] == [2]
            second_got_in.set()

    with appending(path) as first:
        other = threading.Thread(target=second_job)
        other.start()
        assert not second_got_in.wait(0.5), "the second job did not wait for the lock"
        first.append(parse(KNOWN_LINE))
    other.join(5)
    assert second_got_in.is_set()
    assert lines_of(path) == [KNOWN_LINE]


def test_a_torn_last_line_stays_on_its_own(tmp_path):
    path = tmp_path / "checkpoints.jsonl"
    path.write_text(KNOWN_LINE[:40])

    with appending(path) as checkpoints:
        assert len(checkpoints.log.refused) == 1
        checkpoints.append(parse(KNOWN_LINE))

    assert lines_of(path) == [KNOWN_LINE[:40], KNOWN_LINE]


def test_checkpoints_are_read_from_every_file_across_blank_lines(tmp_path):
    first, second = tmp_path / "server.jsonl", tmp_path / "from-the-e-mail.jsonl"
    later = Checkpoint.sign(seq=3, hash="a" * 64, at=datetime(2026, 5, 5, 10, 0, tzinfo=UTC))
    first.write_text("\n".join([KNOWN_LINE, "", "not a checkpoint", ""]))
    second.write_text("\n".join(["", later.line(), "not one either"]) + "\n")

    log = read([first, second])

    assert log.checkpoints == (parse(KNOWN_LINE), later)
    assert [(line.file, line.number) for line in log.refused] == [(first, 3), (second, 3)]
    assert log.latest == later


def test_a_file_that_cannot_be_read_is_named_and_the_others_still_count(tmp_path):
    damaged, kept = tmp_path / "damaged.jsonl", tmp_path / "kept.jsonl"
    damaged.write_bytes(b"\xff" + KNOWN_LINE.encode())
    kept.write_text(KNOWN_LINE + "\n")

    log = read([damaged, kept])

    reason = "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
    assert log.refused == (RefusedLine(damaged, None, reason),)
    assert log.refused[0].problem == f"the checkpoint file damaged.jsonl cannot be read: {reason}"
    assert log.checkpoints == (parse(KNOWN_LINE),)


def test_checkpoints_appended_in_one_go_stay_one_to_a_line(tmp_path):
    path = tmp_path / "checkpoints.jsonl"
    later = Checkpoint.sign(seq=3, hash="a" * 64, at=datetime(2026, 5, 5, 10, 0, tzinfo=UTC))

    with appending(path) as checkpoints:
        checkpoints.append(parse(KNOWN_LINE))
        checkpoints.append(later)

    assert lines_of(path) == [KNOWN_LINE, later.line()]


# Verification against the checkpoints.


def test_a_chain_that_matches_its_checkpoints_verifies(chain, checkpoint_file):
    checkpoint_audit()

    report = verify_chain()

    assert report.ok is True
    assert report.last_checkpoint == chain[-1].seq
    assert report.entries == len(chain)


def test_deleting_the_newest_entries_is_caught_by_the_checkpoint(chain, checkpoint_file):
    checkpoint_audit()
    kept = chain[-3].seq
    assert verify_chain().ok is True

    tamper("DELETE FROM programs_auditentry WHERE seq > %s", [kept])
    report = verify_chain()

    assert report.ok is False
    assert report.first_broken_seq == kept + 1
    assert report.problem.startswith(f"entries after #{kept} are missing (the checkpoint of ")
    assert report.problem.endswith(f" saw #{chain[-1].seq})")
    assert report.entries == kept


def test_without_a_checkpoint_the_same_deletion_would_pass(chain):
    """The control: this is the hole the checkpoint closes."""
    tamper("DELETE FROM programs_auditentry WHERE seq > %s", [chain[-3].seq])

    assert verify_chain().ok is True


def test_deleting_every_entry_is_caught_by_the_checkpoint(chain, checkpoint_file):
    checkpoint_audit()

    tamper("DELETE FROM programs_auditentry", [])
    report = verify_chain()

    assert (report.ok, report.first_broken_seq, report.entries) == (False, 1, 0)
    assert report.problem.startswith("every entry is missing")


def test_a_rewrite_by_someone_holding_the_key_is_caught_by_the_checkpoint(chain):
    checkpoint_audit()
    head = chain[-1].seq

    rewrite_with_the_key(chain[1].seq, data={"n": 0, "approved_by": "the CEO"})
    report = verify_chain()

    assert report.ok is False
    assert report.first_broken_seq == head
    assert report.problem.startswith(f"entry #{head} does not match the checkpoint of ")
    assert "rewritten" in report.problem


def test_every_checkpoint_is_held_against_the_chain_not_only_the_newest(
    chain, manager, team, checkpoint_file
):
    checkpoint_audit()
    first_head = chain[-1].seq
    trail.record(action=AuditAction.BUDGET_CHANGED, actor=manager, subject=team, data={})
    checkpoint_audit()
    assert len(lines_of(checkpoint_file)) == 2

    # Rewritten with the key, and the newest checkpoint rewritten too (the attacker can write the
    # file and holds the key): the older checkpoint still catches it.
    rewrite_with_the_key(chain[1].seq, data={"n": 0, "approved_by": "the CEO"})
    newest = AuditEntry.objects.order_by("-seq").first()
    resigned = Checkpoint.sign(seq=newest.seq, hash=newest.hash, at=datetime.now(UTC))
    checkpoint_file.write_text(lines_of(checkpoint_file)[0] + "\n" + resigned.line() + "\n")
    report = verify_chain()

    assert (report.ok, report.first_broken_seq) == (False, first_head)


def test_a_rewrite_without_the_key_is_named_at_the_rewritten_entry_despite_checkpoints(chain):
    checkpoint_audit()

    rewrite_without_the_key(chain[2].seq, data={"n": 1, "approved_by": "the CEO"})
    report = verify_chain()

    assert (report.ok, report.first_broken_seq) == (False, chain[2].seq)
    assert report.problem == "its content does not match its hash"


def test_downgrading_the_whole_chain_to_unkeyed_is_caught_by_the_checkpoint(chain):
    """Without the key an attacker could recompute every hash as plain SHA-256 and call the
    whole trail "written before keying"; the chain alone cannot tell, the checkpoint can."""
    checkpoint_audit()
    prev = "0" * 64
    for entry in chain:
        entry.key_id = ""
        entry.prev_hash = prev
        prev = entry.compute_hash()
        tamper(
            "UPDATE programs_auditentry SET key_id = '', prev_hash = %s, hash = %s WHERE seq = %s",
            [entry.prev_hash, prev, entry.seq],
        )

    report = verify_chain()

    assert (report.ok, report.first_broken_seq) == (False, chain[-1].seq)
    assert report.problem.startswith(f"entry #{chain[-1].seq} does not match the checkpoint")


def test_a_forged_checkpoint_line_is_refused(chain, checkpoint_file):
    checkpoint_audit()
    # Someone without the key claims the trail once went further, to make entries look lost.
    real = json.loads(lines_of(checkpoint_file)[0])
    forged = {**real, "seq": real["seq"] + 5}
    with checkpoint_file.open("a") as handle:
        handle.write(json.dumps(forged) + "\n")

    report = verify_chain()

    assert report.ok is False
    assert report.first_broken_seq is None
    assert report.problem == (
        f"line 2 of the checkpoint file {checkpoint_file.name} is refused: its signature does "
        "not verify with the audit key, so it was forged or damaged"
    )
    assert report.last_checkpoint == real["seq"], "the forged seq is not believed"


def test_garbage_in_the_checkpoint_file_is_refused(chain, checkpoint_file):
    checkpoint_file.write_text("all is well\n")

    report = verify_chain()

    assert (report.ok, report.first_broken_seq) == (False, None)
    assert "line 1 of the checkpoint file" in report.problem
    assert "not a checkpoint" in report.problem


# The commands.


def test_verify_audit_names_the_missing_entries_and_exits_1(chain, capsys):
    call_command("checkpoint_audit")
    kept = chain[-2].seq
    tamper("DELETE FROM programs_auditentry WHERE seq > %s", [kept])

    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")

    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"BROKEN at entry #{kept + 1}: entries after #{kept} are missing" in err


def test_verify_audit_refuses_a_forged_checkpoint_and_exits_1(chain, checkpoint_file, capsys):
    checkpoint_file.write_text(KNOWN_LINE.replace('"seq":2', '"seq":20') + "\n")

    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")

    assert exit_info.value.code == 1
    assert "BROKEN: line 1 of the checkpoint file" in capsys.readouterr().err


def test_verify_audit_reports_the_checkpoint_and_unkeyed_entries_when_intact(chain, capsys):
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"OK: {len(chain)} audit entries, chain intact." in out
    assert "No checkpoint yet" in out

    call_command("checkpoint_audit")
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"the newest at entry #{chain[-1].seq}" in out


def test_verify_audit_also_reads_checkpoints_kept_elsewhere(chain, checkpoint_file, tmp_path):
    """The file on the server is gone with the entries; finance kept the e-mailed line."""
    checkpoint_audit()
    kept_by_finance = tmp_path / "from-the-e-mail.jsonl"
    kept_by_finance.write_text(checkpoint_file.read_text())
    checkpoint_file.unlink()
    tamper("DELETE FROM programs_auditentry WHERE seq > %s", [chain[-2].seq])
    call_command("verify_audit")  # the server alone no longer knows

    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit", checkpoint_files=[kept_by_finance])

    assert exit_info.value.code == 1
