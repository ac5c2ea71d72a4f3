"""What is public at a given moment: the one place that decides which versions of the summaries
and of the election reports anyone may read. The public pages, the open data and the API all
read through here, so an embargoed or draft version can leak through none of them.

A version is public when its publication was approved and its `published_at` (the release
moment, after any embargo and the notification lead time) has come.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting.models import AuditCheckpoint, ElectionReport, PublicSummary
from vetting.models.base import utcnow


def _visible(
    column: sa.orm.InstrumentedAttribute[datetime | None], now: datetime
) -> sa.ColumnElement[bool]:
    return sa.and_(column.is_not(None), column <= now)


def summary_versions(
    session: Session, candidacy_id: int, *, now: datetime | None = None
) -> list[PublicSummary]:
    """Every public version of a candidacy's summary, oldest first (corrigenda included)."""
    moment = now or utcnow()
    return list(
        session.scalars(
            sa.select(PublicSummary)
            .where(
                PublicSummary.candidacy_id == candidacy_id,
                _visible(PublicSummary.published_at, moment),
            )
            .order_by(PublicSummary.version)
        )
    )


def summary_versions_of(
    session: Session, candidacy_ids: Iterable[int], *, now: datetime | None = None
) -> dict[int, list[PublicSummary]]:
    """Every public version of each candidacy's summary, oldest first, in one query (the open
    data lists every version of a whole election)."""
    ids = list(candidacy_ids)
    if not ids:
        return {}
    moment = now or utcnow()
    rows = session.scalars(
        sa.select(PublicSummary)
        .where(PublicSummary.candidacy_id.in_(ids), _visible(PublicSummary.published_at, moment))
        .order_by(PublicSummary.candidacy_id, PublicSummary.version)
    )
    versions: dict[int, list[PublicSummary]] = {}
    for row in rows:
        versions.setdefault(row.candidacy_id, []).append(row)
    return versions


def current_summaries(
    session: Session, candidacy_ids: Iterable[int], *, now: datetime | None = None
) -> dict[int, PublicSummary]:
    """The latest public version of each candidacy's summary, in one query."""
    ids = list(candidacy_ids)
    if not ids:
        return {}
    moment = now or utcnow()
    rows = session.scalars(
        sa.select(PublicSummary)
        .where(PublicSummary.candidacy_id.in_(ids), _visible(PublicSummary.published_at, moment))
        .order_by(PublicSummary.candidacy_id, PublicSummary.version)
    )
    latest: dict[int, PublicSummary] = {}
    for row in rows:
        latest[row.candidacy_id] = row  # ordered by version: the last one wins
    return latest


def report_versions(
    session: Session, election_id: int, *, now: datetime | None = None
) -> list[ElectionReport]:
    """Every public version of an election's report, oldest first."""
    moment = now or utcnow()
    return list(
        session.scalars(
            sa.select(ElectionReport)
            .where(
                ElectionReport.election_id == election_id,
                _visible(ElectionReport.published_at, moment),
            )
            .order_by(ElectionReport.version)
        )
    )


def current_report(
    session: Session, election_id: int, *, now: datetime | None = None
) -> ElectionReport | None:
    versions = report_versions(session, election_id, now=now)
    return versions[-1] if versions else None


def current_reports(
    session: Session, election_ids: Iterable[int], *, now: datetime | None = None
) -> dict[int, ElectionReport]:
    """The latest public version of each election's report, in one query (the public index)."""
    ids = list(election_ids)
    if not ids:
        return {}
    moment = now or utcnow()
    rows = session.scalars(
        sa.select(ElectionReport)
        .where(ElectionReport.election_id.in_(ids), _visible(ElectionReport.published_at, moment))
        .order_by(ElectionReport.election_id, ElectionReport.version)
    )
    latest: dict[int, ElectionReport] = {}
    for row in rows:
        latest[row.election_id] = row  # ordered by version: the last one wins
    return latest


def public_checkpoints(session: Session, *, now: datetime | None = None) -> list[AuditCheckpoint]:
    """The checkpoints that accompany a public version of a summary or a report, oldest first.
    A checkpoint taken for a publication still under embargo stays unlisted until it is out."""
    moment = now or utcnow()
    ids = sa.union(
        sa.select(PublicSummary.checkpoint_id).where(
            PublicSummary.checkpoint_id.is_not(None), _visible(PublicSummary.published_at, moment)
        ),
        sa.select(ElectionReport.checkpoint_id).where(
            ElectionReport.checkpoint_id.is_not(None),
            _visible(ElectionReport.published_at, moment),
        ),
    ).subquery()
    return list(
        session.scalars(
            sa.select(AuditCheckpoint)
            .where(AuditCheckpoint.id.in_(sa.select(ids.c[0])))
            .order_by(AuditCheckpoint.seq, AuditCheckpoint.id)
        )
    )


def summary_held_back(now: datetime | None = None) -> sa.ColumnElement[bool]:
    """The condition for a summary version approved but not public yet (embargo or lead
    time): the secretariat's list of what is still to come out, decided here like the rest."""
    moment = now or utcnow()
    return sa.and_(
        PublicSummary.approved_at.is_not(None),
        PublicSummary.published_at.is_not(None),
        PublicSummary.published_at > moment,
    )
