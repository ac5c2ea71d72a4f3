from __future__ import annotations

import pytest
import sqlalchemy as sa

from vetting.domain.rubric import JUDGE_CRITERIA
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Office, ScorePhase
from vetting.models import Assignment, AuditEntry, Criterion, Election
from vetting.operations import Refused, panel
from vetting.operations import rubric as rubric_ops
from vetting.operations.elections import ElectionData, create_election
from vetting.scenarios import make_election, make_people, nominate, walk

DESCRIBED = ("Cannot work in either.", "Works in one.", "Fluent in one.", "Fluent in both.")


def _data(**changes) -> rubric_ops.CriterionData:
    values = {
        "code": "M8",
        "title": "Working languages",
        "weight": 1,
        "phase": ScorePhase.POST_INTERVIEW,
        "allows_na": False,
        "descriptors": DESCRIBED,
    }
    return rubric_ops.CriterionData(**{**values, **changes})


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    session.commit()
    return people, election


def _rubric(session, election) -> list[tuple]:
    return [
        (
            c.code,
            c.title,
            c.weight,
            c.position,
            c.phase,
            c.allows_na,
            c.descriptor_1,
            c.descriptor_2,
            c.descriptor_3,
            c.descriptor_4,
        )
        for c in rubric_ops.criteria_of(session, election.id)
    ]


def _audit_seq(session) -> int:
    return session.scalar(sa.select(sa.func.max(AuditEntry.seq)))


def _codes(session, election) -> list[str]:
    return [c.code for c in rubric_ops.criteria_of(session, election.id)]


def test_new_election_copies_the_default_rubric_with_descriptors_phases_and_na(session, world):
    _people, election = world
    criteria = rubric_ops.criteria_of(session, election.id)
    assert [c.code for c in criteria] == [s.code for s in JUDGE_CRITERIA]
    for criterion, spec in zip(criteria, JUDGE_CRITERIA, strict=True):
        assert (criterion.title, criterion.weight, criterion.phase, criterion.allows_na) == (
            spec.title,
            spec.weight,
            spec.phase,
            spec.allows_na,
        )
        stored = (
            criterion.descriptor_1,
            criterion.descriptor_2,
            criterion.descriptor_3,
            criterion.descriptor_4,
        )
        assert stored == spec.descriptors and all(stored)
    assert [c.position for c in criteria] == list(range(7))


def test_other_offices_get_their_own_default_rubric_when_created(session, world):
    people, _election = world
    election = create_election(
        session,
        people.secretariat,
        ElectionData(
            title="Prosecutor",
            office=Office.PROSECUTOR,
            seats=1,
            nomination_opens=world[1].nomination_opens,
            nomination_closes=world[1].nomination_closes,
        ),
    )
    criteria = rubric_ops.criteria_of(session, election.id)
    assert [c.title for c in criteria][3:5] == [
        "Leadership and management",
        "Workplace culture and prevention of misconduct",
    ]
    assert [c.code for c in criteria if c.phase is ScorePhase.POST_INTERVIEW] == ["M5", "M7"]
    assert all(c.descriptor_4 for c in criteria)


def test_secretariat_adds_a_criterion_at_the_end_when_it_is_valid(session, world):
    people, election = world
    criterion = rubric_ops.add_criterion(
        session, people.secretariat, election, _data(code=" m8 ", title=" Working languages ")
    )
    session.commit()
    assert (criterion.code, criterion.title, criterion.position) == ("M8", "Working languages", 7)
    assert criterion.descriptor_4 == "Fluent in both."
    assert criterion.phase is ScorePhase.POST_INTERVIEW
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "rubric:add"))
    assert '"code":"M8"' in entry.data and "Fluent in both." in entry.data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "m1"}, "The code M1 is already used"),
        ({"weight": 0}, "positive whole number"),
        ({"descriptors": ("A.", "", "C.", "")}, "levels 2, 4 have no descriptor"),
        ({"title": ""}, "Give the criterion a title."),
        ({"code": "M 8"}, "letters, digits, dots or hyphens"),
    ],
)
def test_add_is_refused_and_nothing_changes_when_the_criterion_breaks_a_rule(
    session, world, changes, message
):
    people, election = world
    before, seq = _rubric(session, election), _audit_seq(session)
    with pytest.raises(Refused, match=message):
        rubric_ops.add_criterion(session, people.secretariat, election, _data(**changes))
    session.rollback()
    assert _rubric(session, election) == before
    assert _audit_seq(session) == seq


def test_edit_changes_every_field_and_audits_what_changed(session, world):
    people, election = world
    m5 = session.scalar(
        sa.select(Criterion).where(Criterion.election_id == election.id, Criterion.code == "M5")
    )
    rubric_ops.edit_criterion(
        session,
        people.secretariat,
        m5,
        _data(code="M5", title="Victims", weight=3, phase=ScorePhase.PAPER, allows_na=False),
    )
    session.commit()
    assert (m5.title, m5.weight, m5.allows_na, m5.descriptor_1) == (
        "Victims",
        3,
        False,
        "Cannot work in either.",
    )
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "rubric:edit"))
    assert '"weight":{"from":1,"to":3}' in entry.data
    assert '"allows_na":{"from":true,"to":false}' in entry.data
    assert '"code":{' not in entry.data  # unchanged fields are not listed


