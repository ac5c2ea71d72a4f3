from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import conflicts, interviews
from vetting.domain.events import AuditAction
from vetting.domain.findings import Decision, decision_problem
from vetting.domain.policy import Relation, can_declare_conflict, can_score
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
    DecisionMethod,
    IntegrityOutcome,
    InterviewMode,
    MeritCategory,
)
from vetting.models import Assignment, Candidacy, Criterion, Finding, Interview, Score, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.nominations import focal_points, staff_with_role
from vetting.operations.workflow import transition


def relation_of(actor: User, candidacy: Candidacy, assignment: Assignment | None) -> Relation:
    return Relation(
        role=actor.role,
        is_own_candidacy=actor.id == candidacy.candidate_user_id,
        is_nominating_state=actor.role is Role.FOCAL_POINT
        and actor.state_code == candidacy.nominating_state_code,
        assignment=assignment.conflict_status if assignment is not None else None,
        locked=bool(assignment and assignment.locked_at),
    )


def _own(actor: User, assignment: Assignment) -> None:
    if assignment.reviewer_id != actor.id:
        raise Refused("This assignment belongs to another reviewer.")


def declare_conflict(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    assignment: Assignment,
    *,
    has_conflict: bool,
    details: str,
    kind: ConflictKind | None = None,
) -> None:
    """Record the member's declaration. A conflict the system detects from the facts on record
    (same nationality, nominating State) goes to a decision even if the member declares none."""
    _own(actor, assignment)
    if not can_declare_conflict(relation_of(actor, candidacy, assignment)):
        raise Refused("You have already declared for this candidacy.")
    if has_conflict and not details.strip():
        raise Refused("Describe the conflict so that it can be decided on.")
    if has_conflict and kind is None:
        raise Refused("Choose the kind of conflict.")
    detected = conflicts.detect(
        actor.state_code, candidacy.nationality_code, candidacy.nominating_state_code
    )
    needs_decision = has_conflict or bool(detected)
    assignment.conflict_status = ConflictStatus.DECLARED if needs_decision else ConflictStatus.NONE
    assignment.conflict_kind = kind if has_conflict else (detected[0] if detected else None)
    assignment.conflict_details = details.strip() or None
    assignment.detected_conflicts = ",".join(k.value for k in detected) or None
    assignment.declared_at = utcnow()
    audit.record(
        session,
        actor,
        AuditAction.CONFLICT_DECLARE,
        assignment,
        {
            "conflict": has_conflict,
            "kind": kind.value if kind else None,
            "detected": [k.value for k in detected],
        },
    )
    if needs_decision:
        for user in _deciders(session, candidacy, exclude=actor):
            queue_notice(session, NoticeKind.CONFLICT_DECLARED, to=user, context={})


def _statuses(session: Session, candidacy: Candidacy) -> list[tuple[User, Assignment]]:
    return [
        (user, assignment)
        for assignment, user in session.execute(
            sa.select(Assignment, User)
            .join(User, User.id == Assignment.reviewer_id)
            .where(Assignment.candidacy_id == candidacy.id)
        )
    ]


def _unconflicted_chair(rows: list[tuple[User, Assignment]]) -> bool:
    return any(
        u.role is Role.PANEL_CHAIR and a.conflict_status not in conflicts.CONFLICTED
        for u, a in rows
    )


def _deciders(session: Session, candidacy: Candidacy, *, exclude: User) -> list[User]:
    """Who is told that a decision is needed: the chairs without a conflict on the candidacy,
    or the whole panel on it when every chair has one (domain.md, 'Notices')."""
    everyone = _statuses(session, candidacy)
    others = [(u, a) for u, a in everyone if u.id != exclude.id]
    if _unconflicted_chair(everyone):
        return [
            u
            for u, a in others
            if u.role is Role.PANEL_CHAIR and a.conflict_status not in conflicts.CONFLICTED
        ]
    return [
        u for u, a in others if u.role.is_panel and a.conflict_status is not ConflictStatus.RECUSED
    ]


