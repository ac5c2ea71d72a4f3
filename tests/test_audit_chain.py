"""The audit chain detects every kind of tampering, and names the first bad entry."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.stages import Stage
from vetting.extensions import db
from vetting.models import AuditEntry
from vetting.scenarios import make_election, make_people, nominate, walk

COLUMNS = (
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


@pytest.fixture
def world(session) -> int:
    """A candidacy walked to the end; returns the number of audit entries."""
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.CLOSED)
    session.commit()
    count = session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    assert count is not None and count > 20
    return count


def _raw(session, sql: str, **params) -> None:
    session.execute(sa.text(sql), params)
    session.commit()


def _row(session, seq: int) -> dict:
    row = session.execute(
        sa.text(f"SELECT {', '.join(COLUMNS)} FROM audit_entries WHERE seq = :seq"), {"seq": seq}
    ).one()
    return dict(row._mapping)


def _verify() -> audit.Verification:
    with db.sessionmaker() as s:
        return audit.verify(s)


def test_chain_verifies_when_nothing_was_touched(world):
    result = _verify()
    assert result.ok
    assert result.entries == world
    assert result.first_bad_seq is None


def test_chain_verifies_when_audit_log_is_empty(app):
    result = _verify()
    assert result.ok and result.entries == 0


@pytest.mark.parametrize(
    ("column", "value"),
    [("data", '{"forged":true}'), ("action", "account:create"), ("actor_id", None)],
)
def test_verify_names_entry_when_a_field_of_it_was_edited(world, session, column, value):
    k = world - 1  # late in the walk: a staff member acted, the action is not account:create
    assert _row(session, k)[column] != value
    _raw(session, f"UPDATE audit_entries SET {column} = :value WHERE seq = :k", value=value, k=k)

    result = _verify()
    assert not result.ok
    assert result.first_bad_seq == k
    assert f"entry {k} was altered" in (result.problem or "")


def test_verify_names_entry_when_its_hash_was_recomputed_after_an_edit(world, session):
    # A forger who recomputes the edited entry's hash breaks the link to the next entry.
    k = 7
    row = _row(session, k)
    forged = audit.entry_hash(
        seq=k,
        at=session.scalar(sa.select(AuditEntry.at).where(AuditEntry.seq == k)),
        actor_id=row["actor_id"],
        action=row["action"],
        object_type=row["object_type"],
        object_id=row["object_id"],
        data='{"forged":true}',
        ip=row["ip"],
        prev_hash=row["prev_hash"],
    )
    _raw(
        session,
        "UPDATE audit_entries SET data = :data, hash = :hash WHERE seq = :k",
        data='{"forged":true}',
        hash=forged,
        k=k,
    )

    result = _verify()
    assert not result.ok
    assert result.first_bad_seq == k + 1
    assert "previous hash differs" in (result.problem or "")


def test_verify_names_missing_entry_when_one_was_deleted(world, session):
    k = 5
    _raw(session, "DELETE FROM audit_entries WHERE seq = :k", k=k)

    result = _verify()
    assert not result.ok
    assert result.first_bad_seq == k
    assert f"entry {k} is missing" in (result.problem or "")


def test_verify_names_entry_when_the_last_one_was_deleted(world, session):
    _raw(session, "DELETE FROM audit_entries WHERE seq = :k", k=world)

    result = _verify()
    assert not result.ok
    assert result.first_bad_seq == world


def _insert(session, seq: int, prev_hash: str) -> str:
    """Insert a well-formed forged entry (its own hash is right) and return its hash."""
    at = session.scalar(sa.select(AuditEntry.at).where(AuditEntry.seq == 1))
    data = '{"forged":true}'
    digest = audit.entry_hash(
        seq=seq,
        at=at,
        actor_id=None,
        action=AuditAction.FINDING_ADOPT.value,
        object_type=None,
        object_id=None,
        data=data,
        ip=None,
        prev_hash=prev_hash,
    )
    session.add(
        AuditEntry(
            seq=seq,
            at=at,
            actor_id=None,
            action=AuditAction.FINDING_ADOPT.value,
            object_type=None,
            object_id=None,
            data=data,
            ip=None,
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    session.commit()
    return digest


def test_verify_names_entry_after_forgery_when_one_was_inserted_in_the_middle(world, session):
    k = 6
    # Shift the later entries up by one (through negatives, since seq is the primary key).
    _raw(session, "UPDATE audit_entries SET seq = -seq - 1 WHERE seq >= :k", k=k)
    _raw(session, "UPDATE audit_entries SET seq = -seq WHERE seq < 0")
    _insert(session, k, _row(session, k - 1)["hash"])

    result = _verify()
    assert not result.ok
    # The forged entry itself is well-formed; the entry it displaced no longer fits.
    assert result.first_bad_seq == k + 1


def test_verify_names_appended_entry_when_one_was_added_past_the_head(world, session):
    _insert(session, world + 1, _row(session, world)["hash"])

    result = _verify()
    assert not result.ok
    assert result.first_bad_seq == world + 1
    assert f"recorded head is entry {world}" in (result.problem or "")


def test_verify_names_first_swapped_entry_when_two_were_reordered(world, session):
    a, b = 4, 9
    row_a, row_b = _row(session, a), _row(session, b)
    assignments = ", ".join(f"{c} = :{c}" for c in COLUMNS)
    # `hash` is unique: park one row's hash aside while the two swap.
    _raw(session, "UPDATE audit_entries SET hash = 'parked' WHERE seq = :a", a=a)
    _raw(session, f"UPDATE audit_entries SET {assignments} WHERE seq = :seq", seq=b, **row_a)
    _raw(session, f"UPDATE audit_entries SET {assignments} WHERE seq = :seq", seq=a, **row_b)

    result = _verify()
    assert not result.ok
    assert result.first_bad_seq == a


def test_cli_verify_exits_zero_when_chain_is_intact(world, app):
    result = app.test_cli_runner().invoke(args=["vetting", "audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"audit chain intact: {world} entries" in result.output


def test_cli_verify_exits_one_naming_entry_when_chain_was_tampered(world, app, session):
    _raw(session, "UPDATE audit_entries SET data = '{}' WHERE seq = 11")

    result = app.test_cli_runner().invoke(args=["vetting", "audit", "verify"])
    assert result.exit_code == 1
    assert "audit chain BROKEN at entry 11" in result.output


def test_concurrent_appends_keep_chain_dense_when_two_threads_write(app, session):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    maker = db.sessionmaker
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def append(name: str) -> None:
        try:
            start.wait()
            for i in range(20):
                with maker() as s:
                    audit.record(s, None, AuditAction.AUDIT_VERIFY, None, {"t": name, "i": i})
                    s.commit()
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    seqs = list(session.scalars(sa.select(AuditEntry.seq).order_by(AuditEntry.seq)))
    assert seqs == list(range(1, 41))
    assert _verify().ok
