"""The secretariat edits an election's rubric: add, edit, reorder and remove criteria, until the
first score of the election is saved; from then on the rubric is frozen. Every change is
audited with what changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import rubric
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.vocabulary import ScorePhase
from vetting.models import Assignment, Candidacy, Criterion, Election, Score, User
from vetting.operations.errors import Refused


@dataclass(frozen=True)
class CriterionData:
    code: str
    title: str
    weight: int
    phase: ScorePhase = ScorePhase.PAPER
    allows_na: bool = False
    descriptors: tuple[str, str, str, str] = ("", "", "", "")

    def spec(self) -> rubric.CriterionSpec:
        return rubric.CriterionSpec(
            code=self.code,
            title=self.title,
            weight=self.weight,
            phase=self.phase,
            allows_na=self.allows_na,
            descriptors=self.descriptors,
        )


def criteria_of(session: Session, election_id: int) -> list[Criterion]:
    return list(
        session.scalars(
            sa.select(Criterion)
            .where(Criterion.election_id == election_id)
            .order_by(Criterion.position, Criterion.id)
        )
    )


def is_frozen(session: Session, election_id: int) -> bool:
    """Whether any reviewer has saved a score, of any candidacy, in this election."""
    return bool(
        session.scalar(
            sa.select(
                sa.exists()
                .where(Score.assignment_id == Assignment.id)
                .where(Assignment.candidacy_id == Candidacy.id)
                .where(Candidacy.election_id == election_id)
            )
        )
    )


def _check_may_edit(session: Session, actor: User, election_id: int) -> None:
    if actor.role is not Role.SECRETARIAT:
        raise Refused("The secretariat edits the rubric.")
    if problem := rubric.frozen_problem(is_frozen(session, election_id)):
        raise Refused(problem)


def _check(data: CriterionData, others: list[Criterion]) -> None:
    if problems := rubric.criterion_problems(data.spec(), [c.code for c in others]):
        raise Refused(" ".join(problems))


def _fields(criterion: Criterion) -> dict[str, Any]:
    """What the audit entry records of a criterion."""
    return {
        "code": criterion.code,
        "title": criterion.title,
        "weight": criterion.weight,
        "phase": criterion.phase.value,
        "allows_na": criterion.allows_na,
        "descriptors": [
            criterion.descriptor_1,
            criterion.descriptor_2,
            criterion.descriptor_3,
            criterion.descriptor_4,
        ],
    }


def _apply(criterion: Criterion, data: CriterionData) -> None:
    criterion.code = rubric.normalise_code(data.code)
    criterion.title = data.title.strip()
    criterion.weight = data.weight
    criterion.phase = data.phase
    criterion.allows_na = data.allows_na
    (
        criterion.descriptor_1,
        criterion.descriptor_2,
        criterion.descriptor_3,
        criterion.descriptor_4,
    ) = (text.strip() for text in data.descriptors)


def add_criterion(
    session: Session, actor: User, election: Election, data: CriterionData
) -> Criterion:
    """Add a criterion at the end of the election's rubric."""
    _check_may_edit(session, actor, election.id)
    existing = criteria_of(session, election.id)
    _check(data, existing)
    criterion = Criterion(
        election_id=election.id,
        position=max((c.position for c in existing), default=-1) + 1,
    )
    _apply(criterion, data)
    session.add(criterion)
    session.flush()
    audit.record(session, actor, AuditAction.RUBRIC_ADD, criterion, _fields(criterion))
    return criterion


def edit_criterion(
    session: Session, actor: User, criterion: Criterion, data: CriterionData
) -> None:
    _check_may_edit(session, actor, criterion.election_id)
    others = [c for c in criteria_of(session, criterion.election_id) if c.id != criterion.id]
    _check(data, others)
    before = _fields(criterion)
    _apply(criterion, data)
    after = _fields(criterion)
    changed = {
        key: {"from": before[key], "to": after[key]} for key in after if before[key] != after[key]
    }
    if not changed:
        raise Refused("Nothing was changed.")
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.RUBRIC_EDIT,
        criterion,
        {"code": criterion.code, "changed": changed},
    )


def move_criterion(session: Session, actor: User, criterion: Criterion, *, step: int) -> None:
    """Move a criterion one place up (step -1) or down (+1) in the rubric's order."""
    if step not in (-1, 1):
        raise Refused("Move a criterion up or down, one place at a time.")
    _check_may_edit(session, actor, criterion.election_id)
    criteria = criteria_of(session, criterion.election_id)
    order = rubric.moved([c.id for c in criteria], criterion.id, step)
    if order is None:
        raise Refused(
            f"{criterion.code} is already the {'first' if step < 0 else 'last'} criterion."
        )
    by_id = {c.id: c for c in criteria}
    for position, criterion_id in enumerate(order):
        by_id[criterion_id].position = position
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.RUBRIC_MOVE,
        criterion,
        {"code": criterion.code, "order": [by_id[i].code for i in order]},
    )


def remove_criterion(session: Session, actor: User, criterion: Criterion) -> None:
    _check_may_edit(session, actor, criterion.election_id)
    criteria = criteria_of(session, criterion.election_id)
    if problem := rubric.removal_problem(len(criteria)):
        raise Refused(problem)
    record = _fields(criterion)
    audit.record(session, actor, AuditAction.RUBRIC_REMOVE, criterion, record)
    session.delete(criterion)
    for position, remaining in enumerate(c for c in criteria if c.id != criterion.id):
        remaining.position = position
    session.flush()
