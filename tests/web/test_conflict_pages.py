from __future__ import annotations

import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.vocabulary import ConflictKind, ConflictStatus, TieKind
from vetting.models import Assignment
from vetting.operations.ties import TieData, declare_tie
from vetting.scenarios import make_election, make_people, nominate


def test_declare_page_warns_of_a_detected_conflict_and_records_the_kind_when_posted(
    app, client, session
):
    people = make_people(session)
    election = make_election(session, people)
    member = people.members[0]
    candidacy = nominate(session, people, election, name="Aroha Ngata", state="SEN")
    # A member with a detected conflict is not assigned at nomination; one who records a tie
    # after being assigned is, and the tie is detected at the declaration.
    declare_tie(
        session,
        member,
        TieData(TieKind.FAMILY, "My aunt by marriage", None, person_name="Aroha Ngata"),
    )
    session.commit()
    login(client, member)
    page = client.get(f"/panel/{candidacy.public_id}/declare").get_data(as_text=True)
    assert "The system found a conflict" in page
    assert "Personal or family relationship" in page
    response = client.post(
        f"/panel/{candidacy.public_id}/declare",
        data={"conflict": "yes", "kind": "financial", "details": "Also a debtor of mine."},
    )
    assert response.status_code == 302
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == member.id
        )
    )
    session.refresh(assignment)
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert assignment.conflict_kind is ConflictKind.FINANCIAL
    assert assignment.detected_conflicts == "personal"
    chair = app.test_client()
    login(chair, people.chair)
    page = chair.get("/panel/conflicts").get_data(as_text=True)
    assert "Financial interest" in page and "Also a debtor of mine." in page
    assert "Detected by the system" in page and "Personal or family relationship" in page
    assert "Family relationship" in page and "My aunt by marriage" in page


def test_declaring_a_conflict_without_its_kind_is_refused_when_posted(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    session.commit()
    login(client, people.members[0])
    response = client.post(
        f"/panel/{candidacy.public_id}/declare",
        data={"conflict": "yes", "details": "We co-authored a book."},
    )
    assert response.status_code == 422
    assert "Choose the kind of conflict." in response.get_data(as_text=True)
