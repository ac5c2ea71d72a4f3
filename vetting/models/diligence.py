from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vetting.domain.vocabulary import EvidenceKind, Level, MisconductCategory
from vetting.models.base import Base, enum_type, utcnow


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
    added_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Complaint(Base):
    """A report through the confidential channel. Restricted: vetting officers only."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    category: Mapped[MisconductCategory] = mapped_column(enum_type(MisconductCategory))
    text: Mapped[str] = mapped_column(sa.Text)
    reporter_contact: Mapped[str | None] = mapped_column(sa.String(300))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdverseNotice(Base):
    """The candidate's right of reply before an adverse integrity outcome enters a finding."""

    __tablename__ = "adverse_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), unique=True)
    summary: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply_due_at: Mapped[datetime]
    reply_text: Mapped[str | None] = mapped_column(sa.Text)
    replied_at: Mapped[datetime | None]
