from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vetting.domain.vocabulary import EvidenceKind, Level, MisconductCategory, TriageOutcome
from vetting.models.base import Base, enum_type, utcnow


class StoredFile(Base):
    """An uploaded file: encrypted at rest under a random name outside any web root.
    The SHA-256 is of the plaintext, so that tampering with the stored file is detected."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # None for an anonymous reporter's attachment.
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceItem(Base):
    __tablename__ = "evidence_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(enum_type(EvidenceKind))
    source: Mapped[str] = mapped_column(sa.String(300))
    obtained_on: Mapped[date]
    summary: Mapped[str] = mapped_column(sa.Text)
    level: Mapped[Level] = mapped_column(enum_type(Level))
    verified: Mapped[bool] = mapped_column(default=False)
    relied_on: Mapped[bool] = mapped_column(default=False)
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    added_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Complaint(Base):
    """A report through the confidential channel. Restricted: vetting officers only."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    category: Mapped[MisconductCategory] = mapped_column(enum_type(MisconductCategory))
    # Encrypted at rest, like the contact: only vetting officers' pages decrypt them.
    text: Mapped[str] = mapped_column(sa.Text)
    reporter_contact: Mapped[str | None] = mapped_column(sa.Text)
    # SHA-256 of the reporter's receipt code; the code itself is shown once and never stored.
    receipt_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    triage: Mapped[TriageOutcome | None] = mapped_column(enum_type(TriageOutcome))
    triage_reason: Mapped[str | None] = mapped_column(sa.Text)
    triaged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    triaged_at: Mapped[datetime | None]


class ComplaintAddition(Base):
    """More information from the reporter (through the receipt code) or a file they attached."""

    __tablename__ = "complaint_additions"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(sa.ForeignKey("complaints.id"), index=True)
    # Encrypted at rest; empty when the addition is only a file.
    text: Mapped[str] = mapped_column(sa.Text, default="")
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdverseNotice(Base):
    """The candidate's right of reply before an adverse integrity outcome enters a finding."""

    __tablename__ = "adverse_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), unique=True)
    summary: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply_due_at: Mapped[datetime]
    # The de-identified summary is approved by the chair before the candidate receives it.
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reply_text: Mapped[str | None] = mapped_column(sa.Text)
    replied_at: Mapped[datetime | None]
    # The panel records that it read the reply before the finding is adopted.
    reply_read_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reply_read_at: Mapped[datetime | None]


class ReplyAttachment(Base):
    """A file the candidate sent with their reply."""

    __tablename__ = "reply_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("adverse_notices.id"), index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"))


class ReplyAnswers(Base):
    """An evidence item the candidate's reply answers."""

    __tablename__ = "reply_answers"
    __table_args__ = (
        sa.UniqueConstraint("notice_id", "evidence_item_id", name="uq_reply_answers_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("adverse_notices.id"), index=True)
    evidence_item_id: Mapped[int] = mapped_column(sa.ForeignKey("evidence_items.id"))
