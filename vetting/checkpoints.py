"""Signed checkpoints of the audit chain: the installation's Ed25519 key signs the chain's head
(its size and last hash) each time something is published.

The key is 32 random bytes (an Ed25519 seed), base64, from SIGNING_KEY; outside production it is
kept in SIGNING_KEY_FILE, created on first use. The public key is published on the site; with it,
anyone can check a checkpoint's signature, and anyone holding a copy of the log can check that the
log still passes through the checkpoint's head (see `vetting audit verify --checkpoint`).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy.orm import Session

from vetting.audit import canonical, ensure_head
from vetting.models import AuditCheckpoint, AuditHead
from vetting.sealing import local_secret

# Where the application keeps its Signer: app.extensions[SIGNER_KEY] and session.info[SIGNER_KEY].
SIGNER_KEY = "vetting.signer"
STATEMENT_TYPE = "vetting-audit-checkpoint"


class Signer:
    def __init__(self, seed_b64: str) -> None:
        seed = base64.b64decode(seed_b64.strip(), validate=True)
        if len(seed) != 32:
            raise ValueError("SIGNING_KEY must be 32 bytes, base64-encoded.")
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = self._private.public_key()

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._private.sign(message)).decode("ascii")

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    @property
    def public_key_pem(self) -> str:
        return public_key_pem(self.public_key)


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(public_raw(key)).hexdigest()


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("This is not an Ed25519 public key.")
    return key


def signature_holds(key: Ed25519PublicKey, statement: str, signature_b64: str) -> bool:
    try:
        key.verify(base64.b64decode(signature_b64, validate=True), statement.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True


def new_seed() -> str:
    return base64.b64encode(os.urandom(32)).decode("ascii")


def local_seed(path: Path) -> str:
    """The embedded mode's signing key, kept beside the database across restarts."""
    return local_secret(path, new_seed)


@dataclass(frozen=True)
class Statement:
    seq: int
    head_hash: str
    signed_at: str
    key_id: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": STATEMENT_TYPE,
            "version": 1,
            "seq": self.seq,
            "head_hash": self.head_hash,
            "signed_at": self.signed_at,
            "key_id": self.key_id,
        }


def parse_statement(text: str) -> Statement:
    """Read a signed statement back; ValueError when it is not one of ours."""
    import json

    value = json.loads(text)
    if not isinstance(value, dict) or value.get("type") != STATEMENT_TYPE:
        raise ValueError("This is not an audit checkpoint statement.")
    if value.get("version") != 1:
        raise ValueError("Unknown checkpoint statement version.")
    seq, head_hash = value.get("seq"), value.get("head_hash")
    if not isinstance(seq, int) or seq < 0 or not isinstance(head_hash, str):
        raise ValueError("The checkpoint statement lacks its sequence number or head hash.")
    return Statement(seq, head_hash, str(value.get("signed_at")), str(value.get("key_id")))


def signer_of(session: Session) -> Signer:
    signer = session.info.get(SIGNER_KEY)
    if signer is None:
        raise RuntimeError("No signing key is configured for this session.")
    assert isinstance(signer, Signer)
    return signer


def take(session: Session) -> AuditCheckpoint:
    """Sign the chain's head as it stands in this transaction (after the caller's own audit
    entry, so the checkpoint covers the act it accompanies). The head row is locked, so no other
    transaction can append between reading and signing."""
    signer = signer_of(session)
    ensure_head(session)
    head = session.execute(
        sa.select(AuditHead)
        .where(AuditHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    now = datetime.now(UTC)
    statement = Statement(
        seq=head.seq,
        head_hash=head.hash,
        signed_at=now.isoformat(timespec="seconds"),
        key_id=signer.key_id,
    )
    text = canonical(statement.as_dict())
    checkpoint = AuditCheckpoint(
        seq=head.seq,
        head_hash=head.hash,
        signed_at=now,
        key_id=signer.key_id,
        statement=text,
        signature=signer.sign(text.encode("utf-8")),
    )
    session.add(checkpoint)
    session.flush()
    return checkpoint


def download_of(checkpoint: AuditCheckpoint) -> dict[str, str]:
    """The file the transparency page offers and `vetting audit verify --checkpoint` reads."""
    return {
        "statement": checkpoint.statement,
        "signature": checkpoint.signature,
        "key_id": checkpoint.key_id,
    }


@dataclass(frozen=True)
class Signed:
    """A statement as signed (its exact text), its signature, and what the text says."""

    text: str
    signature: str
    statement: Statement


def read_download(text: str) -> Signed:
    """Read a downloaded checkpoint file; ValueError when it is not one."""
    import json

    try:
        value = json.loads(text)
    except ValueError as error:
        raise ValueError("The checkpoint file is not JSON.") from error
    if not isinstance(value, dict):
        raise ValueError("The checkpoint file is not a signed checkpoint.")
    statement, signature = value.get("statement"), value.get("signature")
    if not isinstance(statement, str) or not isinstance(signature, str):
        raise ValueError("The checkpoint file lacks its statement or its signature.")
    return Signed(statement, signature, parse_statement(statement))


def signature_problem(key: Ed25519PublicKey, signed: Signed) -> str | None:
    """None when `key` signed exactly this statement; else what is wrong, in a sentence."""
    if signed.statement.key_id != key_id_of(key):
        return (
            f"the checkpoint names key {signed.statement.key_id}, "
            f"not the key given ({key_id_of(key)})"
        )
    if not signature_holds(key, signed.text, signed.signature):
        return "the signature does not match the statement"
    return None
