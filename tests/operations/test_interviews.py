from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, IntegrityOutcome, InterviewMode
from vetting.models import (
    Assignment,
    AuditEntry,
    Candidacy,
    Interview,
    InterviewAttendance,
    Notice,
    User,
)
from vetting.models.base import utcnow
from vetting.operations import Refused, accounts, diligence, panel
from vetting.operations.interviews import attendance_of
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    make_election,
    make_people,
    nominate,
    score_all,
    walk,
)


def _assignment(session, candidacy, user) -> Assignment:
    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )


@pytest.fixture
def ready(session):
    """A candidacy whose paper scoring is locked: member 3 recused, the others cleared."""
    people = make_people(session, members=3)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    recused = people.members[2]
    panel.declare_conflict(
        session,
        recused,
        candidacy,
        _assignment(session, candidacy, recused),
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Former colleague.",
    )
    panel.decide_conflict(
        session,
        people.chair,
        _assignment(session, candidacy, recused),
        recuse=True,
        reason="Close colleague.",
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


def _snapshot(session) -> tuple:
    return (
        session.scalar(sa.select(sa.func.count(Interview.id))),
        session.scalars(
            sa.select(InterviewAttendance.member_id).order_by(InterviewAttendance.id)
        ).all(),
        session.scalar(sa.select(sa.func.max(AuditEntry.seq))),
        session.scalar(sa.select(sa.func.count(Notice.id))),
        session.scalar(sa.select(Interview.notes)),
    )


def _invite(session, people, candidacy, present, *, days=12, purpose="M1-M7."):
    return panel.invite_to_interview(
        session,
        people.chair,
        candidacy,
        panel.InterviewData(
            utcnow() + timedelta(days=days), InterviewMode.VIDEO, purpose, present=present
        ),
    )


def test_invitation_is_refused_and_nothing_changes_when_less_than_ten_days_ahead(session, ready):
    people, candidacy = ready
    before = _snapshot(session)
    with pytest.raises(Refused, match="at least ten days ahead"):
        _invite(session, people, candidacy, [people.chair.id], days=9)
    session.rollback()
    assert session.get(Candidacy, candidacy.id).stage is Stage.PAPER_SCORING
    assert _snapshot(session) == before
    assert not session.scalar(
        sa.select(sa.func.count(Notice.id)).where(Notice.kind == "interview_invitation")
    )


def test_invitation_tells_the_date_format_purpose_and_interview_criteria_when_sent(session, ready):
    people, candidacy = ready
    when = utcnow() + timedelta(days=12)
    panel.invite_to_interview(
        session,
        people.chair,
        candidacy,
        panel.InterviewData(
            when,
            InterviewMode.IN_PERSON,
            "PURPOSE-canary: trial experience.",
            present=[people.chair.id, people.members[0].id],
        ),
    )
    session.commit()
    assert candidacy.stage is Stage.INTERVIEW
    notice = session.scalar(sa.select(Notice).where(Notice.kind == "interview_invitation"))
    assert notice.recipient_user_id == candidacy.candidate_user_id
    assert when.strftime("%Y-%m-%d %H:%M UTC") in notice.subject
    assert "PURPOSE-canary" in notice.body
    assert "in person" in notice.body
    # The judges' rubric assesses M7 at the interview; the paper criteria are not listed.
    assert "- M7 Communication and judgment" in notice.body
    assert "M1 Legal expertise" not in notice.body
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "interview:schedule"))
    assert f'"present":[{people.chair.id},{people.members[0].id}]' in entry.data


def test_invitation_names_every_criterion_when_none_is_scored_after_the_interview(session):
    from vetting.domain.vocabulary import ScorePhase
    from vetting.models import Criterion

    people = make_people(session, members=2)
    election = make_election(session, people)
    for criterion in session.scalars(
        sa.select(Criterion).where(Criterion.election_id == election.id)
    ):
        criterion.phase = ScorePhase.PAPER
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.INTERVIEW)
    session.commit()
    body = session.scalar(sa.select(Notice.body).where(Notice.kind == "interview_invitation"))
    for code in ("M1 Legal expertise", "M4 Collegiality", "M7 Communication and judgment"):
        assert code in body


