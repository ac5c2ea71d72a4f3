from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.offices import default_voting_requirements, rules_for
from vetting.domain.requirements import (
    PoolMember,
    Requirement,
    RequirementStatus,
    assess,
    in_pool,
)
from vetting.domain.roles import Role
from vetting.domain.rubric import default_criteria
from vetting.domain.vocabulary import Gender, JudgeList, Office, RegionalGroup, RequirementDimension
from vetting.models import (
    Candidacy,
    Criterion,
    Election,
    EligibilityCheck,
    JudgeInOffice,
    NominationExtension,
    State,
    User,
    VotingRequirement,
)
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused


@dataclass(frozen=True)
class ElectionData:
    title: str
    office: Office
    seats: int
    nomination_opens: date
    nomination_closes: date
    vote_date: date | None = None


def create_election(session: Session, actor: User, data: ElectionData) -> Election:
    if data.seats < 1:
        raise Refused("An election has at least one seat.")
    if data.nomination_closes < data.nomination_opens:
        raise Refused("The nomination window must close after it opens.")
    if data.vote_date is not None and data.vote_date < data.nomination_closes:
        raise Refused("The vote cannot take place before nominations close.")
    election = Election(
        title=data.title.strip(),
        office=data.office,
        seats=data.seats,
        nomination_opens=data.nomination_opens,
        nomination_closes=data.nomination_closes,
        vote_date=data.vote_date,
    )
    session.add(election)
    session.flush()
    for position, spec in enumerate(default_criteria(data.office)):
        session.add(
            Criterion(
                election_id=election.id,
                code=spec.code,
                title=spec.title,
                weight=spec.weight,
                position=position,
                phase=spec.phase,
                allows_na=spec.allows_na,
                descriptor_1=spec.descriptors[0],
                descriptor_2=spec.descriptors[1],
                descriptor_3=spec.descriptors[2],
                descriptor_4=spec.descriptors[3],
            )
        )
    audit.record(
        session,
        actor,
        AuditAction.ELECTION_CREATE,
        election,
        {"office": data.office.value, "seats": data.seats},
    )
    add_default_requirements(session, election)
    return election


# -- The nomination window, its extensions, the minimum voting requirements (issue 3: H8) -----

MAX_EXTENSIONS = 3
EXTENSION_DAYS = 14


def extensions_of(session: Session, election: Election) -> list[NominationExtension]:
    return list(
        session.scalars(
            sa.select(NominationExtension)
            .where(NominationExtension.election_id == election.id)
            .order_by(NominationExtension.number)
        )
    )


def extend_nomination_window(
    session: Session,
    actor: User,
    election: Election,
    *,
    reason: str,
    today: date | None = None,
) -> NominationExtension:
    """Extend the window by two weeks, at most three times, while it is open (its closing day
    included): a window that has closed is not reopened by an extension [I]. Announced to the
    focal point of every State Party that has one, and to the secretariat."""
    today = today or date.today()
    reason = reason.strip()
    done = len(extensions_of(session, election))
    if done >= MAX_EXTENSIONS:
        raise Refused(
            "The nomination window has already been extended three times, the most the rules allow."
        )
    if not reason:
        raise Refused("Give the reason for the extension (which requirement the pool misses).")
    if today > election.nomination_closes:
        raise Refused(
            f"Nominations closed on {election.nomination_closes.isoformat()}: a window is "
            "extended while it is open, at the latest on its closing day."
        )
    if today < election.nomination_opens:
        raise Refused("The nomination window has not opened yet: there is nothing to extend.")
    previous = election.nomination_closes
    new_closes = previous + timedelta(days=EXTENSION_DAYS)
    if election.vote_date is not None and new_closes > election.vote_date:
        raise Refused(
            f"Extended, nominations would close on {new_closes.isoformat()}, after the vote "
            f"on {election.vote_date.isoformat()}."
        )
    extension = NominationExtension(
        election_id=election.id,
        number=done + 1,
        previous_closes=previous,
        new_closes=new_closes,
        reason=reason,
        extended_by_id=actor.id,
        extended_at=utcnow(),
    )
    session.add(extension)
    election.nomination_closes = new_closes
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.NOMINATION_WINDOW_EXTEND,
        election,
        {
            "number": extension.number,
            "from": previous.isoformat(),
            "to": new_closes.isoformat(),
            "reason": reason,
        },
    )
    context = {
        "election": election.title,
        "previous": previous.isoformat(),
        "closes": new_closes.isoformat(),
        "number": extension.number,
        "reason": reason,
    }
    recipients = session.scalars(
        sa.select(User)
        .where(
            User.active,
            sa.or_(
                User.role == Role.SECRETARIAT,
                sa.and_(User.role == Role.FOCAL_POINT, User.state_code.is_not(None)),
            ),
        )
        .order_by(User.id)
    )
    for user in recipients:
        queue_notice(session, NoticeKind.NOMINATION_WINDOW_EXTENDED, to=user, context=context)
    return extension


