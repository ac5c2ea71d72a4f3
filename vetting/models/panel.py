from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
    DecisionMethod,
    IntegrityOutcome,
    InterviewMode,
    MeritCategory,
)
from vetting.models.accounts import User
from vetting.models.base import Base, enum_type, utcnow


class Assignment(Base):
    """A reviewer on a candidacy: conflict declaration, lock and first exposure live here."""

    __tablename__ = "assignments"
    __table_args__ = (
        sa.UniqueConstraint(
            "candidacy_id", "reviewer_id", name="uq_assignments_candidacy_reviewer"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    conflict_status: Mapped[ConflictStatus] = mapped_column(
        enum_type(ConflictStatus), default=ConflictStatus.UNDECLARED
    )
    conflict_kind: Mapped[ConflictKind | None] = mapped_column(enum_type(ConflictKind))
    conflict_details: Mapped[str | None] = mapped_column(sa.Text)
    # Conflicts the system found from the facts on record (comma-separated ConflictKind values).
    detected_conflicts: Mapped[str | None] = mapped_column(sa.String(200))
    declared_at: Mapped[datetime | None]
    # The paper phase's lock; the post-interview phase has its own.
    locked_at: Mapped[datetime | None]
    interview_locked_at: Mapped[datetime | None]
    first_saw_others_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reviewer: Mapped[User] = relationship(lazy="raise")


class Interview(Base):
    """One interview per candidacy: when, how, why; the notes are panel-level material."""

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), unique=True)
    scheduled_at: Mapped[datetime]
    mode: Mapped[InterviewMode] = mapped_column(enum_type(InterviewMode))
    purpose: Mapped[str] = mapped_column(sa.Text)
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InterviewAttendance(Base):
    """A panel member present at the interview."""

    __tablename__ = "interview_attendance"
    __table_args__ = (
        sa.UniqueConstraint("interview_id", "member_id", name="uq_interview_attendance_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(sa.ForeignKey("interviews.id"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))


class Score(Base):
    __tablename__ = "scores"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "criterion_id", name="uq_scores_assignment_criterion"),
        # No value means "not applicable", allowed only where the criterion allows it.
        sa.CheckConstraint("value IS NULL OR value BETWEEN 1 AND 4", name="value_range"),
        sa.CheckConstraint("length(rationale) > 0", name="rationale_present"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignments.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id"))
    value: Mapped[int | None]
    rationale: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the score was changed after its author first saw the others' scores.
    changed_after_exposure: Mapped[bool] = mapped_column(default=False)


class ScoreRevision(Base):
    """An earlier version of a score, kept when the score is changed after its lock."""

    __tablename__ = "score_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(sa.ForeignKey("scores.id"), index=True)
    value: Mapped[int | None]
    rationale: Mapped[str] = mapped_column(sa.Text)
    # Why the reviewer changed it, and whether they had seen the others' scores by then.
    reason: Mapped[str] = mapped_column(sa.Text)
    after_exposure: Mapped[bool] = mapped_column(default=False)
    revised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    revised_at: Mapped[datetime] = mapped_column(default=utcnow)


class Finding(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), unique=True)
    eligible: Mapped[bool] = mapped_column(default=True)
    merit_category: Mapped[MeritCategory] = mapped_column(enum_type(MeritCategory))
    integrity_outcome: Mapped[IntegrityOutcome] = mapped_column(enum_type(IntegrityOutcome))
    reasons: Mapped[str] = mapped_column(sa.Text)
    dissent: Mapped[str | None] = mapped_column(sa.Text)
    method: Mapped[DecisionMethod] = mapped_column(
        enum_type(DecisionMethod), default=DecisionMethod.CONSENSUS
    )
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    abstentions: Mapped[int | None]
    adopted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    adopted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The chair's signature: their full name, typed.
    signed_name: Mapped[str | None] = mapped_column(sa.String(200))


class FindingReason(Base):
    """The finding's reasons on one criterion of the rubric."""

    __tablename__ = "finding_reasons"
    __table_args__ = (
        sa.UniqueConstraint("finding_id", "criterion_id", name="uq_finding_reasons_criterion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(sa.ForeignKey("findings.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id"))
    text: Mapped[str] = mapped_column(sa.Text)


class PublicSummary(Base):
    """One version of what the public reads about a candidacy.

    Drafted by one secretariat member, approved for publication by another (never the
    drafter). `approved_at` is the act of approval; `published_at` is the moment the version
    becomes public: later than the approval when an embargo or the notification lead time
    holds it back. Versions after the first carry a corrigendum saying what changed and why;
    no version is ever deleted, so nothing published disappears."""

    __tablename__ = "public_summaries"
    __table_args__ = (
        sa.UniqueConstraint("candidacy_id", "version", name="uq_public_summaries_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    text: Mapped[str] = mapped_column(sa.Text)
    # Required from version 2 on, and shown publicly with the corrected version.
    corrigendum: Mapped[str | None] = mapped_column(sa.Text)
    # Not public before this moment, whatever else allows it.
    embargo_until: Mapped[datetime | None]
    drafted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The second secretariat member, who approved publication.
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    # The signed audit checkpoint taken when publication was approved.
    checkpoint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("audit_checkpoints.id"))
