"""Checkpoints: the audit chain's head, anchored outside the database.

A checkpoint records the newest entry's ``seq`` and ``hash`` and the time it was taken, signed
with the audit key, as one line of JSON appended to a file (``settings.AUDIT_CHECKPOINT_FILE``)::

    {"at":"2026-05-04T10:00:00+00:00","hash":"9f…","key_id":"k1","seq":42,"sig":"3c…"}

``sig`` is HMAC-SHA256, with the audit key named by ``key_id``, over ``"audit-checkpoint\\n"``
followed by the same object without ``sig`` (keys sorted, no whitespace). The prefix keeps a
checkpoint's signature from ever passing for an entry's hash, and the reverse.

What a checkpoint proves: at that time the trail held entry ``seq`` with that hash, and (since
each hash covers the one before) every entry before it exactly as it is now. Entries deleted
from the end, or an entry rewritten with every later hash recomputed, no longer match a
checkpoint taken before the change. What it cannot prove: anything about entries written after
the newest checkpoint; and whoever can rewrite the file *and* holds the key can rewrite the
checkpoints too — which is why each one is also e-mailed away.
"""

import fcntl
import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from programs.audit import keys

SIGNED_PREFIX = "audit-checkpoint\n"
FIELDS = frozenset({"at", "hash", "key_id", "seq", "sig"})
HEX64 = re.compile(r"^[0-9a-f]{64}$")
KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,16}$")


class InvalidCheckpoint(ValueError):
    """A line that is not a checkpoint signed with a configured audit key."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    # Kept exactly as written: the signature covers this text.
    at: str
    key_id: str
    sig: str

    @classmethod
    def sign(cls, *, seq: int, hash: str, at: datetime) -> "Checkpoint":
        key_id = keys.current_key_id()
        at_text = at.astimezone(UTC).isoformat(timespec="seconds")
        signature = keys.sign(key_id, _signed_text(seq, hash, at_text, key_id))
        return cls(seq=seq, hash=hash, at=at_text, key_id=key_id, sig=signature)

    @property
    def taken_at(self) -> datetime:
        return datetime.fromisoformat(self.at)

    @property
    def described(self) -> str:
        """How reports name it: "the checkpoint of 2026-05-04 10:00:00 UTC"."""
        return f"the checkpoint of {self.taken_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"

    def line(self) -> str:
        return json.dumps(
            {
                "at": self.at,
                "hash": self.hash,
                "key_id": self.key_id,
                "seq": self.seq,
                "sig": self.sig,
            },
            sort_keys=True,
            separators=(",", ":"),
        )


def parse(text: str) -> Checkpoint:
    """The checkpoint on one line, or ``InvalidCheckpoint`` saying what is wrong with it."""
    try:
        fields = json.loads(text)
    except ValueError:
        raise InvalidCheckpoint("it is not a checkpoint (not JSON)") from None
    if not isinstance(fields, dict) or set(fields) != FIELDS:
        raise InvalidCheckpoint("it is not a checkpoint (wrong fields)")
    seq, hash_, at, key_id, sig = (fields[name] for name in ("seq", "hash", "at", "key_id", "sig"))
    if type(seq) is not int or seq < 1:
        raise InvalidCheckpoint("its seq is not a positive whole number")
    if not all(isinstance(value, str) for value in (hash_, at, key_id, sig)):
        raise InvalidCheckpoint("it is not a checkpoint (wrong types)")
    if not (HEX64.match(hash_) and HEX64.match(sig)):
        raise InvalidCheckpoint("its hash or signature is not 64 hex digits")
    try:
        taken_at = datetime.fromisoformat(at)
    except ValueError:
        raise InvalidCheckpoint("its time is not an ISO 8601 time") from None
    if taken_at.tzinfo is None:
        raise InvalidCheckpoint("its time has no time zone")
    if not KEY_ID.match(key_id) or not keys.is_configured(key_id):
        raise InvalidCheckpoint("it names an audit key that is not configured")
    if not keys.signature_matches(key_id, _signed_text(seq, hash_, at, key_id), sig):
        raise InvalidCheckpoint("its signature does not verify with the audit key")
    return Checkpoint(seq=seq, hash=hash_, at=at, key_id=key_id, sig=sig)


@dataclass(frozen=True)
class RefusedLine:
    file: Path
    # None when the whole file could not be read.
    number: int | None
    reason: str

    @property
    def problem(self) -> str:
        if self.number is None:
            return f"the checkpoint file {self.file.name} cannot be read: {self.reason}"
        return (
            f"line {self.number} of the checkpoint file {self.file.name} is refused: "
            f"{self.reason}, so it was forged or damaged"
        )


@dataclass(frozen=True)
class CheckpointLog:
    checkpoints: tuple[Checkpoint, ...] = ()
    refused: tuple[RefusedLine, ...] = ()

    @property
    def latest(self) -> Checkpoint | None:
        """The checkpoint of the highest seq (the newest, unless the file was tampered with)."""
        return max(self.checkpoints, key=lambda checkpoint: checkpoint.seq, default=None)


def read(paths: Iterable[Path]) -> CheckpointLog:
    """Every checkpoint in these files; a file that does not exist holds none."""
    checkpoints: list[Checkpoint] = []
    refused: list[RefusedLine] = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as error:
            refused.append(RefusedLine(Path(path), None, str(error)))
            continue
        found = _parse_lines(text, Path(path))
        checkpoints += found.checkpoints
        refused += found.refused
    return CheckpointLog(tuple(checkpoints), tuple(refused))


class CheckpointFile:
    """The checkpoint file, open for appending under an exclusive lock."""

    def __init__(self, handle, path: Path, log: CheckpointLog, *, ends_cleanly: bool):
        self._handle = handle
        self._path = path
        self._ends_cleanly = ends_cleanly
        self.log = log

    def append(self, checkpoint: Checkpoint) -> None:
        """Write one line and make it durable before returning."""
        # A torn last line stays a line of its own (refused by verification), never a prefix.
        prefix = "" if self._ends_cleanly else "\n"
        self._handle.seek(0, os.SEEK_END)
        self._handle.write(prefix + checkpoint.line() + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._ends_cleanly = True


@contextmanager
def appending(path: Path) -> Iterator[CheckpointFile]:
    """Open ``path`` to append (creating it), holding an exclusive lock until the block ends,
    so that two checkpoint jobs never both decide to write the same head."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        if created:
            _sync_directory(path.parent)
        handle.seek(0)
        text = handle.read()
        yield CheckpointFile(
            handle,
            path,
            _parse_lines(text, path),
            ends_cleanly=not text or text.endswith("\n"),
        )


def _parse_lines(text: str, path: Path) -> CheckpointLog:
    checkpoints: list[Checkpoint] = []
    refused: list[RefusedLine] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            checkpoints.append(parse(line))
        except InvalidCheckpoint as error:
            refused.append(RefusedLine(path, number, str(error)))
    return CheckpointLog(tuple(checkpoints), tuple(refused))


def _signed_text(seq: int, hash: str, at: str, key_id: str) -> str:
    return SIGNED_PREFIX + json.dumps(
        {"at": at, "hash": hash, "key_id": key_id, "seq": seq},
        sort_keys=True,
        separators=(",", ":"),
    )


def _sync_directory(directory: Path) -> None:
    """Make the new file's name durable too, not only its contents."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
