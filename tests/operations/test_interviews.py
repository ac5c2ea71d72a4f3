from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import IntegrityOutcome, InterviewMode
from vetting.models import AuditEntry, Candidacy, Interview, Notice
from vetting.models.base import utcnow
from vetting.operations import Refused, diligence, panel
from vetting.scenarios import make_election, make_people, nominate, score_all, walk


@pytest.fixture
def ready(session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
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


def test_invitation_is_refused_and_nothing_changes_when_less_than_ten_days_ahead(session, ready):
    people, candidacy = ready
    data = panel.InterviewData(utcnow() + timedelta(days=9), InterviewMode.VIDEO, "M1-M7.")
    with pytest.raises(Refused, match="at least ten days ahead"):
        panel.invite_to_interview(session, people.chair, candidacy, data)
    session.rollback()
    assert session.get(Candidacy, candidacy.id).stage is Stage.PAPER_SCORING
    assert session.scalar(sa.select(sa.func.count(Interview.id))) == 0
    assert not session.scalar(
        sa.select(sa.func.count(Notice.id)).where(Notice.kind == "interview_invitation")
    )


def test_invitation_tells_the_date_format_purpose_and_criteria_when_sent(session, ready):
    people, candidacy = ready
    when = utcnow() + timedelta(days=12)
    panel.invite_to_interview(
        session,
        people.chair,
        candidacy,
        panel.InterviewData(when, InterviewMode.IN_PERSON, "PURPOSE-canary: trial experience."),
    )
    session.commit()
    assert candidacy.stage is Stage.INTERVIEW
    notice = session.scalar(sa.select(Notice).where(Notice.kind == "interview_invitation"))
    assert notice.recipient_user_id == candidacy.candidate_user_id
    assert when.strftime("%Y-%m-%d %H:%M UTC") in notice.subject
    assert "PURPOSE-canary" in notice.body
    assert "in person" in notice.body
    assert "M1 Legal expertise" in notice.body and "M7 " in notice.body
    assert "interview:schedule" in session.scalars(sa.select(AuditEntry.action)).all()


def test_notes_are_recorded_by_the_chair_only_when_after_the_invitation(session, ready):
    people, candidacy = ready
    with pytest.raises(Refused, match="after the interview"):
        panel.record_interview_notes(session, people.chair, candidacy, notes="Early.")
    panel.invite_to_interview(
        session,
        people.chair,
        candidacy,
        panel.InterviewData(utcnow() + timedelta(days=12), InterviewMode.VIDEO, "M1-M7."),
    )
    session.commit()
    with pytest.raises(Refused, match="The chair records"):
        panel.record_interview_notes(session, people.members[0], candidacy, notes="Mine.")
    panel.record_interview_notes(session, people.chair, candidacy, notes="Clear on M2.")
    session.commit()
    assert session.scalar(sa.select(Interview.notes)) == "Clear on M2."