def test_panel_present_is_recorded_when_the_chair_chooses_cleared_members(session, ready):
    people, candidacy = ready
    interview = _invite(session, people, candidacy, [people.members[0].id, people.chair.id])
    session.commit()
    assert [u.id for u in attendance_of(session, interview)] == sorted(
        [people.chair.id, people.members[0].id],
        key=lambda i: session.get(User, i).full_name,
    )


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("nobody", "at least one"),
        ("recused", "Morgan Member 3 is recused on this candidacy"),
        ("stranger", "is not assigned to this candidacy"),
        ("undecided", "is not cleared on this candidacy"),
    ],
)
def test_invitation_is_refused_and_nothing_changes_when_a_member_may_not_sit(
    session, ready, who, message
):
    people, candidacy = ready
    present = [people.chair.id]
    if who == "nobody":
        present = []
    elif who == "recused":
        present.append(people.members[2].id)
    elif who == "stranger":
        outsider = accounts.create_user(
            session,
            None,
            email="outsider@example.org",
            full_name="Olu Outsider",
            role=people.members[0].role,
            password=DEFAULT_PASSWORD,
        )
        present.append(outsider.id)
    else:
        # A member whose conflict awaits the chair's decision.
        member = people.members[1]
        assignment = _assignment(session, candidacy, member)
        assignment.conflict_status = assignment.conflict_status.DECLARED
        present.append(member.id)
    session.commit()
    before = _snapshot(session)
    with pytest.raises(Refused, match=message):
        _invite(session, people, candidacy, present)
    session.rollback()
    assert _snapshot(session) == before
    assert session.get(Candidacy, candidacy.id).stage is Stage.PAPER_SCORING


def test_notes_are_recorded_by_the_chair_only_when_after_the_invitation(session, ready):
    people, candidacy = ready
    with pytest.raises(Refused, match="after the interview"):
        panel.record_interview_notes(
            session, people.chair, candidacy, notes="Early.", present=[people.chair.id]
        )
    session.rollback()
    _invite(session, people, candidacy, [people.chair.id])
    session.commit()
    with pytest.raises(Refused, match="The chair records"):
        panel.record_interview_notes(
            session, people.members[0], candidacy, notes="Mine.", present=[people.chair.id]
        )
    session.rollback()
    panel.record_interview_notes(
        session, people.chair, candidacy, notes="Clear on M2.", present=[people.chair.id]
    )
    session.commit()
    assert session.scalar(sa.select(Interview.notes)) == "Clear on M2."


def test_notes_confirm_who_was_actually_present_replacing_the_plan(session, ready):
    people, candidacy = ready
    chair, first, second = people.chair, people.members[0], people.members[1]
    interview = _invite(session, people, candidacy, [chair.id, first.id])
    session.commit()
    panel.record_interview_notes(
        session, chair, candidacy, notes="M7: clear answers.", present=[chair.id, second.id]
    )
    session.commit()
    assert {u.id for u in attendance_of(session, interview)} == {chair.id, second.id}
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "interview:notes"))
    assert f'"present":[{chair.id},{second.id}]' in entry.data


@pytest.mark.parametrize(
    ("present", "message"),
    [
        ([], "Confirm which panel members were present"),
        ("recused", "is recused on this candidacy"),
    ],
)
def test_notes_are_refused_and_nothing_changes_when_presence_is_not_confirmed_right(
    session, ready, present, message
):
    people, candidacy = ready
    _invite(session, people, candidacy, [people.chair.id])
    session.commit()
    if present == "recused":
        present = [people.chair.id, people.members[2].id]
    before = _snapshot(session)
    with pytest.raises(Refused, match=message):
        panel.record_interview_notes(
            session, people.chair, candidacy, notes="Notes.", present=present
        )
    session.rollback()
    assert _snapshot(session) == before
    assert before[1] == [people.chair.id] and before[4] is None
