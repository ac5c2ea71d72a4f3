"""Signed checkpoints of the audit chain: the signature holds only for the exact statement and
key, and a chain rewritten or truncated after a checkpoint fails against it, in the database and
in an exported copy, through `vetting audit verify`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.conftest import TEST_SIGNING_KEY
from vetting import audit, checkpoints
from vetting.domain.events import AuditAction
from vetting.extensions import db
from vetting.models import AuditCheckpoint, AuditEntry, AuditHead
from vetting.scenarios import make_election, make_people, nominate


@pytest.fixture
def world(session) -> AuditCheckpoint:
    """Some history, then a checkpoint over it; returns the checkpoint (committed)."""
    people = make_people(session)
    election = make_election(session, people)
    nominate(session, people, election, name="Amina Diallo", state="SEN")
    checkpoint = checkpoints.take(session)
    session.commit()
    assert checkpoint.seq > 10
    return checkpoint


def _other_key_pem() -> str:
    return checkpoints.public_key_pem(Ed25519PrivateKey.generate().public_key())


def _own_key() -> checkpoints.Signer:
    return checkpoints.Signer(TEST_SIGNING_KEY)


def _statement(checkpoint: AuditCheckpoint) -> checkpoints.Statement:
    return checkpoints.parse_statement(checkpoint.statement)


def _rewrite_from(session, seq: int) -> None:
    """What an insider with database access would do: edit entry `seq`, recompute the hash of
    it and of every later entry, and reset the head row, so that `verify` alone passes."""
    entries = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq)
    ).all()
    prev = session.scalar(sa.select(AuditEntry.hash).where(AuditEntry.seq == seq - 1))
    for entry in entries:
        if entry.seq == seq:
            entry.data = audit.canonical({"forged": True})
        entry.prev_hash = prev or audit.GENESIS_HASH
        entry.hash = audit.entry_hash(
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
        prev = entry.hash
    head = session.get(AuditHead, 1)
    head.hash = prev
    session.commit()


def _truncate_to(session, last: int) -> None:
    """Delete every entry after `last` and reset the head to it: again `verify` alone passes."""
    session.execute(sa.delete(AuditEntry).where(AuditEntry.seq > last))
    head = session.get(AuditHead, 1)
    head.seq = last
    head.hash = session.scalar(sa.select(AuditEntry.hash).where(AuditEntry.seq == last))
    session.commit()


def _verify_against(statement: checkpoints.Statement) -> audit.Verification:
    with db.sessionmaker() as s:
        return audit.verify_against(s, statement)


# The signature.


def test_signature_holds_when_checked_with_the_installation_public_key(world):
    key = checkpoints.load_public_key(_own_key().public_key_pem)
    assert checkpoints.signature_holds(key, world.statement, world.signature)
    signed = checkpoints.read_download(json.dumps(checkpoints.download_of(world)))
    assert checkpoints.signature_problem(key, signed) is None


def test_signature_fails_when_the_statement_is_altered_by_one_character(world):
    key = _own_key().public_key
    altered = world.statement.replace(f'"seq":{world.seq}', f'"seq":{world.seq - 1}')
    assert altered != world.statement
    assert not checkpoints.signature_holds(key, altered, world.signature)
    signed = checkpoints.Signed(altered, world.signature, checkpoints.parse_statement(altered))
    assert checkpoints.signature_problem(key, signed) == (
        "the signature does not match the statement"
    )


def test_signature_fails_when_checked_with_another_key(world):
    other = checkpoints.load_public_key(_other_key_pem())
    assert not checkpoints.signature_holds(other, world.statement, world.signature)
    signed = checkpoints.read_download(json.dumps(checkpoints.download_of(world)))
    assert "not the key given" in (checkpoints.signature_problem(other, signed) or "")


def test_read_download_refuses_when_the_file_is_not_a_checkpoint():
    for text in ("not json", "[]", '{"statement": "{}", "signature": "x"}', '{"signature": "x"}'):
        with pytest.raises(ValueError):
            checkpoints.read_download(text)


# The chain against a checkpoint.


def test_verify_against_passes_when_the_chain_is_intact(world):
    result = _verify_against(_statement(world))
    assert result.ok
    assert result.entries == world.seq


def test_verify_against_passes_when_entries_were_appended_after_the_checkpoint(world, session):
    audit.record(session, None, AuditAction.AUDIT_VERIFY)
    audit.record(session, None, AuditAction.AUDIT_VERIFY)
    session.commit()

    result = _verify_against(_statement(world))

    assert result.ok
    assert result.entries == world.seq + 2


def test_verify_against_fails_when_an_entry_before_it_was_rewritten_consistently(world, session):
    _rewrite_from(session, 5)
    with db.sessionmaker() as s:
        assert audit.verify(s).ok  # the chain alone cannot tell

    result = _verify_against(_statement(world))

    assert not result.ok
    assert result.problem == f"rewritten at or before entry {world.seq}"


def test_verify_against_fails_when_the_checkpointed_entry_itself_was_rewritten(world, session):
    _rewrite_from(session, world.seq)
    result = _verify_against(_statement(world))
    assert not result.ok
    assert result.first_bad_seq == world.seq


def test_verify_against_fails_when_the_log_was_truncated_before_it(world, session):
    _truncate_to(session, world.seq - 3)
    with db.sessionmaker() as s:
        assert audit.verify(s).ok

    result = _verify_against(_statement(world))

    assert not result.ok
    assert result.problem == (
        f"truncated: the log ends at entry {world.seq - 3}, the checkpoint covers {world.seq}"
    )


def test_verify_against_fails_when_the_chain_itself_is_broken(world, session):
    session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 3).values(data='{"x":1}'))
    session.commit()
    result = _verify_against(_statement(world))
    assert not result.ok
    assert result.first_bad_seq == 3
    assert "entry 3 was altered" in (result.problem or "")


def test_verify_against_passes_when_the_checkpoint_covers_the_empty_log(app, session):
    checkpoint = checkpoints.take(session)
    session.commit()
    assert checkpoint.seq == 0
    assert _verify_against(_statement(checkpoint)).ok


# The command line.


def _invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=["vetting", "audit", *args])


def _download(tmp_path: Path, checkpoint: AuditCheckpoint) -> str:
    path = tmp_path / "checkpoint.json"
    path.write_text(json.dumps(checkpoints.download_of(checkpoint)), encoding="utf-8")
    return str(path)


def _key_file(tmp_path: Path, pem: str, name: str = "key.pem") -> str:
    path = tmp_path / name
    path.write_text(pem, encoding="ascii")
    return str(path)


def test_cli_verifies_checkpoint_with_own_key_when_nothing_was_touched(app, world, tmp_path):
    result = _invoke(app, "verify", "--checkpoint", _download(tmp_path, world))

    assert result.exit_code == 0, result.output
    assert f"public key {_own_key().key_id}: this installation's own signing key" in result.output
    assert f"checkpoint at entry {world.seq}: signature valid" in result.output
    assert f"intact through the checkpoint at entry {world.seq} (the database)" in result.output


def test_cli_verifies_checkpoint_with_a_given_public_key(app, world, tmp_path):
    key = _key_file(tmp_path, _own_key().public_key_pem)
    result = _invoke(app, "verify", "--checkpoint", _download(tmp_path, world), "--public-key", key)
    assert result.exit_code == 0, result.output
    assert f"public key {_own_key().key_id} from {key}" in result.output


def test_cli_rejects_checkpoint_when_another_public_key_is_given(app, world, tmp_path):
    key = _key_file(tmp_path, _other_key_pem())
    result = _invoke(app, "verify", "--checkpoint", _download(tmp_path, world), "--public-key", key)
    assert result.exit_code == 1
    assert "checkpoint REJECTED: signed by key" in result.output
    assert "--public-key" in result.output


def test_cli_rejects_checkpoint_when_its_statement_was_altered(app, world, tmp_path):
    download = checkpoints.download_of(world)
    download["statement"] = download["statement"].replace(world.head_hash, "f" * 64)
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(download), encoding="utf-8")

    result = _invoke(app, "verify", "--checkpoint", str(path))

    assert result.exit_code == 1
    assert "checkpoint REJECTED: the signature does not match the statement" in result.output


def test_cli_fails_checkpoint_when_the_log_was_rewritten_after_it(app, world, session, tmp_path):
    _rewrite_from(session, 4)
    assert _invoke(app, "verify").exit_code == 0  # the chain alone cannot tell

    result = _invoke(app, "verify", "--checkpoint", _download(tmp_path, world))

    assert result.exit_code == 1
    assert "signature valid" in result.output
    assert f"BROKEN against the checkpoint at entry {world.seq}" in result.output
    assert f"rewritten at or before entry {world.seq}" in result.output


def test_cli_fails_checkpoint_when_the_log_was_truncated(app, world, session, tmp_path):
    _truncate_to(session, world.seq - 1)
    result = _invoke(app, "verify", "--checkpoint", _download(tmp_path, world))
    assert result.exit_code == 1
    assert f"truncated: the log ends at entry {world.seq - 1}" in result.output


def test_cli_refuses_when_the_checkpoint_file_is_not_one(app, tmp_path):
    path = tmp_path / "junk.json"
    path.write_text("{}", encoding="utf-8")
    result = _invoke(app, "verify", "--checkpoint", str(path))
    assert result.exit_code == 1
    assert "lacks its statement or its signature" in result.output


def test_cli_checks_every_stored_checkpoint_when_all_are_asked(app, world, session):
    audit.record(session, None, AuditAction.AUDIT_VERIFY)
    checkpoints.take(session)
    session.commit()

    result = _invoke(app, "verify", "--all-checkpoints")

    assert result.exit_code == 0, result.output
    assert "all 2 checkpoint(s) hold" in result.output
    assert f"checkpoint at entry {world.seq + 1}: signature valid" in result.output


def test_cli_names_the_failed_checkpoints_when_the_log_was_rewritten(app, world, session):
    audit.record(session, None, AuditAction.AUDIT_VERIFY)
    later = checkpoints.take(session)
    session.commit()
    _rewrite_from(session, world.seq + 1)  # after the first checkpoint, before the second

    result = _invoke(app, "verify", "--all-checkpoints")

    assert result.exit_code == 1
    assert f"checkpoint at entry {world.seq}: signature valid" in result.output
    assert f"checkpoint at entry {later.seq} REJECTED" in result.output
    assert "1 of 2 checkpoint(s) failed" in result.output


def test_cli_rejects_stored_checkpoint_when_signed_by_an_unknown_key(app, world, session):
    row = session.get(AuditCheckpoint, world.id)
    other = checkpoints.Signer(checkpoints.new_seed())
    text = audit.canonical({**json.loads(row.statement), "key_id": other.key_id})
    row.statement, row.signature, row.key_id = text, other.sign(text.encode()), other.key_id
    session.commit()

    result = _invoke(app, "verify", "--all-checkpoints")

    assert result.exit_code == 1
    assert f"signed by key {other.key_id}, which is not among the keys given" in result.output


def test_cli_verifies_an_exported_copy_without_the_database(app, world, session, tmp_path):
    log = tmp_path / "log.jsonl"
    exported = _invoke(app, "export", str(log))
    assert exported.exit_code == 0, exported.output
    assert f"exported {world.seq} entries" in exported.output
    download = _download(tmp_path, world)
    # What the database now says no longer matters: the copy is what is checked.
    session.execute(sa.delete(AuditEntry))
    session.commit()

    result = _invoke(app, "verify", "--log", str(log), "--checkpoint", download)

    assert result.exit_code == 0, result.output
    assert f"(the copy in {log})" in result.output


def test_cli_fails_an_exported_copy_when_it_was_rewritten(app, world, session, tmp_path):
    log = tmp_path / "log.jsonl"
    _rewrite_from(session, 2)
    assert _invoke(app, "export", str(log)).exit_code == 0

    result = _invoke(app, "verify", "--log", str(log), "--checkpoint", _download(tmp_path, world))

    assert result.exit_code == 1
    assert f"rewritten at or before entry {world.seq}" in result.output


def test_cli_fails_an_exported_copy_when_a_line_was_edited(app, world, tmp_path):
    log = tmp_path / "log.jsonl"
    assert _invoke(app, "export", str(log)).exit_code == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    entry["data"] = '{"forged":true}'
    lines[2] = json.dumps(entry)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = _invoke(app, "verify", "--log", str(log), "--checkpoint", _download(tmp_path, world))

    assert result.exit_code == 1
    assert "entry 3 was altered" in result.output


def test_cli_refuses_log_without_a_checkpoint(app, tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text("", encoding="utf-8")
    result = _invoke(app, "verify", "--log", str(log))
    assert result.exit_code == 2
    assert "--log needs the --checkpoint" in result.output
