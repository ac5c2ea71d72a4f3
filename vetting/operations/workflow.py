"""Moving a candidacy along the transition table, with its history row and audit entry."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import stages
from vetting.domain.events import AuditAction
from vetting.domain.stages import Action, CandidacyFacts, Stage
from vetting.domain.vocabulary import ConflictStatus, ScorePhase
from vetting.models import (
    AdverseNotice,
    Assignment,
    Candidacy,
    Criterion,
    PublicSummary,
    StageChange,
    User,
)
from vetting.models.base import utcnow
from vetting.operations.errors import Refused


def gather_facts(
    session: Session, candidacy: Candidacy, actor: User | None = None
) -> CandidacyFacts:
    """Everything the guards need, in three queries whatever the panel size. With the actor,
    the facts also say whether the actor is a reviewer who has not locked a phase yet."""
    cleared = Assignment.conflict_status.in_([ConflictStatus.NONE, ConflictStatus.MANAGED])
    paper_unlocked = sa.and_(cleared, Assignment.locked_at.is_(None))
    interview_unlocked = sa.and_(cleared, Assignment.interview_locked_at.is_(None))
    mine = Assignment.reviewer_id == (actor.id if actor is not None else None)

    def criteria_in(phase: ScorePhase) -> sa.ScalarSelect[int]:
        return (
            sa.select(sa.func.count(Criterion.id))
            .where(Criterion.election_id == candidacy.election_id, Criterion.phase == phase)
            .scalar_subquery()
        )

    counts = session.execute(
        sa.select(
            sa.func.count(Assignment.id),
            sa.func.count(Assignment.id).filter(
                Assignment.conflict_status.in_([ConflictStatus.UNDECLARED, ConflictStatus.DECLARED])
            ),
            sa.func.count(Assignment.id).filter(paper_unlocked),
            sa.func.count(Assignment.id).filter(interview_unlocked),
            sa.func.count(Assignment.id).filter(paper_unlocked, mine),
            sa.func.count(Assignment.id).filter(interview_unlocked, mine),
            criteria_in(ScorePhase.PAPER),
            criteria_in(ScorePhase.POST_INTERVIEW),
        ).where(
            Assignment.candidacy_id == candidacy.id,
            Assignment.conflict_status != ConflictStatus.RECUSED,
        )
    ).one()
    has_paper, has_post = bool(counts[6]), bool(counts[7])
    notice = session.scalar(
        sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
    )
    summary_id = session.scalar(
        sa.select(PublicSummary.id).where(PublicSummary.candidacy_id == candidacy.id)
    )
    outcome = candidacy.integrity_outcome
    return CandidacyFacts(
        assigned_reviewers=counts[0],
        undeclared_reviewers=counts[1],
        unlocked_reviewers=counts[2] if has_paper else 0,
        has_post_interview_criteria=has_post,
        interview_unlocked_reviewers=counts[3] if has_post else 0,
        actor_unlocked=bool(counts[4]) and has_paper,
        actor_interview_unlocked=bool(counts[5]) and has_post,
        due_diligence_closed=outcome is not None,
        integrity_adverse=bool(outcome and outcome.is_adverse),
        # A drafted notice is not sent until the chair approves it.
        adverse_notice_sent=notice is not None and notice.approved_by_id is not None,
        reply_received=bool(notice and notice.replied_at is not None),
        reply_read=bool(notice and notice.reply_read_at is not None),
        reply_window_expired=bool(notice and notice.reply_due_at < utcnow()),
        summary_drafted=summary_id is not None,
    )


def transition(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    action: Action,
    *,
    reason: str | None = None,
    facts: CandidacyFacts | None = None,
) -> Stage:
    if facts is None:
        facts = gather_facts(session, candidacy, actor)
    try:
        target = stages.check_transition(candidacy.stage, action, actor.role, facts)
    except stages.TransitionRefused as refused:
        raise Refused(str(refused)) from refused
    source = candidacy.stage
    candidacy.stage = target
    session.add(
        StageChange(
            candidacy_id=candidacy.id,
            action=action,
            from_stage=source,
            to_stage=target,
            actor_id=actor.id,
            reason=reason,
        )
    )
    audit.record(
        session,
        actor,
        AuditAction.CANDIDACY_TRANSITION,
        candidacy,
        {"action": action.value, "from": source.value, "to": target.value},
    )
    if target is Stage.QUESTIONNAIRE:
        # The questionnaire opens: its deadline starts to run (vetting.operations.reminders).
        from vetting.operations.reminders import ensure_deadline

        ensure_deadline(session, candidacy, actor)
    return target
