"""Interviews: the invitation ten days ahead, and the panel-level notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import interviews
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import (
    InterviewMode,
)
from vetting.models import Candidacy, Criterion, Interview, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.workflow import transition


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
