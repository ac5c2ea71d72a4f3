"""The skeleton's spine: one candidacy through every stage with the real operations."""

from __future__ import annotations

import sqlalchemy as sa

from vetting import audit
from vetting.domain.stages import Stage
from vetting.models import AuditEntry, Notice, StageChange
from vetting.scenarios import PATH, make_election, make_people, nominate, walk


def test_candidacy_reaches_every_stage_when_walked_with_operations(session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    walk(session, people, candidacy, Stage.CLOSED)
    session.commit()

    history = session.scalars(
        sa.select(StageChange.to_stage)
        .where(StageChange.candidacy_id == candidacy.id)
        .order_by(StageChange.id)
    ).all()
    assert [Stage.NOMINATED, *history] == list(PATH)
    assert audit.verify(session).ok
    kinds = set(session.scalars(sa.select(Notice.kind)))
    assert {"invitation", "finding_adopted", "summary_published"} <= kinds
    actions = set(session.scalars(sa.select(AuditEntry.action)))
    assert {"finding:adopt", "summary:publish", "score:lock"} <= actions
