"""Changing the audit table behind the application's back, as someone who owns it might."""

import hashlib
import json

from django.db import connection

from programs.audit.models import AuditEntry


def tamper(sql: str, params: list) -> None:
    """Run ``sql`` with the append-only trigger switched off for this transaction, as the table's
    owner (or a superuser) can on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def rewrite_without_the_key(seq: int, *, data: dict) -> str:
    """Rewrite entry ``seq``'s data, hash it as the unkeyed chain did (plain SHA-256: all an
    attacker without the key can compute) and repair the next entry's link to it."""
    entry = AuditEntry.objects.get(seq=seq)
    entry.data = data
    forged = hashlib.sha256((entry.prev_hash + entry.canonical()).encode()).hexdigest()
    _store(entry, forged)
    tamper("UPDATE programs_auditentry SET prev_hash = %s WHERE seq = %s", [forged, seq + 1])
    return forged


def rewrite_with_the_key(seq: int, *, data: dict) -> None:
    """Rewrite entry ``seq``'s data and recompute its hash and every later one exactly as the
    portal would: what someone holding the audit key (and owning the table) can do."""
    prev = None
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        if prev is None:
            entry.data = data
        else:
            entry.prev_hash = prev
        prev = entry.compute_hash()
        _store(entry, prev)


def _store(entry: AuditEntry, new_hash: str) -> None:
    tamper(
        "UPDATE programs_auditentry SET data = %s, prev_hash = %s, hash = %s WHERE seq = %s",
        [json.dumps(entry.data), entry.prev_hash, new_hash, entry.seq],
    )
