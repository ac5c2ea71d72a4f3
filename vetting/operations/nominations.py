from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Action
from vetting.domain.vocabulary import Gender, JudgeList, Office
from vetting.models import Assignment, Candidacy, Election, State, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations import panels
from vetting.operations.accounts import create_user, issue_invitation
from vetting.operations.errors import Refused
from vetting.operations.workflow import transition


@dataclass(frozen=True)
class NominationData:
    full_name: str
    email: str
    nationality_code: str
    nominating_state_code: str
    gender: Gender
    judge_list: JudgeList = JudgeList.NONE
    statement: str = ""
    language: str = "en"


def _state_party(session: Session, code: str, what: str) -> State:
    state = session.get(State, code)
    if state is None or not state.is_party:
        raise Refused(f"The {what} must be a State Party to the Rome Statute.")
    return state


def focal_points(session: Session, state_code: str) -> list[User]:
    return list(
        session.scalars(
            sa.select(User).where(
                User.role == Role.FOCAL_POINT, User.state_code == state_code, User.active
            )
        )
    )


def staff_with_role(session: Session, role: Role) -> list[User]:
    return list(session.scalars(sa.select(User).where(User.role == role, User.active)))


def register_nomination(
    session: Session,
    actor: User,
    election: Election,
    data: NominationData,
    *,
    base_url: str,
    invitation_hours: int,
) -> Candidacy:
    nominating = _state_party(session, data.nominating_state_code, "nominating State")
    _state_party(session, data.nationality_code, "candidate's nationality")
    if election.office is Office.JUDGE and data.judge_list is JudgeList.NONE:
        raise Refused("A candidate for judge must be on List A or List B.")
    clash = session.scalar(
        sa.select(Candidacy.full_name).where(
            Candidacy.election_id == election.id,
            Candidacy.nominating_state_code == nominating.code,
        )
    )
    if clash is not None:
        raise Refused(
            f"{nominating.name_en} has already nominated a candidate in this election "
            f"({clash}); a State nominates one candidate per election."
        )
    candidate = create_user(
        session,
        actor,
        email=data.email,
        full_name=data.full_name,
        role=Role.CANDIDATE,
        state_code=data.nationality_code,
        language=data.language,
    )
    candidacy = Candidacy(
        election_id=election.id,
        candidate_user_id=candidate.id,
        full_name=candidate.full_name,
        nationality_code=data.nationality_code,
        nominating_state_code=nominating.code,
        gender=data.gender,
        judge_list=data.judge_list,
        statement=data.statement.strip(),
    )
    session.add(candidacy)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.NOMINATION_REGISTER,
        candidacy,
        {"election_id": election.id, "state": nominating.code},
    )
    context = {
        "candidate": candidacy.full_name,
        "election": election.title,
        "state": nominating.name_en,
    }
    issue_invitation(session, actor, candidate, base_url=base_url, hours=invitation_hours)
    queue_notice(session, NoticeKind.NOMINATION_RECEIVED, to=candidate, context=context)
    for focal_point in focal_points(session, nominating.code):
        queue_notice(session, NoticeKind.NOMINATION_RECEIVED, to=focal_point, context=context)
    assign_panel(session, actor, candidacy)
    return candidacy


def assign_panel(session: Session, actor: User, candidacy: Candidacy) -> list[Assignment]:
    """The default at nomination: the election's seated panel members, but those with a
    detected conflict on the candidacy; none when no panel is seated yet (the secretariat
    assigns later, vetting.operations.panels)."""
    return panels.default_assignments(session, actor, candidacy)


def record_eligibility(
    session: Session, actor: User, candidacy: Candidacy, *, passed: bool, reason: str
) -> None:
    reason = reason.strip()
    if not reason:
        raise Refused("Give the reason for the eligibility result.")
    transition(
        session,
        actor,
        candidacy,
        Action.PASS_ELIGIBILITY if passed else Action.FAIL_ELIGIBILITY,
        reason=reason,
    )
    candidacy.eligibility_reason = reason
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    context = {"candidate": candidacy.full_name, "passed": passed, "reason": reason}
    queue_notice(session, NoticeKind.ELIGIBILITY_RESULT, to=candidate, context=context)
    for focal_point in focal_points(session, candidacy.nominating_state_code):
        queue_notice(session, NoticeKind.ELIGIBILITY_RESULT, to=focal_point, context=context)


def may_withdraw(actor: User, candidacy: Candidacy) -> bool:
    if actor.role is Role.SECRETARIAT:
        return True
    if actor.role is Role.CANDIDATE:
        return actor.id == candidacy.candidate_user_id
    if actor.role is Role.FOCAL_POINT:
        return actor.state_code == candidacy.nominating_state_code
    return False


def withdraw_candidacy(session: Session, actor: User, candidacy: Candidacy, *, reason: str) -> None:
    reason = reason.strip()
    if not may_withdraw(actor, candidacy):
        raise Refused("Only the candidate, the nominating State or the secretariat may withdraw.")
    if not reason:
        raise Refused("Give the reason for the withdrawal.")
    transition(session, actor, candidacy, Action.WITHDRAW, reason=reason)
    candidacy.withdrawn_at = utcnow()
    candidacy.withdrawal_reason = reason
    recipients = {u.id: u for u in staff_with_role(session, Role.SECRETARIAT)}
    reviewers = session.scalars(
        sa.select(User)
        .join(Assignment, Assignment.reviewer_id == User.id)
        .where(Assignment.candidacy_id == candidacy.id)
    )
    recipients.update({u.id: u for u in reviewers})
    for user in recipients.values():
        queue_notice(
            session,
            NoticeKind.WITHDRAWAL,
            to=user,
            context={"candidate": candidacy.full_name},
        )
