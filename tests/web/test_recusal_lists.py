"""Recusal hides a candidacy's very existence: no list a reviewer can open names it."""

from __future__ import annotations

import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind
from vetting.models import Assignment
from vetting.operations import panel
from vetting.scenarios import make_election, make_people, nominate, walk


def test_recused_reviewer_finds_the_candidacy_in_no_list_when_recused(app, client, session):
    people = make_people(session)
    election = make_election(session, people)
    hidden = nominate(session, people, election, name="Zuzanna Hidden-Name", state="POL")
    walk(session, people, hidden, Stage.PAPER_SCORING)
    member = people.members[0]
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == hidden.id, Assignment.reviewer_id == member.id
        )
    )
    panel.declare_conflict(
        session,
        member,
        hidden,
        assignment,
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Kin.",
    )
    panel.decide_conflict(session, people.chair, assignment, recuse=True, reason="Family tie.")
    session.commit()
    login(client, member)
    list_pages = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    ]
    for url in list_pages:
        response = client.get(url)
        assert "Zuzanna Hidden-Name" not in response.get_data(as_text=True), url
        assert hidden.public_id not in response.get_data(as_text=True), url
