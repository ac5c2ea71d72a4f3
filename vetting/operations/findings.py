"""Deliberation and the finding the panel adopts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.findings import Decision, decision_problem
from vetting.domain.stages import Action
from vetting.domain.vocabulary import (
    ConflictStatus,
    DecisionMethod,
    IntegrityOutcome,
    MeritCategory,
)
from vetting.models import Assignment, Candidacy, Finding, User
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.nominations import focal_points
from vetting.operations.workflow import transition


def open_deliberation(session: Session, actor: User, candidacy: Candidacy) -> None:
    transition(session, actor, candidacy, Action.OPEN_DELIBERATION)


@dataclass(frozen=True)
class FindingData:
    merit_category: MeritCategory
    reasons: str
    dissent: str = ""
    method: DecisionMethod = DecisionMethod.CONSENSUS
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None


def adopt_finding(
    session: Session, actor: User, candidacy: Candidacy, data: FindingData
) -> Finding:
    if not data.reasons.strip():
        raise Refused("A finding states its reasons.")
    if candidacy.integrity_outcome is None:
        raise Refused("Due diligence is not closed.")
    voters = session.scalar(
        sa.select(sa.func.count(Assignment.id)).where(
            Assignment.candidacy_id == candidacy.id,
            Assignment.conflict_status.in_([ConflictStatus.NONE, ConflictStatus.MANAGED]),
        )
    )
    decision = Decision(
        data.method, data.votes_for, data.votes_against, data.abstentions, data.dissent
    )
    if problem := decision_problem(decision, voters=voters or 0):
        raise Refused(problem)
    transition(session, actor, candidacy, Action.ADOPT_FINDING)
    finding = Finding(
        candidacy_id=candidacy.id,
        eligible=True,
        merit_category=data.merit_category,
        integrity_outcome=IntegrityOutcome(candidacy.integrity_outcome),
        reasons=data.reasons.strip(),
        dissent=data.dissent.strip() or None,
        method=data.method,
        votes_for=data.votes_for,
        votes_against=data.votes_against,
        abstentions=data.abstentions,
        adopted_by_id=actor.id,
    )
    session.add(finding)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.FINDING_ADOPT,
        finding,
        {
            "merit": data.merit_category.value,
            "method": data.method.value,
            "tally": [data.votes_for, data.votes_against, data.abstentions],
        },
    )
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    context = {"candidate": candidacy.full_name}
    queue_notice(session, NoticeKind.FINDING_ADOPTED, to=candidate, context=context)
    for focal_point in focal_points(session, candidacy.nominating_state_code):
        queue_notice(session, NoticeKind.FINDING_ADOPTED, to=focal_point, context=context)
    return finding
