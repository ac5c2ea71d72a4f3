"""Moving a candidacy along the transition table, with its history row and audit entry."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import stages
from vetting.domain.events import AuditAction
from vetting.domain.stages import Action, CandidacyFacts, Stage
from vetting.domain.vocabulary import ConflictStatus
from vetting.models import (
    AdverseNotice,
    Assignment,
    Candidacy,
    PublicSummary,
    StageChange,
    User,
)
from vetting.models.base import utcnow
from vetting.operations.errors import Refused


def gather_facts(session: Session, candidacy: Candidacy) -> CandidacyFacts:
    """Everything the guards need, in three queries whatever the panel size."""
    counts = session.execute(
        sa.select(
            sa.func.count(Assignment.id),
            sa.func.count(Assignment.id).filter(
                Assignment.conflict_status.in_([ConflictStatus.UNDECLARED, ConflictStatus.DECLARED])
            ),
            sa.func.count(Assignment.id).filter(
                Assignment.conflict_status.in_([ConflictStatus.NONE, ConflictStatus.MANAGED]),
                Assignment.locked_at.is_(None),
            ),
        ).where(
            Assignment.candidacy_id == candidacy.id,
            Assignment.conflict_status != ConflictStatus.RECUSED,
        )
    ).one()
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
        unlocked_reviewers=counts[2],
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
        facts = gather_facts(session, candidacy)
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
