"""The tamper-evident audit log: append-only, hash-chained, written in the caller's transaction.

Each entry stores the previous entry's hash and its own hash over a canonical serialisation.
The sequence number is taken from the single `audit_head` row, locked for the rest of the
transaction, so entries never fork and a missing number means a deletion.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting.domain.events import AuditAction
from vetting.models import AuditEntry, AuditHead, User

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


def _hash_of(entry: AuditEntry) -> str:
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


def verify(session: Session, batch: int = 1000) -> Verification:
    """Walk the whole chain and name the first entry that does not fit."""
    expected_seq = 1
    prev = GENESIS_HASH
    stmt = sa.select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    # Closing the streamed result matters on PostgreSQL: an early return would otherwise
    # leave its server-side cursor open.
    with session.scalars(stmt) as entries:
        for entry in entries:
            if entry.seq != expected_seq:
                return Verification(
                    False,
                    expected_seq - 1,
                    expected_seq,
                    f"entry {expected_seq} is missing (next found is {entry.seq})",
                )
            if entry.prev_hash != prev:
                return Verification(
                    False,
                    expected_seq - 1,
                    entry.seq,
                    f"entry {entry.seq} does not follow entry {entry.seq - 1} "
                    "(previous hash differs)",
                )
            if _hash_of(entry) != entry.hash:
                return Verification(
                    False,
                    expected_seq - 1,
                    entry.seq,
                    f"entry {entry.seq} was altered (its hash does not match its content)",
                )
            prev = entry.hash
            expected_seq += 1
    count = expected_seq - 1
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != count or head_hash != prev:
        return Verification(
            False,
            count,
            min(head_seq, count) + 1,
            f"the chain ends at entry {count} but the recorded head is entry {head_seq}",
        )
    return Verification(True, count)


def decode(entry: AuditEntry) -> dict[str, Any]:
    value = json.loads(entry.data)
    return value if isinstance(value, dict) else {}
