from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.rubric import default_criteria
from vetting.domain.vocabulary import Office
from vetting.models import Criterion, Election, User
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
            )
        )
    audit.record(
        session,
        actor,
        AuditAction.ELECTION_CREATE,
        election,
        {"office": data.office.value, "seats": data.seats},
    )
    return election
