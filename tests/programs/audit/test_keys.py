"""The audit chain is keyed: known answers for what each hash covers, entries written before
keying, and rewrites by someone who can write the table but does not hold the key."""

import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from programs.audit import trail
from programs.audit.models import GENESIS_HASH, AuditEntry
from programs.audit.trail import AuditAction, verify_chain
from tests.factories import TeamFactory
from tests.support.tampering import rewrite_without_the_key, tamper

KEY = b"known-answer-key-for-the-audit-chain-0001"

# The documented canonical form, written out by hand: prev_hash, then the JSON object with
# sorted keys and no whitespace. Any change to what the hash covers changes these answers.
FIRST_MESSAGE = (
    GENESIS_HASH + '{"action":"budget.changed","actor":7,"at":"2026-05-04T09:30:15.250000+00:00",'
    '"data":{"amount":{"after":"250.00","before":"100.00"},"note":"£ and ümlauts"},'
    '"key_id":"kat","on_behalf_of":null,"seq":1,"subject":"budget:12"}'
)
FIRST_HASH = "2eefa0643f10c354a89864849527553a888b0b2fa18ca9abb1788b85aaa0658c"
SECOND_MESSAGE = (
    FIRST_HASH + '{"action":"approval.approved","actor":8,"at":"2026-05-04T09:31:00+00:00",'
    '"data":{"comment":"Good call"},"key_id":"kat","on_behalf_of":7,"seq":2,'
    '"subject":"approvalrequest:40"}'
)
SECOND_HASH = "c101f39a376b235afd1da459639db0ce84c7bcdacb243c672e677e8de1c0df8f"
# An entry from before the chain was keyed: plain SHA-256, and no key_id in the content.
LEGACY_MESSAGE = (
    GENESIS_HASH + '{"action":"budget.changed","actor":null,"at":"2025-01-02T03:04:05+00:00",'
    '"data":{"n":1},"on_behalf_of":null,"seq":1,"subject":"team:3"}'
)
LEGACY_HASH = "ca405bfc0372e74aa548a16185c2c831541ac79dafc025bac7505b6026d51262"


@pytest.fixture(autouse=True)
def known_key(settings):
    settings.AUDIT_KEYS = {"kat": KEY}
    settings.AUDIT_KEY_ID = "kat"


def first_entry(**changes) -> AuditEntry:
    fields = {
        "seq": 1,
        "at": datetime(2026, 5, 4, 9, 30, 15, 250000, tzinfo=UTC),
        "actor_id": 7,
        "on_behalf_of_id": None,
        "action": "budget.changed",
        "subject_type": "budget",
        "subject_id": "12",
        "data": {"amount": {"before": "100.00", "after": "250.00"}, "note": "£ and ümlauts"},
        "prev_hash": GENESIS_HASH,
        "key_id": "kat",
    }
    return AuditEntry(**{**fields, **changes})


def second_entry(**changes) -> AuditEntry:
    fields = {
        "seq": 2,
        "at": datetime(2026, 5, 4, 9, 31, tzinfo=UTC),
        "actor_id": 8,
        "on_behalf_of_id": 7,
        "action": "approval.approved",
        "subject_type": "approvalrequest",
        "subject_id": "40",
        "data": {"comment": "Good call"},
        "prev_hash": FIRST_HASH,
        "key_id": "kat",
    }
    return AuditEntry(**{**fields, **changes})


def test_the_known_answers_are_hmac_sha256_of_the_documented_form():
    """The constants below were computed from the messages alone, not by the portal."""
    assert hmac.new(KEY, FIRST_MESSAGE.encode(), hashlib.sha256).hexdigest() == FIRST_HASH
    assert hmac.new(KEY, SECOND_MESSAGE.encode(), hashlib.sha256).hexdigest() == SECOND_HASH
    assert hashlib.sha256(LEGACY_MESSAGE.encode()).hexdigest() == LEGACY_HASH


def test_entries_hash_to_the_known_answers():
    assert first_entry().compute_hash() == FIRST_HASH
    assert second_entry().compute_hash() == SECOND_HASH


def test_an_entry_from_before_keying_hashes_as_it_always_did():
    legacy = AuditEntry(
        seq=1,
        at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        actor_id=None,
        on_behalf_of_id=None,
        action="budget.changed",
        subject_type="team",
        subject_id="3",
        data={"n": 1},
        prev_hash=GENESIS_HASH,
        key_id="",
    )
    assert legacy.compute_hash() == LEGACY_HASH


@pytest.mark.parametrize(
    "change",
    [
        {"prev_hash": "1" * 64},
        {"seq": 3},
        {"at": datetime(2026, 5, 4, 9, 31, 0, 1, tzinfo=UTC)},
        {"actor_id": 9},
        {"on_behalf_of_id": 8},
        {"on_behalf_of_id": None},
        {"action": "approval.declined"},
        {"subject_type": "gesture"},
        {"subject_id": "41"},
        {"data": {"comment": "Good call!"}},
        {"data": {"comment": "Good call", "extra": None}},
        {"key_id": "other"},
    ],
    ids=lambda change: next(iter(change)),
)
def test_every_part_of_an_entry_is_covered_by_its_hash(settings, change):
    settings.AUDIT_KEYS = {"kat": KEY, "other": KEY}

    assert second_entry(**change).compute_hash() != SECOND_HASH


