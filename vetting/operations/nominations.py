from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from babel.core import get_global
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.offices import nomination_problems, rules_for
from vetting.domain.roles import Role
from vetting.domain.stages import Action
from vetting.domain.vocabulary import Gate, Gender, JudgeList, NominationBasis
from vetting.models import Assignment, Candidacy, Election, JudgeInOffice, State, User
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
    # The deemed nationality (art. 36(7)): where civil and political rights are ordinarily
    # exercised; a dual national's others go in other_nationalities.
    nationality_code: str
    nominating_state_code: str
    gender: Gender
    judge_list: JudgeList = JudgeList.NONE
    statement: str = ""
    language: str = "en"
    nomination_basis: NominationBasis | None = None
    national_procedure: str = ""
    other_nationalities: tuple[str, ...] = ()
    # Why the secretariat registers a nomination after the window closed (recorded in the log).
    late_reason: str = ""


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
    """The active users of a role, in the order they were created."""
    return list(
        session.scalars(sa.select(User).where(User.role == role, User.active).order_by(User.id))
    )


def is_country_code(session: Session, code: str) -> bool:
    """An ISO 3166 alpha-3 code: a State in the reference list or a territory CLDR knows."""
    if len(code) != 3 or not code.isalpha() or not code.isupper():
        return False
    if session.get(State, code) is not None:
        return True
    table: Mapping[str, list[str]] = get_global("territory_aliases") or {}
    aliases = table.get(code) or []
    return bool(aliases) and len(aliases[0]) == 2 and aliases[0].isalpha()


def _other_nationalities(session: Session, data: NominationData) -> list[str]:
    others: list[str] = []
    for raw in data.other_nationalities:
        code = raw.strip().upper()
        if not code:
            continue
        if not is_country_code(session, code):
            raise Refused(
                f"'{raw.strip()}' is not a country code: give other nationalities as ISO "
                "3166 three-letter codes (for example FRA, USA)."
            )
        if code == data.nationality_code:
            raise Refused(f"{code} is already the deemed nationality: list only the other ones.")
        if code not in others:
            others.append(code)
    return others


def clashing_judge(
    session: Session, election: Election, nationality_code: str, *, today: date | None = None
) -> JudgeInOffice | None:
    """A judge of that nationality whose term runs past the vote (or past today, when the vote
    date is not set): no two judges may be nationals of the same State (art. 36(7))."""
    after = election.vote_date or today or date.today()
    return session.scalar(
        sa.select(JudgeInOffice)
        .where(JudgeInOffice.state_code == nationality_code, JudgeInOffice.term_ends_on > after)
        .order_by(JudgeInOffice.term_ends_on.desc())
        .limit(1)
    )


def _check_window(election: Election, actor: User, late_reason: str, today: date) -> dict[str, str]:
    """The window, extensions included (they move nomination_closes). A focal point nominates
    while it is open; the secretariat may register a late nomination with a reason [I]."""
    if today < election.nomination_opens:
        raise Refused(
            f"Nominations for this election open on {election.nomination_opens.isoformat()}."
        )
    if today <= election.nomination_closes:
        return {}
    closed = election.nomination_closes.isoformat()
    if actor.role is not Role.SECRETARIAT:
        raise Refused(f"Nominations for this election closed on {closed}.")
    if not late_reason.strip():
        raise Refused(
            f"Nominations closed on {closed}: give the reason for registering this nomination late."
        )
    return {"late_reason": late_reason.strip()}


def register_nomination(
    session: Session,
    actor: User,
    election: Election,
    data: NominationData,
    *,
    base_url: str,
    invitation_hours: int,
    today: date | None = None,
) -> Candidacy:
    """A nomination by a State's focal point (for their own State only), or registered by the
    secretariat on a State's behalf. Every rule is checked before anything is written."""
    today = today or date.today()
    if actor.role is Role.FOCAL_POINT:
        if actor.state_code != data.nominating_state_code:
            raise Refused("A focal point nominates for their own State only.")
    elif actor.role is not Role.SECRETARIAT:
        raise Refused("Only a State's focal point or the secretariat registers a nomination.")
    nominating = _state_party(session, data.nominating_state_code, "nominating State")
    extra = _check_window(election, actor, data.late_reason, today)
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
    nationality = session.get(State, data.nationality_code)
    if nationality is None or not nationality.is_party:
        raise Refused(
            "The candidate must be a national of a State Party to the Rome Statute: choose the "
            "State Party whose nationality is the deemed one."
        )
    others = _other_nationalities(session, data)
    problems = nomination_problems(
        election.office,
        judge_list=data.judge_list,
        basis=data.nomination_basis,
        national_procedure=data.national_procedure,
        statement=data.statement,
    )
    if problems:
        raise Refused(" ".join(problems))
    if rules_for(election.office).checks_judges_in_office:
        judge = clashing_judge(session, election, nationality.code, today=today)
        if judge is not None:
            raise Refused(
                f"{judge.full_name}, a national of {nationality.name_en}, is a judge in office "
                f"until {judge.term_ends_on.isoformat()}: no two judges may be nationals of the "
                "same State (article 36(7))."
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
        nationality_code=nationality.code,
        nominating_state_code=nominating.code,
        gender=data.gender,
        judge_list=data.judge_list,
        statement=data.statement.strip(),
        nomination_basis=data.nomination_basis,
        national_procedure=data.national_procedure.strip(),
        other_nationalities=",".join(others) or None,
        registered_by_id=actor.id,
    )
    session.add(candidacy)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.NOMINATION_REGISTER,
        candidacy,
        {"election_id": election.id, "state": nominating.code, **extra},
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
    session: Session,
    actor: User,
    candidacy: Candidacy,
    *,
    passed: bool,
    reason: str,
    gate: Gate | None = None,
) -> None:
    """Record one gate (`gate`), or, when none is named and the result is a pass, every gate of
    the office not yet recorded (vetting.operations.eligibility)."""
    from vetting.operations import eligibility

    if gate is not None:
        eligibility.record_gate(session, actor, candidacy, gate, passed=passed, reason=reason)
    elif passed:
        eligibility.pass_remaining_gates(session, actor, candidacy, reason=reason)
    else:
        eligibility.check_stage(candidacy, actor)
        raise Refused("Name the gate that is not met: a failed result is recorded per gate.")


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
    candidacy.withdrawn_by_id = actor.id
    # Told (domain.md, notices): the candidate, the nominating State's focal points, the
    # secretariat and the panel members assigned to the candidacy; the public list shows the date.
    recipients: dict[int, User] = {}
    candidate = session.get(User, candidacy.candidate_user_id)
    if candidate is not None and candidate.active:
        recipients[candidate.id] = candidate
    recipients.update({u.id: u for u in focal_points(session, candidacy.nominating_state_code)})
    recipients.update({u.id: u for u in staff_with_role(session, Role.SECRETARIAT)})
    reviewers = session.scalars(
        sa.select(User)
        .join(Assignment, Assignment.reviewer_id == User.id)
        .where(Assignment.candidacy_id == candidacy.id, User.active)
    )
    recipients.update({u.id: u for u in reviewers})
    election = session.get(Election, candidacy.election_id)
    context = {
        "candidate": candidacy.full_name,
        "election": election.title if election is not None else "",
        "reason": reason,
    }
    for user in recipients.values():
        queue_notice(session, NoticeKind.WITHDRAWAL, to=user, context=context)
