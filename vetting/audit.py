"""The tamper-evident audit log: append-only, hash-chained, written in the caller's transaction.

Each entry stores the previous entry's hash and its own hash over a canonical serialisation.
The sequence number is taken from the single `audit_head` row, locked for the rest of the
transaction, so entries never fork and a missing number means a deletion.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting.domain.events import AuditAction
from vetting.models import AuditEntry, AuditHead, User

if TYPE_CHECKING:
    from vetting.checkpoints import Statement

GENESIS_HASH = "0" * 64

# The web layer puts the client address here for the duration of a request.
IP_KEY = "audit_ip"
# While an administrator acts as another user (read-only), the web layer puts (admin id, user
# id) here: entries the user's actions would write are recorded under the administrator, with
# {"as": user id}, so the log names the person who actually read the material.
ACTING_KEY = "audit_acting"


def acting_admin_id(session: Session) -> int | None:
    """The administrator acting in another user's place in this session, if any."""
    acting = session.info.get(ACTING_KEY)
    return int(acting[0]) if acting else None


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    object_type: str | None,
    object_id: str | None,
    data: str,
    ip: str | None,
    prev_hash: str,
) -> str:
    payload = canonical(
        {
            "seq": seq,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "data": data,
            "ip": ip,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hash_of(entry: Link) -> str:
    return entry_hash(
        seq=entry.seq,
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        data=entry.data,
        ip=entry.ip,
        prev_hash=entry.prev_hash,
    )


def ensure_head(session: Session) -> None:
    """Create the head row if a fresh database lacks it (migrations create it too)."""
    if session.get(AuditHead, 1) is None:
        session.add(AuditHead(id=1, seq=0, hash=GENESIS_HASH))
        session.flush()


def record(
    session: Session,
    actor: User | None,
    action: AuditAction,
    obj: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction. `obj` is any model with an `id`."""
    head = session.execute(
        sa.select(AuditHead)
        .where(AuditHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if head is None:
        ensure_head(session)
        head = session.execute(
            sa.select(AuditHead)
            .where(AuditHead.id == 1)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
    # Microsecond precision is what every backend stores; hash what will be read back.
    at = datetime.now(UTC)
    actor_id = actor.id if actor is not None else None
    acting = session.info.get(ACTING_KEY)
    if acting and actor_id == acting[1]:
        actor_id, data = acting[0], {**(data or {}), "as": acting[1]}
    entry = AuditEntry(
        seq=head.seq + 1,
        at=at,
        actor_id=actor_id,
        action=action.value,
        object_type=type(obj).__tablename__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None else None,
        data=canonical(data or {}),
        ip=session.info.get(IP_KEY),
        prev_hash=head.hash,
    )
    entry.hash = _hash_of(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None


class Link(Protocol):
    """What the chain walk reads of an entry: a stored row or a line of an exported copy."""

    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def action(self) -> str: ...
    @property
    def object_type(self) -> str | None: ...
    @property
    def object_id(self) -> str | None: ...
    @property
    def data(self) -> str: ...
    @property
    def ip(self) -> str | None: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


@dataclass(frozen=True)
class Walk:
    """Where a walk of the chain ended: the first problem met (if any), the number of entries
    that fit, the last of their hashes, and the hashes found at the sequence numbers asked for."""

    problem: Verification | None
    count: int
    last_hash: str
    marks: dict[int, str]


def walk(entries: Iterable[Link], marks: Iterable[int] = ()) -> Walk:
    """Check each entry against its content and its predecessor, in order, stopping at the
    first that does not fit; remember the hashes of the entries numbered in `marks`."""
    wanted = set(marks)
    found: dict[int, str] = {0: GENESIS_HASH} if 0 in wanted else {}
    expected_seq = 1
    prev = GENESIS_HASH
    for entry in entries:
        problem = None
        if entry.seq != expected_seq:
            problem = Verification(
                False,
                expected_seq - 1,
                expected_seq,
                f"entry {expected_seq} is missing (next found is {entry.seq})",
            )
        elif entry.prev_hash != prev:
            problem = Verification(
                False,
                expected_seq - 1,
                entry.seq,
                f"entry {entry.seq} does not follow entry {entry.seq - 1} (previous hash differs)",
            )
        elif _hash_of(entry) != entry.hash:
            problem = Verification(
                False,
                expected_seq - 1,
                entry.seq,
                f"entry {entry.seq} was altered (its hash does not match its content)",
            )
        if problem is not None:
            return Walk(problem, expected_seq - 1, prev, found)
        if entry.seq in wanted:
            found[entry.seq] = entry.hash
        prev = entry.hash
        expected_seq += 1
    return Walk(None, expected_seq - 1, prev, found)


def _stored(session: Session, batch: int) -> Generator[AuditEntry, None, None]:
    stmt = sa.select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    # Closing the streamed result matters on PostgreSQL: an early return would otherwise
    # leave its server-side cursor open.
    with session.scalars(stmt) as entries:
        yield from entries


def _walk_stored(session: Session, marks: Iterable[int], batch: int) -> Walk:
    stream = _stored(session, batch)
    try:
        result = walk(stream, marks)
    finally:
        stream.close()
    if result.problem is not None:
        return result
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != result.count or head_hash != result.last_hash:
        problem = Verification(
            False,
            result.count,
            min(head_seq, result.count) + 1,
            f"the chain ends at entry {result.count} but the recorded head is entry {head_seq}",
        )
        return Walk(problem, result.count, result.last_hash, result.marks)
    return result


def verify(session: Session, batch: int = 1000) -> Verification:
    """Walk the whole chain and name the first entry that does not fit."""
    result = _walk_stored(session, (), batch)
    return result.problem or Verification(True, result.count)


def judge(result: Walk, seq: int, head_hash: str) -> Verification:
    """Whether a walked chain still passes through a checkpoint's head (entry `seq`, whose hash
    was `head_hash`). A chain consistently rewritten before the checkpoint (every later hash
    recomputed, the head row reset) walks cleanly, but no longer reaches that hash: that is
    what the signed checkpoint adds to the chain."""
    if result.problem is not None:
        return result.problem
    if result.count < seq:
        return Verification(
            False,
            result.count,
            result.count + 1,
            f"truncated: the log ends at entry {result.count}, the checkpoint covers {seq}",
        )
    if result.marks.get(seq) != head_hash:
        return Verification(False, result.count, seq, f"rewritten at or before entry {seq}")
    return Verification(True, result.count)


def verify_against(session: Session, statement: Statement, batch: int = 1000) -> Verification:
    """Verify the stored chain, then that it still passes through a signed checkpoint's head.
    The signature itself is checked by the caller (vetting.checkpoints.signature_holds)."""
    return judge(_walk_stored(session, (statement.seq,), batch), statement.seq, statement.head_hash)


def verify_against_all(
    session: Session, statements: Iterable[Statement], batch: int = 1000
) -> list[Verification]:
    """As verify_against, for many checkpoints in one walk of the chain."""
    wanted = list(statements)
    result = _walk_stored(session, (s.seq for s in wanted), batch)
    return [judge(result, s.seq, s.head_hash) for s in wanted]


# An exported copy of the log: one JSON object a line, these keys, `at` in ISO 8601 UTC.
EXPORT_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "data",
    "ip",
    "prev_hash",
    "hash",
)


def export_line(entry: Link) -> str:
    value = {name: getattr(entry, name) for name in EXPORT_FIELDS}
    value["at"] = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    return canonical(value)


def export(session: Session, batch: int = 1000) -> Iterator[str]:
    """The stored entries, oldest first, as the lines of an exported copy."""
    for entry in _stored(session, batch):
        yield export_line(entry)


@dataclass(frozen=True)
class ExportedEntry:
    seq: int
    at: datetime
    actor_id: int | None
    action: str
    object_type: str | None
    object_id: str | None
    data: str
    ip: str | None
    prev_hash: str
    hash: str


def read_exported(lines: Iterable[str]) -> Iterator[ExportedEntry]:
    """Read an exported copy back; ValueError naming the line that is not an entry."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
            at = datetime.fromisoformat(value["at"])
            if at.tzinfo is None:
                raise ValueError("time without zone")
            entry = ExportedEntry(**{**{k: value[k] for k in EXPORT_FIELDS}, "at": at})
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"line {number} is not an audit entry ({error})") from error
        yield entry


def decode(entry: AuditEntry) -> dict[str, Any]:
    value = json.loads(entry.data)
    return value if isinstance(value, dict) else {}