def test_the_hash_depends_on_the_key(settings):
    settings.AUDIT_KEYS = {"kat": KEY + b"-not-quite"}

    assert second_entry().compute_hash() != SECOND_HASH


# The chain as recorded in the database.


@pytest.fixture
def chain(manager, team):
    return [
        trail.record(action=AuditAction.BUDGET_CHANGED, actor=manager, subject=team, data={"n": n})
        for n in range(4)
    ]


def test_recorded_entries_carry_the_hmac_of_their_canonical_form(chain, manager, team):
    before = AuditEntry.objects.filter(seq=chain[0].seq - 1).first()
    prev = before.hash if before else GENESIS_HASH
    for n, recorded in enumerate(chain):
        stored = AuditEntry.objects.get(pk=recorded.pk)
        message = (
            f'{prev}{{"action":"budget.changed","actor":{manager.pk},'
            f'"at":"{stored.at.isoformat()}","data":{{"n":{n}}},"key_id":"kat",'
            f'"on_behalf_of":null,"seq":{stored.seq},"subject":"team:{team.pk}"}}'
        )
        assert stored.key_id == "kat"
        assert stored.prev_hash == prev
        assert stored.hash == hmac.new(KEY, message.encode(), hashlib.sha256).hexdigest()
        prev = stored.hash
    total = AuditEntry.objects.count()
    assert verify_chain() == trail.ChainReport(ok=True, entries=total, first_broken_seq=None)


def test_without_the_key_the_chain_does_not_verify(chain, settings):
    settings.AUDIT_KEYS = {"kat": b"a-different-key-of-the-same-name-000000"}

    report = verify_chain()

    assert (report.ok, report.first_broken_seq) == (False, 1)
    assert report.problem == "its content does not match its hash"


def test_an_entry_signed_with_a_key_no_longer_configured_is_named(chain, settings):
    settings.AUDIT_KEYS = {"new": KEY}

    report = verify_chain()

    assert (report.ok, report.first_broken_seq) == (False, 1)
    assert report.problem == "it is signed with the audit key 'kat', which is not configured"


def test_a_rotated_key_signs_new_entries_while_the_retired_one_verifies_the_old(
    chain, settings, manager, team
):
    settings.AUDIT_KEYS = {"kat": KEY, "next": b"the-next-audit-key-after-rotation-0000"}
    settings.AUDIT_KEY_ID = "next"

    newer = trail.record(action=AuditAction.BUDGET_CHANGED, actor=manager, subject=team, data={})

    assert newer.key_id == "next" and newer.prev_hash == chain[-1].hash
    assert verify_chain().ok
    settings.AUDIT_KEYS = {"next": settings.AUDIT_KEYS["next"]}
    assert verify_chain().first_broken_seq == 1


def test_a_rewritten_entry_with_the_next_link_repaired_is_named(chain):
    """The attack that passed before keying: new content, a freshly computed hash, and the
    next entry relinked to it. Without the key the fresh hash cannot be right."""
    rewrite_without_the_key(2, data={"n": 1, "approved_by": "the CEO"})

    report = verify_chain()

    assert report.ok is False
    assert report.first_broken_seq == 2
    assert report.problem == "its content does not match its hash"
    assert report.entries == 2


# Entries written before the chain was keyed.


def legacy_entries(count: int) -> list[AuditEntry]:
    """Entries as the unkeyed chain wrote them (the migration leaves them so)."""
    written = []
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        entry = AuditEntry(
            seq=seq,
            at=datetime(2025, 1, 2, 3, 4, seq, tzinfo=UTC),
            action="budget.changed",
            subject_type="team",
            subject_id="3",
            data={"n": seq},
            prev_hash=prev,
            key_id="",
        )
        entry.hash = hashlib.sha256((prev + entry.canonical()).encode()).hexdigest()
        entry.save()
        written.append(entry)
        prev = entry.hash
    return written


def test_entries_from_before_keying_verify_and_are_counted_as_unkeyed(db):
    old = legacy_entries(2)

    newer = trail.record(
        action=AuditAction.BUDGET_CHANGED, actor=None, subject=TeamFactory(), data={}
    )

    assert newer.seq == 3 and newer.prev_hash == old[-1].hash and newer.key_id == "kat"
    report = verify_chain()
    assert (report.ok, report.entries, report.unkeyed) == (True, 3, 2)


def test_an_unkeyed_entry_after_a_keyed_one_is_refused_as_a_downgrade(db):
    legacy_entries(1)
    team = TeamFactory()
    trail.record(action=AuditAction.BUDGET_CHANGED, actor=None, subject=team, data={})
    trail.record(action=AuditAction.BUDGET_CHANGED, actor=None, subject=team, data={})
    third = AuditEntry.objects.get(seq=3)
    third.key_id = ""
    # What an attacker without the key would write: a valid unkeyed hash, and relinked.
    downgraded = hashlib.sha256((third.prev_hash + third.canonical()).encode()).hexdigest()
    tamper("UPDATE programs_auditentry SET key_id = '', hash = %s WHERE seq = 3", [downgraded])

    report = verify_chain()

    assert (report.ok, report.first_broken_seq) == (False, 3)
    assert report.problem == "it is unkeyed, but an entry before it is keyed (a downgrade)"
    assert report.unkeyed == 1
