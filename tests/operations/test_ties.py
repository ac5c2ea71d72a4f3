"""Declared ties through the operations: recording and ending them, detection within their
windows, a tie that reopens a declaration, and the "no conflict" decision."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, ConflictStatus, TieKind
from vetting.models import Assignment, AuditEntry, AuditHead, MemberTie, Notice, Score
from vetting.operations import Refused, nominations, panel
from vetting.operations import conflicts as conflict_ops
from vetting.operations.ties import TieData, declare_tie, end_tie
from vetting.scenarios import make_election, make_people, nominate, score_all, walk

TODAY = date.today()


def _years_ago(years: int, days: int = 0) -> date:
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=days)


def _assignment(session, candidacy, user) -> Assignment:
    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )


def _snapshot(session) -> dict[str, object]:
    """Everything a refused operation must leave as it was."""
    return {
        "audit": session.get(AuditHead, 1).seq,
        "ties": session.execute(
            sa.select(MemberTie.id, MemberTie.ends_on).order_by(MemberTie.id)
        ).all(),
        "notices": session.scalar(sa.select(sa.func.count()).select_from(Notice)),
        "assignments": session.execute(
            sa.select(
                Assignment.id,
                Assignment.conflict_status,
                Assignment.conflict_kind,
                Assignment.detected_conflicts,
            ).order_by(Assignment.id)
        ).all(),
    }


def _last(session, action: str) -> AuditEntry:
    return session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq.desc())
    )


def _told(session, kind: str = "conflict_declared") -> list[int]:
    return list(
        session.scalars(
            sa.select(Notice.recipient_user_id).where(Notice.kind == kind).order_by(Notice.id)
        )
    )


@pytest.fixture
def world(session):
    people = make_people(session, members=2)
    election = make_election(session, people)
    session.commit()
    return people, election


def _employment(state: str, **changes) -> TieData:
    values = {
        "kind": TieKind.STATE_EMPLOYMENT,
        "state_code": state,
        "description": "Legal adviser, Ministry of Foreign Affairs",
        "starts_on": _years_ago(10),
        "ends_on": None,
    }
    values.update(changes)
    return TieData(**values)


# Recording and ending ties


def test_a_member_records_a_tie_and_it_is_audited(session, world):
    people, _ = world
    member = people.members[0]
    tie = declare_tie(
        session,
        member,
        TieData(
            kind=TieKind.FAMILY,
            person_name="  Aroha   Ngata ",
            description="My sister-in-law.",
            starts_on=None,
        ),
    ).tie
    session.commit()
    assert (tie.member_id, tie.kind, tie.person_name, tie.state_code, tie.ends_on) == (
        member.id,
        TieKind.FAMILY,
        "Aroha Ngata",
        None,
        None,
    )
    entry = _last(session, "tie:declare")
    assert entry.actor_id == member.id
    assert (entry.object_type, entry.object_id) == ("member_ties", str(tie.id))
    data = json.loads(entry.data)
    assert data["kind"] == "family"
    assert data["person"] == "Aroha Ngata"


def test_a_state_code_is_read_in_capitals(session, world):
    people, _ = world
    tie = declare_tie(session, people.members[0], _employment(" sen ")).tie
    assert tie.state_code == "SEN"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_employment(""), "Name the State"),
        (_employment("XXX"), "Choose a State from the list"),
        (_employment("SEN", person_name="Aroha Ngata"), "Only a family, personal or financial"),
        (
            TieData(TieKind.POLITICAL_OFFICE, "Minister", _years_ago(3)),
            "Name the State",
        ),
        (
            TieData(TieKind.FINANCIAL, "Shares", _years_ago(1), person_name=" "),
            "full name of the person",
        ),
        (
            TieData(TieKind.PERSONAL, "Friend", _years_ago(1), person_name="A B", state_code="SEN"),
            "Only employment by a State or political office names a State",
        ),
        (
            TieData(TieKind.ICC_ASP_EMPLOYMENT, "Registry", _years_ago(1), state_code="NLD"),
            "Only employment by a State",
        ),
        (
            TieData(TieKind.ICC_ASP_EMPLOYMENT, "Registry", _years_ago(1), person_name="A B"),
            "Only a family, personal or financial",
        ),
        (
            TieData(TieKind.FAMILY, "x", None, person_name="A " * 150),
            "The name is too long",
        ),
        (_employment("SEN", description="   "), "Describe the tie"),
        (_employment("SEN", description="x" * 10001), "The description is too long"),
        (_employment("SEN", starts_on=None), "Give the date the tie began"),
        (_employment("SEN", starts_on=TODAY + timedelta(days=1)), "cannot start in the future"),
        (_employment("SEN", ends_on=TODAY + timedelta(days=1)), "cannot be in the future"),
        (
            _employment("SEN", starts_on=_years_ago(2), ends_on=_years_ago(3)),
            "cannot be before the start date",
        ),
    ],
)
def test_a_bad_tie_is_refused_with_a_clear_message_and_changes_nothing(
    session, world, data, message
):
    people, _ = world
    before = _snapshot(session)
    with pytest.raises(Refused, match=message):
        declare_tie(session, people.members[0], data)
    session.rollback()
    assert _snapshot(session) == before


def test_only_the_panel_records_ties(session, world):
    people, _ = world
    before = _snapshot(session)
    for outsider in (people.secretariat, people.vetting_officer, people.admin):
        with pytest.raises(Refused, match="Only the panel's chair and members"):
            declare_tie(session, outsider, _employment("SEN"))
        session.rollback()
    assert _snapshot(session) == before
    # The chair may.
    declare_tie(session, people.chair, _employment("SEN"))


def test_a_family_tie_needs_no_start_date_but_others_do(session, world):
    people, _ = world
    member = people.members[0]
    declare_tie(session, member, TieData(TieKind.FAMILY, "Brother", None, person_name="A B"))
    with pytest.raises(Refused, match="Give the date the tie began"):
        declare_tie(session, member, TieData(TieKind.PERSONAL, "Friend", None, person_name="A B"))


def test_a_member_ends_their_own_tie_and_it_is_audited(session, world):
    people, _ = world
    member = people.members[0]
    tie = declare_tie(session, member, _employment("SEN", starts_on=_years_ago(3))).tie
    session.commit()
    end_tie(session, member, tie, ends_on=TODAY - timedelta(days=1))
    session.commit()
    assert tie.ends_on == TODAY - timedelta(days=1)
    entry = _last(session, "tie:end")
    assert entry.object_id == str(tie.id)
    assert json.loads(entry.data) == {"ends_on": (TODAY - timedelta(days=1)).isoformat()}
    # The tie stays on record.
    assert session.scalar(sa.select(sa.func.count()).select_from(MemberTie)) == 1


@pytest.mark.parametrize(
    ("who", "ends_on", "message"),
    [
        ("other", TODAY, "belongs to another member"),
        ("chair", TODAY, "belongs to another member"),
        ("secretariat", TODAY, "Only the panel's chair and members"),
        ("owner", TODAY + timedelta(days=1), "cannot be in the future"),
        ("owner", _years_ago(4), "cannot be before the start date"),
    ],
)
def test_ending_a_tie_is_refused_when_it_is_not_mine_or_the_date_is_wrong(
    session, world, who, ends_on, message
):
    people, _ = world
    owner = people.members[0]
    tie = declare_tie(session, owner, _employment("SEN", starts_on=_years_ago(3))).tie
    session.commit()
    actor = {
        "owner": owner,
        "other": people.members[1],
        "chair": people.chair,
        "secretariat": people.secretariat,
    }[who]
    before = _snapshot(session)
    with pytest.raises(Refused, match=message):
        end_tie(session, actor, tie, ends_on=ends_on)
    session.rollback()
    assert _snapshot(session) == before


def test_an_ended_tie_cannot_be_ended_again(session, world):
    people, _ = world
    member = people.members[0]
    tie = declare_tie(session, member, _employment("SEN", ends_on=_years_ago(1))).tie
    session.commit()
    before = _snapshot(session)
    with pytest.raises(Refused, match="already ended"):
        end_tie(session, member, tie, ends_on=TODAY)
    session.rollback()
    assert _snapshot(session) == before


# Detection through the operations


@pytest.mark.parametrize(
    ("ends_years_ago", "extra_days", "detected"),
    [(None, 0, True), (4, 0, True), (5, 0, True), (5, 1, False), (9, 0, False)],
)
def test_a_state_tie_is_detected_within_five_years_of_its_end(
    session, world, ends_years_ago, extra_days, detected
):
    people, election = world
    member = people.members[0]  # a national of New Zealand: no nationality conflict with SEN
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    ends_on = None if ends_years_ago is None else _years_ago(ends_years_ago, extra_days)
    declare_tie(session, member, _employment("SEN", ends_on=ends_on))
    expected = (ConflictKind.PROFESSIONAL,) if detected else ()
    assert conflict_ops.detect_conflicts(session, member, candidacy) == expected
    # The reference date is a parameter: ten years ago, even the old tie held.
    assert conflict_ops.detect_conflicts(session, member, candidacy, on=_years_ago(8)) == (
        ConflictKind.PROFESSIONAL,
    )


def test_detection_combines_nationality_and_ties_and_names_the_tie(session, world):
    people, election = world
    member = people.members[0]  # New Zealand
    candidacy = nominate(session, people, election, name="Aroha Ngata", state="NZL")
    tie = declare_tie(
        session,
        member,
        TieData(TieKind.FINANCIAL, "Co-owner of a flat", _years_ago(2), person_name="AROHA ngata"),
    ).tie
    found = conflict_ops.detections(session, member, candidacy)
    assert [(d.kind, d.tie.id if d.tie else None, d.matched) for d in found] == [
        (ConflictKind.SAME_NATIONALITY, None, None),
        (ConflictKind.NOMINATING_STATE, None, None),
        (ConflictKind.FINANCIAL, tie.id, "name"),
    ]
    assert conflict_ops.detect_conflicts(session, member, candidacy) == (
        ConflictKind.SAME_NATIONALITY,
        ConflictKind.NOMINATING_STATE,
        ConflictKind.FINANCIAL,
    )


def test_the_bulk_detection_agrees_with_the_single_one(session, world):
    people, election = world
    first, second = people.members
    candidacies = [
        nominate(session, people, election, name="Amina Diallo", state="SEN"),
        nominate(session, people, election, name="Kamau Otieno", state="KEN"),
        nominate(session, people, election, name="Aroha Ngata", state="NZL"),
    ]
    declare_tie(session, first, _employment("KEN"))
    declare_tie(
        session,
        second,
        TieData(TieKind.PERSONAL, "Friend", _years_ago(1), person_name="Amina Diallo"),
    )
    pairs = [(m, c) for m in people.panel for c in candidacies]
    bulk = conflict_ops.detections_for(session, pairs)
    for member, candidacy in pairs:
        assert bulk[(member.id, candidacy.id)] == conflict_ops.detections(
            session, member, candidacy
        )
    sen, ken, nzl = (c.id for c in candidacies)
    assert {key: [d.kind for d in found] for key, found in bulk.items() if found} == {
        (first.id, ken): [ConflictKind.PROFESSIONAL],
        (first.id, nzl): [ConflictKind.SAME_NATIONALITY, ConflictKind.NOMINATING_STATE],
        (second.id, sen): [ConflictKind.PERSONAL],
    }


def test_a_tie_detected_before_the_declaration_sends_it_to_the_chair(session, world):
    people, election = world
    member = people.members[0]
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    declare_tie(session, member, _employment("SEN", ends_on=_years_ago(2)))
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    session.commit()
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert assignment.conflict_kind is ConflictKind.PROFESSIONAL
    assert assignment.detected_conflicts == "professional"
    assert _told(session) == [people.chair.id]


# A tie recorded after a declaration


def test_a_tie_added_after_declaring_none_reopens_the_declaration(session, world):
    people, election = world
    member = people.members[0]
    candidacy = nominate(session, people, election, name="Amina Diallo-Ndiaye", state="SEN")
    unrelated = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    for c in (candidacy, unrelated):
        panel.declare_conflict(
            session, member, c, _assignment(session, c, member), has_conflict=False, details=""
        )
    session.commit()
    assignment = _assignment(session, candidacy, member)
    assert assignment.conflict_status is ConflictStatus.NONE

    tie = declare_tie(
        session,
        member,
        TieData(TieKind.FAMILY, "My cousin", None, person_name="Amina Diallo"),
    ).tie
    session.commit()
    # That name is not the candidate's: nothing happens.
    assert assignment.conflict_status is ConflictStatus.NONE
    assert _told(session) == []

    tie = declare_tie(
        session,
        member,
        TieData(TieKind.FAMILY, "My cousin", None, person_name="amina diallo-ndiayé"),
    ).tie
    session.commit()
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert assignment.conflict_kind is ConflictKind.PERSONAL
    assert assignment.detected_conflicts == "personal"
    assert _assignment(session, unrelated, member).conflict_status is ConflictStatus.NONE
    entry = _last(session, "conflict:reopen")
    assert entry.actor_id == member.id
    assert entry.object_id == str(assignment.id)
    assert json.loads(entry.data) == {
        "tie": tie.id,
        "previous": "none",
        "detected": ["personal"],
        "locked": False,
    }
    # The reopening follows the tie in the audit chain.
    assert entry.seq == _last(session, "tie:declare").seq + 1
    assert _told(session) == [people.chair.id]
    # The dossier is closed to the member until the decision.
    rel = panel.relation_of(member, candidacy, assignment)
    assert not rel.is_cleared_reviewer


def test_a_locked_scorer_keeps_their_scores_and_the_chair_decides(session, world):
    people, election = world
    member = people.members[0]
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    score_all(session, people, candidacy)
    session.commit()
    assignment = _assignment(session, candidacy, member)
    assert assignment.locked_at is not None
    scores_before = session.execute(
        sa.select(Score.criterion_id, Score.value, Score.rationale)
        .where(Score.assignment_id == assignment.id)
        .order_by(Score.criterion_id)
    ).all()
    assert scores_before

    declare_tie(session, member, _employment("SEN", ends_on=_years_ago(1)))
    session.commit()
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert json.loads(_last(session, "conflict:reopen").data)["locked"] is True
    assert assignment.locked_at is not None
    assert (
        session.execute(
            sa.select(Score.criterion_id, Score.value, Score.rationale)
            .where(Score.assignment_id == assignment.id)
            .order_by(Score.criterion_id)
        ).all()
        == scores_before
    )
    panel.decide_conflict(
        session,
        people.chair,
        assignment,
        decision=ConflictStatus.MANAGED,
        reason="Left the ministry a year ago; took no part in the nomination.",
    )
    session.commit()
    assert assignment.conflict_status is ConflictStatus.MANAGED


def test_a_tie_updates_a_pending_declaration_and_tells_the_decider_again(session, world):
    people, election = world
    member = people.members[0]
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(
        session,
        member,
        candidacy,
        assignment,
        has_conflict=True,
        kind=ConflictKind.OTHER,
        details="We met at conferences.",
    )
    session.commit()
    declare_tie(session, member, _employment("SEN"))
    session.commit()
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert assignment.conflict_kind is ConflictKind.OTHER  # the member's own word stays
    assert assignment.detected_conflicts == "professional"
    assert json.loads(_last(session, "conflict:reopen").data)["previous"] == "declared"
    assert _told(session) == [people.chair.id, people.chair.id]


def test_a_managed_conflict_goes_back_to_a_decision_when_a_new_tie_is_found(session, world):
    people, election = world
    member = people.members[0]
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(
        session,
        member,
        candidacy,
        assignment,
        has_conflict=True,
        kind=ConflictKind.OTHER,
        details="We met at conferences.",
    )
    panel.decide_conflict(session, people.chair, assignment, recuse=False, reason="Remote.")
    session.commit()
    declare_tie(
        session,
        member,
        TieData(TieKind.FINANCIAL, "Loan", _years_ago(1), person_name="Amina Diallo"),
    )
    session.commit()
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert assignment.detected_conflicts == "financial"
    assert json.loads(_last(session, "conflict:reopen").data)["previous"] == "managed"


def test_a_tie_leaves_recused_undeclared_closed_and_withdrawn_assignments_alone(session, world):
    people, election = world
    member = people.members[0]
    recused = nominate(session, people, election, name="Amina Diallo", state="SEN")
    undeclared = nominate(session, people, election, name="Amina Diallo", state="GMB")
    closed = nominate(session, people, election, name="Amina Diallo", state="MLI")
    withdrawn = nominate(session, people, election, name="Amina Diallo", state="GIN")
    a = _assignment(session, recused, member)
    panel.declare_conflict(
        session, member, recused, a, has_conflict=True, kind=ConflictKind.OTHER, details="x"
    )
    panel.decide_conflict(session, people.chair, a, recuse=True, reason="Close.")
    walk(session, people, closed, Stage.CLOSED)
    panel.declare_conflict(
        session,
        member,
        withdrawn,
        _assignment(session, withdrawn, member),
        has_conflict=False,
        details="",
    )
    walk(session, people, withdrawn, Stage.QUESTIONNAIRE)
    nominations.withdraw_candidacy(session, people.secretariat, withdrawn, reason="Note verbale.")
    session.commit()
    before = _snapshot(session)
    notices_before = before["notices"]
    declare_tie(
        session,
        member,
        TieData(TieKind.PERSONAL, "Old friend", _years_ago(1), person_name="Amina Diallo"),
    )
    session.commit()
    after = _snapshot(session)
    assert after["assignments"] == before["assignments"]
    assert after["notices"] == notices_before
    assert _last(session, "conflict:reopen") is None
    assert _assignment(session, undeclared, member).conflict_status is ConflictStatus.UNDECLARED


def test_a_conflicted_chair_adding_a_tie_is_decided_by_a_cleared_member(session, world):
    people, election = world
    first, second = people.members
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    chair_assignment = _assignment(session, candidacy, people.chair)
    for user in (people.chair, first):
        panel.declare_conflict(
            session,
            user,
            candidacy,
            _assignment(session, candidacy, user),
            has_conflict=False,
            details="",
        )
    session.commit()
    declare_tie(
        session,
        people.chair,
        TieData(TieKind.POLITICAL_OFFICE, "Deputy", _years_ago(6), _years_ago(4), state_code="SEN"),
    )
    session.commit()
    assert chair_assignment.conflict_status is ConflictStatus.DECLARED
    # Every chair is conflicted: the whole panel on the candidacy but the chair is told.
    assert sorted(_told(session)) == sorted([first.id, second.id])
    before = _snapshot(session)
    with pytest.raises(Refused, match="own conflict"):
        panel.decide_conflict(session, people.chair, chair_assignment, recuse=True, reason="x")
    session.rollback()
    # Not declared yet, so not cleared: the second member may not decide.
    with pytest.raises(Refused, match="a panel member who has none decides"):
        panel.decide_conflict(session, second, chair_assignment, recuse=True, reason="x")
    session.rollback()
    assert _snapshot(session) == before
    panel.decide_conflict(
        session,
        first,
        chair_assignment,
        decision=ConflictStatus.RECUSED,
        reason="Held office in the nominating State until four years ago.",
    )
    session.commit()
    assert chair_assignment.conflict_status is ConflictStatus.RECUSED


# The "no conflict" decision


def test_the_decider_may_find_no_conflict_with_reasons_and_it_is_audited(session, world):
    people, election = world
    member = people.members[0]
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    declare_tie(session, member, _employment("SEN", ends_on=_years_ago(4)))
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    session.commit()
    panel.decide_conflict(
        session,
        people.chair,
        assignment,
        decision=ConflictStatus.NONE,
        reason="A technical post with no link to the nomination.",
    )
    session.commit()
    assert assignment.conflict_status is ConflictStatus.NONE
    assert panel.relation_of(member, candidacy, assignment).is_cleared_reviewer
    data = json.loads(_last(session, "conflict:decide").data)
    assert data == {
        "decision": "none",
        "reason": "A technical post with no link to the nomination.",
    }


@pytest.mark.parametrize(
    ("decision", "reason", "message"),
    [
        (ConflictStatus.NONE, "   ", "Give the reasons"),
        (ConflictStatus.UNDECLARED, "Reasons.", "Decide no conflict, manage or recuse"),
        (ConflictStatus.DECLARED, "Reasons.", "Decide no conflict, manage or recuse"),
    ],
)
def test_a_decision_without_reasons_or_of_no_known_kind_is_refused_and_changes_nothing(
    session, world, decision, reason, message
):
    people, election = world
    member = people.members[0]
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(
        session,
        member,
        candidacy,
        assignment,
        has_conflict=True,
        kind=ConflictKind.OTHER,
        details="We sat on a board together.",
    )
    session.commit()
    before = _snapshot(session)
    with pytest.raises(Refused, match=message):
        panel.decide_conflict(session, people.chair, assignment, decision=decision, reason=reason)
    session.rollback()
    assert _snapshot(session) == before
