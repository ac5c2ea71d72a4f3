"""docs/audit-format.md holds: a verifier written from that page alone (SHA-256, Ed25519 and an
independent RFC 8785 library, nothing of this software) accepts a real exported log against the
real published checkpoints, and refuses a copy altered, rewritten or cut short."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

ZEROS = "0" * 64

# -- The verifier, from docs/audit-format.md only ---------------------------------------------


def entry_hash(entry: dict) -> str:
    body = {name: value for name, value in entry.items() if name != "hash"}
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def verify_copy(lines: list[str], checkpoint: dict, public_key_pem: bytes) -> str:
    """'ok', or the first step of the page that fails."""
    key = load_pem_public_key(public_key_pem)
    assert isinstance(key, Ed25519PublicKey)
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    statement = json.loads(checkpoint["statement"])
    if statement["type"] != "vetting-audit-checkpoint" or statement["version"] != 1:
        return "not a checkpoint"
    if hashlib.sha256(raw).hexdigest() != statement["key_id"]:
        return "another key"
    try:
        key.verify(base64.b64decode(checkpoint["signature"]), checkpoint["statement"].encode())
    except InvalidSignature:
        return "signature"
    previous = ZEROS
    for n, line in enumerate(lines[: statement["seq"]], start=1):
        entry = json.loads(line)
        if (
            entry["seq"] != n
            or entry["prev_hash"] != previous
            or entry_hash(entry) != entry["hash"]
        ):
            return f"chain broken at entry {n}"
        previous = entry["hash"]
    if len(lines) < statement["seq"]:
        return "cut short"
    if previous != statement["head_hash"]:
        return "not the signed head"
    return "ok"


# -- The installation's real log and checkpoints ----------------------------------------------


@pytest.fixture
def published(app, client, tmp_path: Path):
    """The demo (its publications took checkpoints), exported by `vetting audit export`."""
    from vetting import audit, checkpoints
    from vetting.demo import seed_demo
    from vetting.domain.events import AuditAction
    from vetting.extensions import db

    seed_demo(app, reset=False)
    # One more entry whose strings hold what JSON must escape and letters beyond ASCII, and a
    # checkpoint after it, made as a publication makes one.
    with db.sessionmaker() as session:
        audit.record(
            session,
            None,
            AuditAction.AUDIT_VERIFY,
            data={"note": 'Zoë Ødegård said "yes"\n\tto 中文 \u2028 \x01'},
        )
        extra = checkpoints.download_of(checkpoints.take(session))
        session.commit()
    copy = tmp_path / "log.jsonl"
    exported = app.test_cli_runner().invoke(args=["vetting", "audit", "export", str(copy)])
    assert exported.exit_code == 0, exported.output
    ids = [c["id"] for c in client.get("/api/v1/checkpoints").get_json()["items"]]
    public = [client.get(f"/transparency/checkpoints/{i}.json").get_json() for i in ids]
    assert public, "the demo publishes, and each publication takes a checkpoint"
    key = client.get("/transparency/public-key.pem").get_data()
    # Lines end with "\n" only: str.splitlines would also cut at the U+2028 inside a string.
    lines = copy.read_bytes().decode("utf-8").split("\n")
    assert lines[-1] == ""
    return lines[:-1], [*public, extra], key


def test_an_exported_log_verifies_against_every_public_checkpoint_by_the_documented_format(
    published,
):
    lines, checkpoints, key = published
    assert [verify_copy(lines, c, key) for c in checkpoints] == ["ok"] * len(checkpoints)
    # The copy exercises what the format says of strings: non-ASCII letters as themselves, and
    # the escaped quotes of the `data` member's own JSON text.
    assert any("Zoë Ødegård" in line and "中文" in line and "\u2028" in line for line in lines)
    assert any('\\"' in line for line in lines)


def test_a_copy_altered_rewritten_or_cut_short_fails_by_the_documented_format(published):
    lines, checkpoints, key = published
    last = max(checkpoints, key=lambda c: json.loads(c["statement"])["seq"])
    covered = json.loads(last["statement"])["seq"]

    altered = list(lines)
    entry = json.loads(altered[2])
    entry["data"] = entry["data"].replace("}", ',"x":1}', 1)
    altered[2] = json.dumps(entry)
    assert verify_copy(altered, last, key) == "chain broken at entry 3"

    # Every hash recomputed after the change: the chain holds, but not up to the signed head.
    rewritten, previous = [], ZEROS
    for line in altered:
        entry = json.loads(line)
        entry["prev_hash"] = previous
        entry["hash"] = previous = entry_hash(entry)
        rewritten.append(json.dumps(entry))
    assert verify_copy(rewritten, last, key) == "not the signed head"

    assert verify_copy(lines[: covered - 1], last, key) == "cut short"

    forged = dict(last, statement=last["statement"].replace('"seq":', '"seq": ', 1))
    assert verify_copy(lines, forged, key) == "signature"


def test_vetting_audit_verify_agrees_when_the_copy_holds_a_line_separator(app, published, tmp_path):
    lines, checkpoints, key = published
    copy, checkpoint, pem = tmp_path / "copy.jsonl", tmp_path / "ck.json", tmp_path / "key.pem"
    copy.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    checkpoint.write_text(json.dumps(checkpoints[-1]), "utf-8")
    pem.write_bytes(key)
    arguments = ["vetting", "audit", "verify", "--log", str(copy), "--checkpoint", str(checkpoint)]
    result = app.test_cli_runner().invoke(args=[*arguments, "--public-key", str(pem)])
    assert result.exit_code == 0, result.output
    assert "intact through the checkpoint" in result.output
