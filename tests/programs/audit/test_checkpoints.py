"""The checkpoint job: anchors the audit chain's head in the checkpoint file and e-mails it to
finance through the outbox; idempotent; never anchors a broken chain."""

import json
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from programs.audit import trail
from programs.audit.checkpoint_log import parse
from programs.audit.checkpoints import ChainBroken, checkpoint_audit
from programs.audit.models import AuditEntry
from programs.audit.tasks import checkpoint_audit as checkpoint_task
from programs.audit.trail import AuditAction
from programs.notifications.models import DeliveryStatus, Notification
from tests.support.tampering import rewrite_without_the_key, tamper

FINANCE_MAILBOX = "finance-audit@example.test"


def lines_of(path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def more(manager, team) -> AuditEntry:
    return trail.record(action=AuditAction.BUDGET_CHANGED, actor=manager, subject=team, data={})


def test_a_checkpoint_is_the_signed_head_appended_to_the_file(chain, checkpoint_file):
    at = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)

    result = checkpoint_audit(now=at)

    head = chain[-1]
    assert result.written is True
    [line] = lines_of(checkpoint_file)
    checkpoint = parse(line)
    assert (checkpoint.seq, checkpoint.hash, checkpoint.at) == (
        head.seq,
        head.hash,
        "2026-05-04T10:00:00+00:00",
    )
    assert result.checkpoint == checkpoint


def test_checkpointing_twice_with_nothing_new_writes_nothing(chain, checkpoint_file, manager, team):
    first = checkpoint_audit()
    again = checkpoint_audit()

    assert (first.written, again.written) == (True, False)
    assert again.checkpoint == first.checkpoint
    assert len(lines_of(checkpoint_file)) == 1

    newer = more(manager, team)
    third = checkpoint_audit()
    assert third.written is True and third.checkpoint.seq == newer.seq
    assert [parse(line).seq for line in lines_of(checkpoint_file)] == [chain[-1].seq, newer.seq]


def test_the_command_is_idempotent_and_says_what_it_did(chain, checkpoint_file, capsys):
    call_command("checkpoint_audit")
    call_command("checkpoint_audit")

    out = capsys.readouterr().out
    assert f"Checkpoint written: entry #{chain[-1].seq} {chain[-1].hash}" in out
    assert f"Nothing new since the checkpoint of entry #{chain[-1].seq}" in out
    assert len(lines_of(checkpoint_file)) == 1


def test_the_beat_task_runs_the_same_job_idempotently(chain, checkpoint_file):
    head = chain[-1].seq

    assert checkpoint_task.apply().get() == {"seq": head, "written": True}
    assert checkpoint_task.apply().get() == {"seq": head, "written": False}
    assert len(lines_of(checkpoint_file)) == 1


def test_an_empty_trail_has_nothing_to_anchor(db, checkpoint_file, capsys):
    assert checkpoint_audit().checkpoint is None
    call_command("checkpoint_audit")

    assert "nothing to anchor" in capsys.readouterr().out
    assert lines_of(checkpoint_file) == []


def test_a_broken_chain_is_not_anchored(chain, checkpoint_file):
    checkpoint_audit()
    rewrite_without_the_key(chain[-1].seq, data={"n": 99})

    with pytest.raises(ChainBroken, match=f"entry #{chain[-1].seq}"):
        checkpoint_audit()
    with pytest.raises(CommandError, match="its content does not match its hash"):
        call_command("checkpoint_audit")
    assert len(lines_of(checkpoint_file)) == 1


def test_entries_added_after_a_broken_link_are_not_anchored(chain, checkpoint_file, manager, team):
    checkpoint_audit()
    newer = more(manager, team)
    more(manager, team)
    rewrite_without_the_key(newer.seq, data={"forged": True})

    with pytest.raises(ChainBroken) as broken:
        checkpoint_audit()

    assert broken.value.report.first_broken_seq == newer.seq
    assert len(lines_of(checkpoint_file)) == 1


def test_entries_cut_from_the_end_are_not_anchored_as_a_new_head(chain, checkpoint_file):
    checkpoint_audit()
    kept = chain[-2].seq
    tamper("DELETE FROM programs_auditentry WHERE seq > %s", [kept])

    with pytest.raises(ChainBroken, match=f"entries after #{kept} are missing"):
        checkpoint_audit()
    assert len(lines_of(checkpoint_file)) == 1


def test_a_forged_line_does_not_stop_the_job_but_is_never_its_anchor(
    chain, checkpoint_file, manager, team
):
    checkpoint_audit()
    real = json.loads(lines_of(checkpoint_file)[0])
    with checkpoint_file.open("a") as handle:
        handle.write(json.dumps({**real, "seq": real["seq"] + 1, "hash": "a" * 64}) + "\n")
    newer = more(manager, team)

    result = checkpoint_audit()

    assert result.written is True and result.checkpoint.seq == newer.seq
    assert len(lines_of(checkpoint_file)) == 3


# The e-mail to finance.


def test_each_checkpoint_is_e_mailed_once_through_the_outbox(
    chain, settings, manager, team, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EMAILS = [FINANCE_MAILBOX]

    with django_capture_on_commit_callbacks(execute=True):
        result = checkpoint_audit()
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint_audit()

    notification = Notification.objects.get(kind="audit_checkpoint")
    assert notification.email == FINANCE_MAILBOX and notification.recipient is None
    assert notification.email_status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [FINANCE_MAILBOX]
    assert message.subject.endswith(f"Audit checkpoint: entry #{result.checkpoint.seq}")
    assert result.checkpoint.line() in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"audit-checkpoint-{result.checkpoint.seq}.jsonl"
    assert mimetype == "text/plain"
    assert parse(content.strip()) == result.checkpoint
    html, _ = message.alternatives[0]
    assert result.checkpoint.hash in html

    with django_capture_on_commit_callbacks(execute=True):
        newer = more(manager, team)
        checkpoint_audit()
    assert Notification.objects.filter(kind="audit_checkpoint").count() == 2
    assert mail.outbox[-1].subject.endswith(f"entry #{newer.seq}")


def test_a_checkpoint_written_before_its_e_mail_was_queued_is_still_sent(
    chain, settings, checkpoint_file, django_capture_on_commit_callbacks
):
    """A run that stopped after writing the file: the next run, with nothing new, queues the
    e-mail of the checkpoint already written rather than losing it."""
    written = checkpoint_audit()
    settings.AUDIT_CHECKPOINT_EMAILS = [FINANCE_MAILBOX]

    with django_capture_on_commit_callbacks(execute=True):
        again = checkpoint_audit()

    assert again.written is False
    assert len(lines_of(checkpoint_file)) == 1
    assert [message.to for message in mail.outbox] == [[FINANCE_MAILBOX]]
    assert written.checkpoint.line() in mail.outbox[0].body


def test_no_e_mail_without_addresses(chain, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint_audit()

    assert not Notification.objects.filter(kind="audit_checkpoint").exists()
    assert mail.outbox == []
