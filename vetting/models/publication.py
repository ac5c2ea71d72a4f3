"""The published election report and the signed checkpoints of the audit chain."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vetting.models.base import Base, utcnow


class ElectionReport(Base):
    """One version of an election's published report, in the style of the Advisory Committee
    on Nominations' reports: method, rubric, panel, timeline, general observations, and the
    summary finding of each candidacy.

    The secretariat writes the method and the general observations; the rest is composed from
    the record when publication is approved and frozen in `snapshot` (canonical JSON, with its
    SHA-256), so a published version never changes afterwards. Two-person rule, embargo and
    corrigenda as for the summaries."""

    __tablename__ = "election_reports"
    __table_args__ = (
        sa.UniqueConstraint("election_id", "version", name="uq_election_reports_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(sa.ForeignKey("elections.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    method: Mapped[str] = mapped_column(sa.Text)
    observations: Mapped[str] = mapped_column(sa.Text)
    corrigendum: Mapped[str | None] = mapped_column(sa.Text)
    embargo_until: Mapped[datetime | None]
    drafted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    snapshot: Mapped[str | None] = mapped_column(sa.Text)
    snapshot_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    checkpoint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("audit_checkpoints.id"))


class AuditCheckpoint(Base):
    """The audit chain's head (its size and last hash) signed with the installation's Ed25519
    key. `statement` holds the exact bytes signed (canonical JSON, UTF-8), so anyone with the
    public key can check the signature without knowing how it was serialised."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    head_hash: Mapped[str] = mapped_column(sa.String(64))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # SHA-256 of the raw public key, hex: names the key that signed.
    key_id: Mapped[str] = mapped_column(sa.String(64))
    statement: Mapped[str] = mapped_column(sa.Text)
    # Base64 of the 64-byte Ed25519 signature over `statement`.
    signature: Mapped[str] = mapped_column(sa.String(100))
