"""Independent scoring: a reviewer's scores, their lock, and the moment they first see others'."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.policy import can_score
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    ConflictStatus,
)
from vetting.models import Assignment, Candidacy, Criterion, Score, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.conflicts import own_assignment, relation_of
from vetting.operations.errors import Refused
from vetting.operations.nominations import staff_with_role


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    value: int
    rationale: str


def _scoring_open(candidacy: Candidacy) -> None:
    if candidacy.stage not in (Stage.PAPER_SCORING, Stage.INTERVIEW):
        raise Refused("Scoring is not open for this candidacy.")


def save_scores(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    assignment: Assignment,
    inputs: list[ScoreInput],
) -> None:
    own_assignment(actor, assignment)
    _scoring_open(candidacy)
    if not can_score(relation_of(actor, candidacy, assignment)):
        raise Refused("You cannot score this candidacy (undeclared, recused or already locked).")
    criteria = {
        c.id
        for c in session.scalars(
            sa.select(Criterion).where(Criterion.election_id == candidacy.election_id)
        )
    }
    problems = []
    for item in inputs:
        if item.criterion_id not in criteria:
            problems.append("A score names a criterion outside this election's rubric.")
        elif item.value not in (1, 2, 3, 4):
            problems.append("Scores are whole numbers from 1 to 4.")
        elif not item.rationale.strip():
            problems.append("Every score needs a rationale.")
    if problems:
        raise Refused(" ".join(sorted(set(problems))))
    existing = {
        s.criterion_id: s
        for s in session.scalars(sa.select(Score).where(Score.assignment_id == assignment.id))
    }
    for item in inputs:
        score = existing.get(item.criterion_id)
        if score is None:
            score = Score(assignment_id=assignment.id, criterion_id=item.criterion_id)
            session.add(score)
        score.value = item.value
        score.rationale = item.rationale.strip()
        score.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.SCORE_SAVE,
        assignment,
        {"criteria": sorted(i.criterion_id for i in inputs)},
    )


def lock_scores(
    session: Session, actor: User, candidacy: Candidacy, assignment: Assignment
) -> None:
    own_assignment(actor, assignment)
    _scoring_open(candidacy)
    if not can_score(relation_of(actor, candidacy, assignment)):
        raise Refused("You cannot lock: undeclared, recused or already locked.")
    missing = session.scalar(
        sa.select(sa.func.count(Criterion.id))
        .where(Criterion.election_id == candidacy.election_id)
        .where(
            ~Criterion.id.in_(
                sa.select(Score.criterion_id).where(Score.assignment_id == assignment.id)
            )
        )
    )
    if missing:
        raise Refused(f"{missing} criterion(s) still have no score; score every criterion first.")
    assignment.locked_at = utcnow()
    audit.record(session, actor, AuditAction.SCORE_LOCK, assignment)
    still_open = session.scalar(
        sa.select(sa.func.count(Assignment.id)).where(
            Assignment.candidacy_id == candidacy.id,
            Assignment.conflict_status != ConflictStatus.RECUSED,
            Assignment.locked_at.is_(None),
        )
    )
    if not still_open:
        for chair in staff_with_role(session, Role.PANEL_CHAIR):
            queue_notice(
                session,
                NoticeKind.ALL_LOCKED,
                to=chair,
                context={"candidate": candidacy.full_name},
            )


def note_first_exposure(session: Session, actor: User, assignment: Assignment) -> None:
    """The moment a reviewer first sees others' scores is recorded once."""
    if assignment.first_saw_others_at is None:
        assignment.first_saw_others_at = utcnow()
        audit.record(session, actor, AuditAction.SCORES_FIRST_SEEN, assignment)