def requirements_of(session: Session, election: Election) -> list[VotingRequirement]:
    return list(
        session.scalars(
            sa.select(VotingRequirement)
            .where(VotingRequirement.election_id == election.id)
            .order_by(VotingRequirement.dimension, VotingRequirement.value)
        )
    )


def add_default_requirements(session: Session, election: Election) -> None:
    """A judicial election starts with the default minimums (vetting.domain.offices)."""
    if not rules_for(election.office).has_voting_requirements:
        return
    for (dimension, value), minimum in default_voting_requirements(election.seats).items():
        session.add(
            VotingRequirement(
                election_id=election.id, dimension=dimension, value=value, minimum=minimum
            )
        )
    session.flush()


_VALUES: dict[RequirementDimension, frozenset[str]] = {
    RequirementDimension.REGIONAL_GROUP: frozenset(g.value for g in RegionalGroup),
    RequirementDimension.GENDER: frozenset(g.value for g in Gender),
    RequirementDimension.LIST: frozenset({JudgeList.A.value, JudgeList.B.value}),
}


def set_voting_requirement(
    session: Session,
    actor: User,
    election: Election,
    *,
    dimension: RequirementDimension,
    value: str,
    minimum: int,
) -> VotingRequirement:
    """Set one minimum of a judicial election (0 keeps the row: no minimum for that value)."""
    if not rules_for(election.office).has_voting_requirements:
        raise Refused("Minimum voting requirements apply to judicial elections only.")
    if value not in _VALUES[dimension]:
        raise Refused(f"'{value}' is not a value of {dimension.value.replace('_', ' ')}.")
    if minimum < 0:
        raise Refused("A minimum cannot be negative.")
    if minimum > election.seats:
        raise Refused(
            f"A minimum of {minimum} cannot be met with {election.seats} seat(s) to fill."
        )
    requirement = session.scalar(
        sa.select(VotingRequirement).where(
            VotingRequirement.election_id == election.id,
            VotingRequirement.dimension == dimension,
            VotingRequirement.value == value,
        )
    )
    before = requirement.minimum if requirement is not None else None
    if requirement is None:
        requirement = VotingRequirement(
            election_id=election.id, dimension=dimension, value=value, minimum=minimum
        )
        session.add(requirement)
    elif before == minimum:
        return requirement
    requirement.minimum = minimum
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.VOTING_REQUIREMENT_SET,
        election,
        {"dimension": dimension.value, "value": value, "from": before, "to": minimum},
    )
    return requirement


# -- Judges in office: a candidate of their nationality clashes (art. 36(7)) ---------------------


def judges_in_office(session: Session) -> list[JudgeInOffice]:
    return list(
        session.scalars(
            sa.select(JudgeInOffice).order_by(JudgeInOffice.term_ends_on, JudgeInOffice.full_name)
        )
    )


def add_judge_in_office(
    session: Session, actor: User, *, full_name: str, state_code: str, term_ends_on: date
) -> JudgeInOffice:
    full_name = full_name.strip()
    if not full_name:
        raise Refused("Give the judge's full name.")
    state = session.get(State, state_code)
    if state is None or not state.is_party:
        raise Refused("A judge in office is a national of a State Party.")
    judge = JudgeInOffice(full_name=full_name, state_code=state.code, term_ends_on=term_ends_on)
    session.add(judge)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.JUDGE_IN_OFFICE_ADD,
        judge,
        {"state": state.code, "term_ends_on": term_ends_on.isoformat()},
    )
    return judge


def remove_judge_in_office(session: Session, actor: User, judge: JudgeInOffice) -> None:
    audit.record(
        session,
        actor,
        AuditAction.JUDGE_IN_OFFICE_REMOVE,
        judge,
        {"full_name": judge.full_name, "state": judge.state_code},
    )
    session.delete(judge)
    session.flush()


# -- The live display: can the nominated pool meet each minimum? --------------------------------


def pool_of(session: Session, election: Election) -> list[PoolMember]:
    """The candidacies that count (vetting.domain.requirements.in_pool), in one query: their
    deemed nationality's regional group, gender and list."""
    failed = (
        sa.select(EligibilityCheck.id)
        .where(EligibilityCheck.candidacy_id == Candidacy.id, EligibilityCheck.passed.is_(False))
        .exists()
    )
    rows = session.execute(
        sa.select(
            Candidacy.stage, State.regional_group, Candidacy.gender, Candidacy.judge_list, failed
        )
        .join(State, State.code == Candidacy.nationality_code)
        .where(Candidacy.election_id == election.id)
    ).all()
    return [
        PoolMember(group.value, gender.value, judge_list.value)
        for stage, group, gender, judge_list, has_failed in rows
        if in_pool(stage, failed_gate=bool(has_failed))
    ]


def requirement_statuses(session: Session, election: Election) -> list[RequirementStatus]:
    """Each minimum of the election against the pool: two queries, whatever the sizes."""
    requirements = [
        Requirement(r.dimension, r.value, r.minimum) for r in requirements_of(session, election)
    ]
    if not requirements:
        return []
    return assess(requirements, pool_of(session, election))
