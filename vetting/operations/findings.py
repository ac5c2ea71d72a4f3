"""Deliberation and the finding the panel adopts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.findings import (
    Decision,
    decision_problem,
    reasons_problem,
    signature_problem,
)
from vetting.domain.roles import Role
from vetting.domain.stages import Action
from vetting.domain.vocabulary import (
    ConflictStatus,
    DecisionMethod,
    IntegrityOutcome,
    MeritCategory,
)
from vetting.models import Assignment, Candidacy, Criterion, Finding, FindingReason, User
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.nominations import focal_points
from vetting.operations.workflow import transition


def open_deliberation(session: Session, actor: User, candidacy: Candidacy) -> None:
    transition(session, actor, candidacy, Action.OPEN_DELIBERATION)


MAX_REASON_CHARS = 10000


@dataclass(frozen=True)
class FindingData:
    merit_category: MeritCategory
    # The overall reasons; the reasons on each criterion are in `criterion_reasons`.
    reasons: str
    # Criterion id -> the finding's reasons on that criterion: one for every criterion.
    criterion_reasons: Mapping[int, str] = field(default_factory=dict)
    # The chair's full name, typed as their signature.
    signed_name: str = ""
    dissent: str = ""
    method: DecisionMethod = DecisionMethod.CONSENSUS
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None


def adopt_finding(
    session: Session, actor: User, candidacy: Candidacy, data: FindingData
) -> Finding:
    """The chair adopts and signs the finding: eligibility (the gate the candidacy passed),
    merit category, integrity outcome, reasons on every criterion and overall, and how it was
    adopted. The candidate and the nominating State's focal points are told at once."""
    if actor.role is not Role.PANEL_CHAIR:
        raise Refused("The chair adopts and signs the finding.")
    if not data.reasons.strip():
        raise Refused("A finding states its reasons.")
    criteria = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == candidacy.election_id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    if problem := reasons_problem(
        [(c.id, c.code) for c in criteria], data.criterion_reasons, max_chars=MAX_REASON_CHARS
    ):
        raise Refused(problem)
    if problem := signature_problem(data.signed_name, actor.full_name):
        raise Refused(problem)
    if candidacy.eligibility_reason is None:
        raise Refused("The eligibility result is not recorded.")
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
        signed_name=" ".join(data.signed_name.split()),
    )
    session.add(finding)
    session.flush()
    session.add_all(
        FindingReason(
            finding_id=finding.id,
            criterion_id=criterion.id,
            text=data.criterion_reasons[criterion.id].strip(),
        )
        for criterion in criteria
    )
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.FINDING_ADOPT,
        finding,
        {
            "eligible": True,
            "merit": data.merit_category.value,
            "integrity": finding.integrity_outcome.value,
            "method": data.method.value,
            "tally": [data.votes_for, data.votes_against, data.abstentions],
            "criteria": [c.code for c in criteria],
            "signed": finding.signed_name,
        },
    )
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    context = {"candidate": candidacy.full_name}
    # Tied to the candidacy: publication waits until these were delivered (domain.md's lead time).
    queue_notice(
        session, NoticeKind.FINDING_ADOPTED, to=candidate, context=context, about=candidacy.id
    )
    for focal_point in focal_points(session, candidacy.nominating_state_code):
        queue_notice(
            session,
            NoticeKind.FINDING_ADOPTED,
            to=focal_point,
            context=context,
            about=candidacy.id,
        )
    return finding


@dataclass(frozen=True)
class CriterionReason:
    code: str
    title: str
    text: str


def reasons_of(session: Session, finding_ids: Sequence[int]) -> dict[int, list[CriterionReason]]:
    """The reasons per criterion of each finding, in rubric order, in one statement."""
    if not finding_ids:
        return {}
    rows = session.execute(
        sa.select(FindingReason.finding_id, Criterion.code, Criterion.title, FindingReason.text)
        .join(Criterion, Criterion.id == FindingReason.criterion_id)
        .where(FindingReason.finding_id.in_(list(finding_ids)))
        .order_by(FindingReason.finding_id, Criterion.position, Criterion.id)
    ).all()
    found: dict[int, list[CriterionReason]] = {i: [] for i in finding_ids}
    for finding_id, code, title, text in rows:
        found[finding_id].append(CriterionReason(code, title, text))
    return found
