"""Conflicts of interest through the operations: detection, kinds, and who decides."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from vetting.domain.vocabulary import ConflictKind, ConflictStatus
from vetting.models import Assignment, AuditEntry, Notice
from vetting.operations import Refused, accounts, panel, panels
from vetting.scenarios import make_election, make_people, nominate


def _assignment(session, candidacy, user) -> Assignment:
    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )


@pytest.fixture
def world(session):
    people = make_people(session, members=2)
    election = make_election(session, people)
    session.commit()
    return people, election


def test_detected_conflict_goes_to_the_chair_when_the_member_declares_none(session, world):
    people, election = world
    member = people.members[0]  # a national of New Zealand
    candidacy = nominate(session, people, election, name="Aroha Ngata", state="NZL")
    # Not assigned at nomination because of the detected conflict; the secretariat may still
    # assign by hand, and the declaration then sends it to the chair.
    assert _assignment(session, candidacy, member) is None
    assignment = panels.assign(session, people.secretariat, candidacy, member)
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    session.commit()
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert assignment.conflict_kind is ConflictKind.SAME_NATIONALITY
    assert assignment.detected_conflicts == "same_nationality,nominating_state"
    entry = session.scalar(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "conflict:declare")
        .order_by(AuditEntry.seq.desc())
    )
    assert '"detected":["same_nationality","nominating_state"]' in entry.data
    told = session.scalars(
        sa.select(Notice.recipient_user_id).where(Notice.kind == "conflict_declared")
    ).all()
    assert told == [people.chair.id]


def test_declared_conflict_is_refused_when_no_kind_is_given(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    session.commit()
    member = people.members[0]
    with pytest.raises(Refused, match="kind of conflict"):
        panel.declare_conflict(
            session,
            member,
            candidacy,
            _assignment(session, candidacy, member),
            has_conflict=True,
            details="We co-authored a book.",
        )
    session.rollback()
    assert _assignment(session, candidacy, member).conflict_status is ConflictStatus.UNDECLARED


def test_a_cleared_member_decides_when_the_chair_is_conflicted(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    first, second = people.members
    chair_assignment = _assignment(session, candidacy, people.chair)
    panel.declare_conflict(
        session,
        people.chair,
        candidacy,
        chair_assignment,
        has_conflict=True,
        kind=ConflictKind.PERSONAL,
        details="The candidate is my cousin.",
    )
    panel.declare_conflict(
        session,
        first,
        candidacy,
        _assignment(session, candidacy, first),
        has_conflict=False,
        details="",
    )
    session.commit()
    # The chair cannot decide anything on this candidacy, not even someone else's conflict.
    with pytest.raises(Refused, match="own conflict"):
        panel.decide_conflict(session, people.chair, chair_assignment, recuse=True, reason="x")
    # A member who has not declared yet is not cleared, so cannot decide either.
    with pytest.raises(Refused, match="a panel member who has none decides"):
        panel.decide_conflict(session, second, chair_assignment, recuse=True, reason="Cousin.")
    session.rollback()
    panel.decide_conflict(session, first, chair_assignment, recuse=True, reason="Close family.")
    session.commit()
    assert chair_assignment.conflict_status is ConflictStatus.RECUSED


def test_a_second_chair_decides_when_the_first_chair_is_conflicted(session, world):
    people, election = world
    cochair = accounts.create_user(
        session,
        None,
        email="cochair@example.org",
        full_name="Casey Cochair",
        role=people.chair.role,
        password="correct horse battery staple",
    )
    panels.seat_member(session, people.secretariat, election, cochair)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    member = people.members[0]
    panel.declare_conflict(
        session,
        people.chair,
        candidacy,
        _assignment(session, candidacy, people.chair),
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Former colleague.",
    )
    member_assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(
        session,
        member,
        candidacy,
        member_assignment,
        has_conflict=True,
        kind=ConflictKind.FINANCIAL,
        details="Shares in the candidate's firm.",
    )
    session.commit()
    with pytest.raises(Refused):
        panel.decide_conflict(session, people.chair, member_assignment, recuse=True, reason="x")
    session.rollback()
    panel.decide_conflict(session, cochair, member_assignment, recuse=False, reason="Sold.")
    session.commit()
    assert member_assignment.conflict_status is ConflictStatus.MANAGED