def test_edit_is_refused_and_nothing_changes_when_the_code_is_taken_or_nothing_changed(
    session, world
):
    people, election = world
    m2 = session.scalar(
        sa.select(Criterion).where(Criterion.election_id == election.id, Criterion.code == "M2")
    )
    before, seq = _rubric(session, election), _audit_seq(session)
    with pytest.raises(Refused, match="The code M3 is already used"):
        rubric_ops.edit_criterion(session, people.secretariat, m2, _data(code="M3"))
    session.rollback()
    same = rubric_ops.CriterionData(
        code=m2.code,
        title=m2.title,
        weight=m2.weight,
        phase=m2.phase,
        allows_na=m2.allows_na,
        descriptors=(m2.descriptor_1, m2.descriptor_2, m2.descriptor_3, m2.descriptor_4),
    )
    with pytest.raises(Refused, match="Nothing was changed"):
        rubric_ops.edit_criterion(session, people.secretariat, m2, same)
    session.rollback()
    assert _rubric(session, election) == before
    assert _audit_seq(session) == seq


def test_criterion_moves_up_and_down_and_positions_stay_consecutive(session, world):
    people, election = world
    m3 = session.scalar(
        sa.select(Criterion).where(Criterion.election_id == election.id, Criterion.code == "M3")
    )
    rubric_ops.move_criterion(session, people.secretariat, m3, step=-1)
    rubric_ops.move_criterion(session, people.secretariat, m3, step=-1)
    session.commit()
    assert _codes(session, election) == ["M3", "M1", "M2", "M4", "M5", "M6", "M7"]
    assert [c.position for c in rubric_ops.criteria_of(session, election.id)] == list(range(7))
    before, seq = _rubric(session, election), _audit_seq(session)
    with pytest.raises(Refused, match="M3 is already the first criterion"):
        rubric_ops.move_criterion(session, people.secretariat, m3, step=-1)
    session.rollback()
    with pytest.raises(Refused, match="one place at a time"):
        rubric_ops.move_criterion(session, people.secretariat, m3, step=3)
    session.rollback()
    assert (_rubric(session, election), _audit_seq(session)) == (before, seq)
    rubric_ops.move_criterion(session, people.secretariat, m3, step=1)
    session.commit()
    assert _codes(session, election)[:3] == ["M1", "M3", "M2"]
    moves = session.scalars(
        sa.select(AuditEntry.data)
        .where(AuditEntry.action == "rubric:move")
        .order_by(AuditEntry.seq)
    ).all()
    assert len(moves) == 3 and '"order":["M1","M3","M2"' in moves[-1]


def test_remove_renumbers_and_refuses_the_last_criterion(session, world):
    people, election = world
    criteria = rubric_ops.criteria_of(session, election.id)
    for criterion in criteria[1:]:
        rubric_ops.remove_criterion(session, people.secretariat, criterion)
    session.commit()
    assert _codes(session, election) == ["M1"]
    assert rubric_ops.criteria_of(session, election.id)[0].position == 0
    assert (
        session.scalar(
            sa.select(sa.func.count(AuditEntry.seq)).where(AuditEntry.action == "rubric:remove")
        )
        == 6
    )
    before, seq = _rubric(session, election), _audit_seq(session)
    with pytest.raises(Refused, match="at least one criterion"):
        rubric_ops.remove_criterion(session, people.secretariat, criteria[0])
    session.rollback()
    assert (_rubric(session, election), _audit_seq(session)) == (before, seq)


def test_rubric_is_frozen_and_every_change_refused_once_a_score_is_saved(session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    session.commit()
    assert not rubric_ops.is_frozen(session, election.id)
    # One reviewer saves a single draft score: that is enough to freeze.
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == people.chair.id
        )
    )
    panel.declare_conflict(
        session, people.chair, candidacy, assignment, has_conflict=False, details=""
    )
    first = next(
        c for c in rubric_ops.criteria_of(session, election.id) if c.phase is ScorePhase.PAPER
    )
    panel.save_scores(
        session, people.chair, candidacy, assignment, [panel.ScoreInput(first.id, 3, "Why.")]
    )
    session.commit()
    assert rubric_ops.is_frozen(session, election.id)
    criteria = rubric_ops.criteria_of(session, election.id)
    before, seq = _rubric(session, election), _audit_seq(session)
    attempts = [
        lambda: rubric_ops.add_criterion(session, people.secretariat, election, _data()),
        lambda: rubric_ops.edit_criterion(
            session, people.secretariat, criteria[1], _data(code="M2")
        ),
        lambda: rubric_ops.move_criterion(session, people.secretariat, criteria[1], step=1),
        lambda: rubric_ops.remove_criterion(session, people.secretariat, criteria[1]),
    ]
    for attempt in attempts:
        with pytest.raises(Refused, match="The rubric is frozen"):
            attempt()
        session.rollback()
    assert (_rubric(session, election), _audit_seq(session)) == (before, seq)


def test_another_elections_scores_do_not_freeze_this_rubric(session, world):
    people, election = world
    other = make_election(session, people, title="Another election")
    session.commit()
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.INTERVIEW)
    session.commit()
    assert rubric_ops.is_frozen(session, election.id)
    assert not rubric_ops.is_frozen(session, other.id)
    assert isinstance(session.get(Election, other.id), Election)


def test_only_the_secretariat_edits_the_rubric(session, world):
    people, election = world
    before, seq = _rubric(session, election), _audit_seq(session)
    for user in (people.chair, people.admin, people.vetting_officer):
        with pytest.raises(Refused, match="The secretariat edits the rubric"):
            rubric_ops.add_criterion(session, user, election, _data())
        session.rollback()
    assert (_rubric(session, election), _audit_seq(session)) == (before, seq)
