"""Read queries for the list and detail pages of the secretariat and the administrators.

Every function here runs a fixed number of statements whatever the number of rows: the rows'
relationships are lazy="raise", so each query names what it eager-loads or joins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, joinedload

from vetting.domain.stages import Stage
from vetting.models import (
    AuditEntry,
    Candidacy,
    Criterion,
    Election,
    Finding,
    Notice,
    PublicSummary,
    QuestionnaireResponse,
    StageChange,
    State,
    User,
)

T = TypeVar("T")

PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _page_number(number: int) -> int:
    return max(1, number)


def _paginate(
    session: Session,
    stmt: sa.Select[*tuple[Any, ...]],
    count: sa.Select[*tuple[Any, ...]],
    number: int,
    per_page: int,
) -> tuple[list[Any], int, int]:
    number = _page_number(number)
    total = session.scalar(count) or 0
    rows = list(session.execute(stmt.limit(per_page).offset((number - 1) * per_page)))
    return rows, number, total


# -- Reference data ---------------------------------------------------------------------------


def states_parties(session: Session) -> list[State]:
    return list(session.scalars(sa.select(State).where(State.is_party).order_by(State.name_en)))


def states_by_code(session: Session, codes: set[str]) -> dict[str, State]:
    if not codes:
        return {}
    return {s.code: s for s in session.scalars(sa.select(State).where(State.code.in_(codes)))}


# -- Elections ---------------------------------------------------------------------------------


def elections(session: Session) -> list[Election]:
    return list(
        session.scalars(sa.select(Election).order_by(Election.nomination_opens.desc(), Election.id))
    )


def criteria_of(session: Session, election: Election) -> list[Criterion]:
    return list(
        session.scalars(
            sa.select(Criterion)
            .where(Criterion.election_id == election.id)
            .order_by(Criterion.position, Criterion.id)
        )
    )


def candidacies_of(session: Session, election: Election) -> list[Candidacy]:
    return list(
        session.scalars(
            sa.select(Candidacy)
            .options(joinedload(Candidacy.nominating_state))
            .where(Candidacy.election_id == election.id)
            .order_by(Candidacy.full_name, Candidacy.id)
        )
    )


# -- Candidacies -------------------------------------------------------------------------------


def candidacies_page(
    session: Session, number: int, *, stage: Stage | None = None, per_page: int = PER_PAGE
) -> Page[Candidacy]:
    where = [Candidacy.stage == stage] if stage is not None else []
    stmt = (
        sa.select(Candidacy)
        .options(joinedload(Candidacy.election), joinedload(Candidacy.nominating_state))
        .where(*where)
        .order_by(Candidacy.created_at.desc(), Candidacy.id.desc())
    )
    count = sa.select(sa.func.count(Candidacy.id)).where(*where)
    rows, number, total = _paginate(session, stmt, count, number, per_page)
    return Page([row[0] for row in rows], number, per_page, total)


@dataclass(frozen=True)
class HistoryRow:
    change: StageChange
    actor_name: str | None


@dataclass(frozen=True)
class Dossier:
    """Everything the secretariat's dossier page shows, except complaints (restricted)."""

    candidacy: Candidacy
    election: Election
    nationality: State
    nominating_state: State
    history: list[HistoryRow]
    response: QuestionnaireResponse | None
    finding: Finding | None
    summary: PublicSummary | None
    summary_drafter: str | None


def dossier(session: Session, candidacy_id: int) -> Dossier | None:
    nationality = aliased(State)
    nominating = aliased(State)
    row = session.execute(
        sa.select(Candidacy, Election, nationality, nominating)
        .join(Election, Candidacy.election_id == Election.id)
        .join(nationality, Candidacy.nationality_code == nationality.code)
        .join(nominating, Candidacy.nominating_state_code == nominating.code)
        .where(Candidacy.id == candidacy_id)
    ).one_or_none()
    if row is None:
        return None
    candidacy = row[0]
    history = [
        HistoryRow(change, name)
        for change, name in session.execute(
            sa.select(StageChange, User.full_name)
            .outerjoin(User, StageChange.actor_id == User.id)
            .where(StageChange.candidacy_id == candidacy.id)
            .order_by(StageChange.at, StageChange.id)
        )
    ]
    summary_row = session.execute(
        sa.select(PublicSummary, User.full_name)
        .outerjoin(User, PublicSummary.drafted_by_id == User.id)
        .where(PublicSummary.candidacy_id == candidacy.id)
        # Summaries are versioned: the dossier's is the latest.
        .order_by(PublicSummary.version.desc())
        .limit(1)
    ).one_or_none()
    return Dossier(
        candidacy=candidacy,
        election=row[1],
        nationality=row[2],
        nominating_state=row[3],
        history=history,
        response=session.scalar(
            sa.select(QuestionnaireResponse).where(
                QuestionnaireResponse.candidacy_id == candidacy.id
            )
        ),
        finding=session.scalar(sa.select(Finding).where(Finding.candidacy_id == candidacy.id)),
        summary=summary_row[0] if summary_row else None,
        summary_drafter=summary_row[1] if summary_row else None,
    )


# -- Audit log and outbox ----------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    actor_name: str | None


def audit_page(session: Session, number: int, *, per_page: int = PER_PAGE) -> Page[AuditRow]:
    stmt = (
        sa.select(AuditEntry, User.full_name)
        .outerjoin(User, AuditEntry.actor_id == User.id)
        .order_by(AuditEntry.seq.desc())
    )
    count = sa.select(sa.func.count(AuditEntry.seq))
    rows, number, total = _paginate(session, stmt, count, number, per_page)
    return Page([AuditRow(entry, name) for entry, name in rows], number, per_page, total)


def notices_page(session: Session, number: int, *, per_page: int = PER_PAGE) -> Page[Notice]:
    stmt = sa.select(Notice).order_by(Notice.created_at.desc(), Notice.id.desc())
    count = sa.select(sa.func.count(Notice.id))
    rows, number, total = _paginate(session, stmt, count, number, per_page)
    return Page([row[0] for row in rows], number, per_page, total)


def users_page(session: Session, number: int, *, per_page: int = PER_PAGE) -> Page[User]:
    stmt = sa.select(User).order_by(User.email)
    count = sa.select(sa.func.count(User.id))
    rows, number, total = _paginate(session, stmt, count, number, per_page)
    return Page([row[0] for row in rows], number, per_page, total)
