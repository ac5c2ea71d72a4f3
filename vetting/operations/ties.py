"""A panel member's declared ties (employment, political office, family...): recording one,
and ending one. Ties are never deleted, so that the record of what was declared, and when,
stays whole; a tie that no longer holds gets its end date.

A tie recorded after a declaration can reveal a conflict on a candidacy the member is already
assigned to: vetting.operations.conflicts.reopen_for_tie sends it (back) to a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.conflicts import PERSON_TIES, STATE_TIES
from vetting.domain.events import AuditAction
from vetting.domain.vocabulary import TieKind
from vetting.models import MemberTie, State, User
from vetting.operations.conflicts import as_tie, reopen_for_tie, today
from vetting.operations.errors import Refused

MAX_NAME = 200
MAX_DESCRIPTION = 10000


@dataclass(frozen=True)
class Declared:
    """The tie recorded, and the assignments it sent (back) to a decision."""

    tie: MemberTie
    reopened: list[int]


@dataclass(frozen=True)
class TieData:
    kind: TieKind
    description: str
    starts_on: date | None
    ends_on: date | None = None
    state_code: str | None = None
    person_name: str | None = None


def _own_panel_member(actor: User) -> None:
    if not actor.role.is_panel:
        raise Refused("Only the panel's chair and members declare ties.")


def _check_dates(starts_on: date | None, ends_on: date | None, on: date) -> None:
    if starts_on is not None and starts_on > on:
        raise Refused("A tie cannot start in the future: record it once it exists.")
    if ends_on is not None and ends_on > on:
        raise Refused("The end date cannot be in the future: end the tie once it has ended.")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise Refused("The end date cannot be before the start date.")


def declare_tie(
    session: Session, actor: User, data: TieData, *, on: date | None = None
) -> Declared:
    """Record one of the actor's own ties. `on` is today unless a test fixes it.

    A State-related tie (employment by a government, political office) names its State and no
    person; a family, personal or financial tie names its person and no State; ICC or ASP
    employment names neither. Every tie has a description; every tie but a family one has a
    start date (a family tie may have held since birth). No date is in the future, and the
    end is not before the start.
    """
    _own_panel_member(actor)
    when = on or today()
    state_code = (data.state_code or "").strip().upper() or None
    person_name = " ".join((data.person_name or "").split()) or None
    description = (data.description or "").strip()
    if data.kind in STATE_TIES:
        if state_code is None:
            raise Refused("Name the State of this employment or political office.")
        if session.get(State, state_code) is None:
            raise Refused("Choose a State from the list.")
    elif state_code is not None:
        raise Refused("Only employment by a State or political office names a State.")
    if data.kind in PERSON_TIES:
        if person_name is None:
            raise Refused("Give the full name of the person this tie is with.")
        if len(person_name) > MAX_NAME:
            raise Refused(f"The name is too long ({MAX_NAME} characters at most).")
    elif person_name is not None:
        raise Refused("Only a family, personal or financial tie names a person.")
    if not description:
        raise Refused("Describe the tie: the post, the relationship or the interest.")
    if len(description) > MAX_DESCRIPTION:
        raise Refused(f"The description is too long ({MAX_DESCRIPTION} characters at most).")
    if data.starts_on is None and data.kind is not TieKind.FAMILY:
        raise Refused("Give the date the tie began.")
    _check_dates(data.starts_on, data.ends_on, when)

    tie = MemberTie(
        member_id=actor.id,
        kind=data.kind,
        state_code=state_code,
        person_name=person_name,
        description=description,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
    )
    session.add(tie)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.TIE_DECLARE,
        tie,
        {
            "kind": tie.kind.value,
            "state": state_code,
            "person": person_name,
            "description": description,
            "starts_on": data.starts_on.isoformat() if data.starts_on else None,
            "ends_on": data.ends_on.isoformat() if data.ends_on else None,
        },
    )
    return Declared(tie, reopen_for_tie(session, actor, as_tie(tie), on=when))


def end_tie(
    session: Session, actor: User, tie: MemberTie, *, ends_on: date, on: date | None = None
) -> None:
    """Record that one of the actor's own ties has ended. Ending narrows nothing already
    decided: detection keeps counting the tie within its window after the end date."""
    _own_panel_member(actor)
    if tie.member_id != actor.id:
        raise Refused("This tie belongs to another member.")
    if tie.ends_on is not None:
        raise Refused("This tie has already ended.")
    _check_dates(tie.starts_on, ends_on, on or today())
    tie.ends_on = ends_on
    audit.record(session, actor, AuditAction.TIE_END, tie, {"ends_on": ends_on.isoformat()})
