from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import (
    Gate,
    Gender,
    IntegrityOutcome,
    JudgeList,
    Level,
    NominationBasis,
    QuestionKind,
    ReminderKind,
)
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
    # The statement of qualifications (art. 36(4)(a)).
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    nomination_basis: Mapped[NominationBasis | None] = mapped_column(enum_type(NominationBasis))
    # The national procedure followed, described by the nominating State.
    national_procedure: Mapped[str] = mapped_column(sa.Text, default="")
    # A dual national's other nationalities (comma-separated alpha-3); nationality_code is the
    # deemed one, where civil and political rights are ordinarily exercised (art. 36(7)).
    other_nationalities: Mapped[str | None] = mapped_column(sa.String(100))
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    questionnaire_due_on: Mapped[date | None]
    stage: Mapped[Stage] = mapped_column(enum_type(Stage), default=Stage.NOMINATED, index=True)
    eligibility_reason: Mapped[str | None] = mapped_column(sa.Text)
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
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
    # The skeleton's fixed answers; templated questionnaires keep theirs in `answers` rows.
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("questionnaire_templates.id"))
    opened_at: Mapped[datetime | None]
    language: Mapped[str] = mapped_column(sa.String(2), default="en")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]


class EligibilityCheck(Base):
    """One eligibility gate's result for one candidacy, with its reason."""

    __tablename__ = "eligibility_checks"
    __table_args__ = (
        sa.UniqueConstraint("candidacy_id", "gate", name="uq_eligibility_checks_gate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    gate: Mapped[Gate] = mapped_column(enum_type(Gate))
    passed: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeadlineExtension(Base):
    """A recorded extension of one candidate's questionnaire deadline."""

    __tablename__ = "deadline_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    previous_due_on: Mapped[date | None]
    new_due_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    granted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSent(Base):
    """A questionnaire reminder sent for one deadline: each is sent once per due date."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        sa.UniqueConstraint("candidacy_id", "kind", "due_on", name="uq_reminders_sent_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    kind: Mapped[ReminderKind] = mapped_column(enum_type(ReminderKind))
    due_on: Mapped[date]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuestionnaireTemplate(Base):
    """A questionnaire built by the secretariat for an election. Frozen once a candidate
    opens it; later edits make a new version."""

    __tablename__ = "questionnaire_templates"
    __table_args__ = (
        sa.UniqueConstraint("election_id", "version", name="uq_questionnaire_templates_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(sa.ForeignKey("elections.id"), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    frozen_at: Mapped[datetime | None]


class TemplateSection(Base):
    __tablename__ = "template_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_templates.id"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))


class TemplateQuestion(Base):
    __tablename__ = "template_questions"
    __table_args__ = (
        sa.CheckConstraint("word_limit IS NULL OR word_limit > 0", name="word_limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("template_sections.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind))
    text: Mapped[str] = mapped_column(sa.Text)
    help_text: Mapped[str] = mapped_column(sa.Text, default="")
    required: Mapped[bool] = mapped_column(default=True)
    word_limit: Mapped[int | None]
    # PUBLIC (published with the candidate's profile) or PANEL (the panel only).
    visibility: Mapped[Level] = mapped_column(enum_type(Level), default=Level.PANEL)
    # The options of a single or multiple choice question.
    choices: Mapped[list[str] | None] = mapped_column(sa.JSON)


class Answer(Base):
    """A candidate's answer to one question of a templated questionnaire, in its language."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "question_id", name="uq_answers_question"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_responses.id"), index=True
    )
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("template_questions.id"))
    # Text, or the explanation of a yes; "yes"/"no"; the choice(s); a date; a file.
    text: Mapped[str] = mapped_column(sa.Text, default="")
    choice: Mapped[str | None] = mapped_column(sa.String(300))
    choices: Mapped[list[str] | None] = mapped_column(sa.JSON)
    date_value: Mapped[date | None]
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    language: Mapped[str] = mapped_column(sa.String(2), default="en")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Declaration(Base):
    """The signed declaration on moral character and past conduct. Version 1 comes with the
    submission; each amendment (the continuing duty to disclose) is a new version."""

    __tablename__ = "declarations"
    __table_args__ = (
        sa.UniqueConstraint("candidacy_id", "version", name="uq_declarations_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(sa.ForeignKey("candidacies.id"), index=True)
    version: Mapped[int]
    # {item key: {"answer": "yes" | "no", "details": "..."}} over the declaration's items.
    items: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # Which wording of the declaration was signed.
    wording_version: Mapped[str] = mapped_column(sa.String(20))
    signed_name: Mapped[str] = mapped_column(sa.String(200))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Empty for the first version; why the candidate amends, for the later ones.
    amendment_reason: Mapped[str | None] = mapped_column(sa.Text)
