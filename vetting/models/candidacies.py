from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import Gender, IntegrityOutcome, JudgeList
from vetting.models.base import Base, enum_type, utcnow
from vetting.models.elections import Election, State


def new_public_id() -> str:
    return uuid.uuid4().hex


class Candidacy(Base):
    __tablename__ = "candidacies"
    __table_args__ = (
        # One candidate per State per election (art. 36(4)(b)).
        sa.UniqueConstraint(
            "election_id", "nominating_state_code", name="uq_candidacies_election_state"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Opaque identifier for URLs: no sequential ids, no names.
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    election_id: Mapped[int] = mapped_column(sa.ForeignKey("elections.id"), index=True)
    candidate_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    nationality_code: Mapped[str] = mapped_column(sa.ForeignKey("states.code"))
    nominating_state_code: Mapped[str] = mapped_column(sa.ForeignKey("states.code"))
    gender: Mapped[Gender] = mapped_column(enum_type(Gender))
    judge_list: Mapped[JudgeList] = mapped_column(enum_type(JudgeList), default=JudgeList.NONE)
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    stage: Mapped[Stage] = mapped_column(enum_type(Stage), default=Stage.NOMINATED, index=True)
    eligibility_reason: Mapped[str | None] = mapped_column(sa.Text)
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    integrity_outcome: Mapped[IntegrityOutcome | None] = mapped_column(enum_type(IntegrityOutcome))
    # Panel-level memo: the panel sees this, never the raw complaints.
    integrity_memo: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    election: Mapped[Election] = relationship(lazy="raise")
    nationality: Mapped[State] = relationship(foreign_keys=[nationality_code], lazy="raise")
    nominating_state: Mapped[State] = relationship(
        foreign_keys=[nominating_state_code], lazy="raise"
    )


class StageChange(Base):
    """One row per transition: the workflow's history."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    action: Mapped[Action] = mapped_column(enum_type(Action))
    from_stage: Mapped[Stage] = mapped_column(enum_type(Stage, "from_stage"))
    to_stage: Mapped[Stage] = mapped_column(enum_type(Stage, "to_stage"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class QuestionnaireResponse(Base):
    __tablename__ = "questionnaire_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    language: Mapped[str] = mapped_column(sa.String(2), default="en")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
