from __future__ import annotations

import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.models import Finding
from vetting.scenarios import make_election, make_people, nominate, walk


def test_chair_records_a_vote_with_its_tally_and_dissent_when_adopting(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.DELIBERATION)
    session.commit()
    login(client, people.chair)
    url = f"/panel/{candidacy.public_id}/finding"
    refused = client.post(
        url,
        data={
            "merit_category": "qualified",
            "reasons": "M1-M7.",
            "method": "vote",
            "votes_for": "1",
            "votes_against": "2",
            "abstentions": "0",
            "dissent": "Not enough trial work.",
        },
    )
    assert refused.status_code == 422
    assert "more votes for than against" in refused.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Finding.id))) == 0
    adopted = client.post(
        url,
        data={
            "merit_category": "qualified",
            "reasons": "M1-M7.",
            "method": "vote",
            "votes_for": "2",
            "votes_against": "1",
            "abstentions": "0",
            "dissent": "DISSENT-in-my-words: not enough trial work.",
        },
    )
    assert adopted.status_code == 302
    page = client.get(f"/panel/{candidacy.public_id}/deliberation").get_data(as_text=True)
    assert "Vote: 2 for, 1 against, 0 abstaining" in page
    assert "DISSENT-in-my-words" in page
