"""Interviews: the invitation ten days ahead with the panel members who will sit, and the
panel-level notes with the members who actually did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import interviews
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import ConflictStatus, InterviewMode
from vetting.models import Assignment, Candidacy, Criterion, Interview, InterviewAttendance, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.workflow import transition


@dataclass(frozen=True)
class InterviewData:
    scheduled_at: datetime
    mode: InterviewMode
    purpose: str
    # The panel members (user ids) who will be present: cleared on the candidacy, one at least.
    present: Sequence[int] = ()


def _check_attendance(
    session: Session, candidacy: Candidacy, present: Sequence[int], *, confirming: bool
) -> list[int]:
    """The chosen members, once each, in the order given; refused unless each is cleared."""
    chosen = list(dict.fromkeys(present))
    statuses: dict[int, ConflictStatus] = {
        reviewer_id: status
        for reviewer_id, status in session.execute(
            sa.select(Assignment.reviewer_id, Assignment.conflict_status).where(
                Assignment.candidacy_id == candidacy.id
            )
        )
    }
    names: dict[int, str] = {
        user_id: name
        for user_id, name in session.execute(
            sa.select(User.id, User.full_name).where(User.id.in_(chosen))
        )
    }
    if problem := interviews.attendance_problem(chosen, statuses, names, confirming=confirming):
        raise Refused(problem)
    return chosen


def attendance_of(session: Session, interview: Interview) -> list[User]:
    """The members recorded as present (planned until the notes confirm them), by name."""
    return list(
        session.scalars(
            sa.select(User)
            .join(InterviewAttendance, InterviewAttendance.member_id == User.id)
            .where(InterviewAttendance.interview_id == interview.id)
            .order_by(User.full_name, User.id)
        )
    )


def _set_attendance(session: Session, interview: Interview, members: Sequence[int]) -> None:
    session.execute(
        sa.delete(InterviewAttendance).where(InterviewAttendance.interview_id == interview.id)
    )
    session.add_all(
        InterviewAttendance(interview_id=interview.id, member_id=member_id) for member_id in members
    )
    session.flush()


def invite_to_interview(
    session: Session, actor: User, candidacy: Candidacy, data: InterviewData
) -> Interview:
    """Schedule the interview with the panel members who will sit, and invite the candidate, at
    least ten days ahead, with its purpose, format and the criteria it assesses."""
    if problem := interviews.invitation_problem(data.scheduled_at, utcnow(), data.purpose):
        raise Refused(problem)
    present = _check_attendance(session, candidacy, data.present, confirming=False)
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
    _set_attendance(session, interview, present)
    audit.record(
        session,
        actor,
        AuditAction.INTERVIEW_SCHEDULE,
        interview,
        {"at": data.scheduled_at.isoformat(), "mode": data.mode.value, "present": present},
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
            "criteria": interviews.interview_criteria(
                [(f"{c.code} {c.title}", c.phase) for c in criteria]
            ),
        },
    )
    return interview


def record_interview_notes(
    session: Session, actor: User, candidacy: Candidacy, *, notes: str, present: Sequence[int] = ()
) -> None:
    """The interview notes are panel-level material; the chair records them before the
    finding is adopted, and confirms who was actually present (which replaces the plan)."""
    if actor.role is not Role.PANEL_CHAIR:
        raise Refused("The chair records the interview notes.")
    if candidacy.stage not in (Stage.INTERVIEW, Stage.DELIBERATION):
        raise Refused("Interview notes are recorded after the interview, before the finding.")
    if not notes.strip():
        raise Refused("The notes cannot be empty.")
    interview = session.scalar(sa.select(Interview).where(Interview.candidacy_id == candidacy.id))
    if interview is None:
        raise Refused("No interview was scheduled for this candidacy.")
    members = _check_attendance(session, candidacy, present, confirming=True)
    interview.notes = notes.strip()
    _set_attendance(session, interview, members)
    audit.record(session, actor, AuditAction.INTERVIEW_NOTES, interview, {"present": members})
