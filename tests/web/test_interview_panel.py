"""The chair chooses who of the cleared panel will sit at the interview, and confirms with the
notes who did; the dossier shows it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, IntegrityOutcome
from vetting.models import Assignment, AuditEntry, Interview, InterviewAttendance
from vetting.models.base import utcnow
from vetting.operations import diligence, panel
from vetting.scenarios import make_election, make_people, nominate, score_all, walk


def _assignment(session, candidacy, user) -> Assignment:
    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )


@pytest.fixture
def ready(session):
    """Paper scoring locked by the cleared reviewers; member 2 recused."""
    people = make_people(session, members=2)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    recused = people.members[1]
    panel.declare_conflict(
        session,
        recused,
        candidacy,
        _assignment(session, candidacy, recused),
        has_conflict=True,
        kind=ConflictKind.PERSONAL,
        details="A relative.",
    )
    panel.decide_conflict(
        session,
        people.chair,
        _assignment(session, candidacy, recused),
        recuse=True,
        reason="Family tie.",
    )
    diligence.record_integrity_outcome(
        session,
        people.vetting_officer,
        candidacy,
        outcome=IntegrityOutcome.NO_ADVERSE_INFORMATION,
        memo="Clear.",
    )
    score_all(session, people, candidacy)
    session.commit()
    return people, candidacy


def _invitation(present) -> dict:
    when = (utcnow() + timedelta(days=14)).strftime("%Y-%m-%dT09:00")
    return {
        "interview-scheduled_at": when,
        "interview-mode": "video",
        "interview-purpose": "M7, and the candidate's trial record.",
        "interview-present": [str(i) for i in present],
    }


def _attendance(session) -> list[int]:
    session.expire_all()
    return sorted(session.scalars(sa.select(InterviewAttendance.member_id)))


def test_invitation_form_offers_only_the_cleared_members(client, session, ready):
    people, candidacy = ready
    login(client, people.chair)
    page = client.get(f"/panel/{candidacy.public_id}").get_data(as_text=True)
    assert "Panel members who will be present" in page
    offered = re.findall(r'<input[^>]*name="interview-present"[^>]*value="(\d+)"', page)
    assert offered == [str(people.chair.id), str(people.members[0].id)]
    assert people.members[1].full_name not in page


def test_chair_invites_with_the_panel_present_and_confirms_it_with_the_notes(
    client, session, ready
):
    people, candidacy = ready
    chair, member = people.chair, people.members[0]
    login(client, chair)
    base = f"/panel/{candidacy.public_id}"
    assert client.post(f"{base}/interview", data=_invitation([chair.id, member.id])).status_code
    assert _attendance(session) == sorted([chair.id, member.id])
    page = client.get(base).get_data(as_text=True)
    assert "Panel present (planned)" in page
    assert f"{chair.full_name}, {member.full_name}" in page
    response = client.post(
        f"{base}/interview/notes",
        data={"notes-notes": "Clear on M7.", "notes-present": [str(member.id)]},
    )
    assert response.status_code == 302
    assert _attendance(session) == [member.id]
    page = client.get(base).get_data(as_text=True)
    assert "Panel present</dt>" in page and "(planned)" not in page
    assert session.scalar(sa.select(Interview.notes)) == "Clear on M7."


@pytest.mark.parametrize(
    ("present", "message"),
    [
        ([], "Choose at least one panel member."),
        ("recused", "is recused on this candidacy and cannot sit at its interview."),
    ],
)
def test_invitation_is_refused_and_nothing_changes_when_the_panel_present_is_wrong(
    client, session, ready, present, message
):
    people, candidacy = ready
    if present == "recused":
        present = [people.chair.id, people.members[1].id]
    login(client, people.chair)
    seq = session.scalar(sa.select(sa.func.max(AuditEntry.seq)))
    response = client.post(f"/panel/{candidacy.public_id}/interview", data=_invitation(present))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count(Interview.id))) == 0
    assert _attendance(session) == []
    assert candidacy.stage is Stage.PAPER_SCORING
    # Only the reads of the dossier page shown after the redirect are audited.
    actions = set(session.scalars(sa.select(AuditEntry.action).where(AuditEntry.seq > seq)))
    assert actions <= {"dossier:read", "integrity:memo_read", "evidence:read", "score:first_seen"}


def test_notes_are_refused_and_the_plan_kept_when_nobody_is_confirmed(client, session, ready):
    people, candidacy = ready
    login(client, people.chair)
    base = f"/panel/{candidacy.public_id}"
    client.post(f"{base}/interview", data=_invitation([people.chair.id]))
    response = client.post(f"{base}/interview/notes", data={"notes-notes": "Notes."})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Confirm at least one panel member." in page
    assert _attendance(session) == [people.chair.id]
    assert session.scalar(sa.select(Interview.notes)) is None


def test_invitation_form_waits_for_the_chairs_own_paper_lock(client, session):
    people = make_people(session, members=2)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    chair_assignment = _assignment(session, candidacy, people.chair)
    panel.declare_conflict(
        session, people.chair, candidacy, chair_assignment, has_conflict=False, details=""
    )
    session.commit()
    login(client, people.chair)
    page = client.get(f"/panel/{candidacy.public_id}").get_data(as_text=True)
    assert "Lock your own scores on the papers to invite the candidate" in page
    assert 'name="interview-present"' not in page
    assert "Morgan Member 1" not in page
