"""The two cross-cutting records: the audit chain and the notice outbox."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vetting.models.base import Base, enum_type, utcnow


class AuditEntry(Base):
    """Append-only and hash-chained; `seq` is dense, so a gap means a deletion."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    data: Mapped[str] = mapped_column(sa.Text)  # canonical JSON, as hashed
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


class AuditHead(Base):
    """A single row; locking it serialises appends so sequence numbers never fork."""

    __tablename__ = "audit_head"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(sa.String(64))


class NoticeStatus(enum.Enum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


class Notice(Base):
    """The outbox: written with the change it announces, delivered after commit."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    recipient_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The candidacy the notice is about, where the timing of its delivery matters (the finding
    # must reach the candidate and the State some working days before publication).
    candidacy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(2), default="en")
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[NoticeStatus] = mapped_column(
        enum_type(NoticeStatus), default=NoticeStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