def decide_conflict(
    session: Session, actor: User, assignment: Assignment, *, recuse: bool, reason: str
) -> None:
    candidacy = session.get(Candidacy, assignment.candidacy_id)
    assert candidacy is not None
    rows = _statuses(session, candidacy)
    mine = next((a for u, a in rows if u.id == actor.id), None)
    allowed = conflicts.may_decide(
        decider_is_chair=actor.role is Role.PANEL_CHAIR,
        decider_is_panel=actor.role.is_panel,
        decider_is_concerned=assignment.reviewer_id == actor.id,
        decider_status=mine.conflict_status if mine is not None else None,
        unconflicted_chair=_unconflicted_chair(rows),
    )
    if assignment.reviewer_id == actor.id:
        raise Refused("Nobody decides on their own conflict.")
    if not allowed:
        raise Refused(
            "The chair decides on conflicts; when every chair has a conflict on this "
            "candidacy, a panel member who has none decides."
        )
    if assignment.conflict_status is not ConflictStatus.DECLARED:
        raise Refused("There is no declared conflict awaiting a decision.")
    if not reason.strip():
        raise Refused("Give the reasons for the decision.")
    assignment.conflict_status = ConflictStatus.RECUSED if recuse else ConflictStatus.MANAGED
    audit.record(
        session,
        actor,
        AuditAction.CONFLICT_DECIDE,
        assignment,
        {"decision": assignment.conflict_status.value, "reason": reason.strip()},
    )


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
    _own(actor, assignment)
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
    _own(actor, assignment)
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


@dataclass(frozen=True)
class InterviewData:
    scheduled_at: datetime
    mode: InterviewMode
    purpose: str


def invite_to_interview(
    session: Session, actor: User, candidacy: Candidacy, data: InterviewData
) -> Interview:
    """Schedule the interview and invite the candidate, at least ten days ahead, with its
    purpose, format and the criteria it assesses."""
    if problem := interviews.invitation_problem(data.scheduled_at, utcnow(), data.purpose):
        raise Refused(problem)
    transition(session, actor, candidacy, Action.INVITE_TO_INTERVIEW)
    interview = Interview(
        candidacy_id=candidacy.id,
        scheduled_at=data.scheduled_at,
        mode=data.mode,
        purpose=data.purpose.strip(),
        invited_by_id=actor.id,
    )
    session.add(interview)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.INTERVIEW_SCHEDULE,
        interview,
        {"at": data.scheduled_at.isoformat(), "mode": data.mode.value},
    )
    criteria = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == candidacy.election_id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    queue_notice(
        session,
        NoticeKind.INTERVIEW_INVITATION,
        to=candidate,
        context={
            "candidate": candidacy.full_name,
            "when": data.scheduled_at.strftime("%Y-%m-%d %H:%M UTC"),
            "video": data.mode is InterviewMode.VIDEO,
            "purpose": interview.purpose,
            "criteria": [f"{c.code} {c.title}" for c in criteria],
        },
    )
    return interview


def record_interview_notes(
    session: Session, actor: User, candidacy: Candidacy, *, notes: str
) -> None:
    """The interview notes are panel-level material; the chair records them before the
    finding is adopted."""
    if actor.role is not Role.PANEL_CHAIR:
        raise Refused("The chair records the interview notes.")
    if candidacy.stage not in (Stage.INTERVIEW, Stage.DELIBERATION):
        raise Refused("Interview notes are recorded after the interview, before the finding.")
    if not notes.strip():
        raise Refused("The notes cannot be empty.")
    interview = session.scalar(sa.select(Interview).where(Interview.candidacy_id == candidacy.id))
    if interview is None:
        raise Refused("No interview was scheduled for this candidacy.")
    interview.notes = notes.strip()
    audit.record(session, actor, AuditAction.INTERVIEW_NOTES, interview)


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
