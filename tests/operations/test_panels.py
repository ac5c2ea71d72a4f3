"""The election's panel and its assignments through the operations: seating, unseating,
assigning by hand and automatically, the default at nomination, and every refusal changing
nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from vetting.domain.assignment import ShortReason
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, ConflictStatus
from vetting.models import Assignment, AuditEntry, AuditHead, Notice, PanelMembership
from vetting.operations import Refused, accounts, nominations, panel, panels
from vetting.scenarios import make_election, make_people, nominate, walk


def _seq(session) -> int:
    return session.get(AuditHead, 1, populate_existing=True).seq


def _pairs(session) -> set[tuple[int, int]]:
    return set(session.execute(sa.select(Assignment.candidacy_id, Assignment.reviewer_id)).all())


def _actions_after(session, seq) -> list[str]:
    return list(
        session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.seq > seq).order_by(AuditEntry.seq)
        )
    )


def _seated(session, election) -> set[int]:
    return set(
        session.scalars(
            sa.select(PanelMembership.member_id).where(PanelMembership.election_id == election.id)
        )
    )


def _memberships(session) -> set[tuple[int, int]]:
    return set(session.execute(sa.select(PanelMembership.election_id, PanelMembership.member_id)))


def _refused_and_unchanged(session, pattern, operation, *args, **kwargs) -> None:
    """The operation is refused with the message, and neither the audit log nor the panel
    nor the assignments change."""
    session.commit()
    before = (_seq(session), _pairs(session), _memberships(session))
    with pytest.raises(Refused, match=pattern):
        operation(session, *args, **kwargs)
    session.rollback()
    assert (_seq(session), _pairs(session), _memberships(session)) == before


@pytest.fixture
def people(session):
    return make_people(session, members=3)


@pytest.fixture
def bare(session, people):
    """An election whose panel is not seated yet."""
    election = make_election(session, people, seat_panel=False)
    session.commit()
    return election


# -- Seating -----------------------------------------------------------------------------------


def test_seating_records_the_membership_and_audits_it(session, people, bare):
    seq = _seq(session)
    panels.seat_member(session, people.secretariat, bare, people.chair)
    session.commit()
    assert _seated(session, bare) == {people.chair.id}
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.seq == seq + 1))
    assert entry.action == "panel:seat"
    assert f'"member_id":{people.chair.id}' in entry.data
    assert entry.actor_id == people.secretariat.id


def test_seating_is_refused_for_a_user_who_is_not_on_the_panel_staff(session, people, bare):
    _refused_and_unchanged(
        session,
        "not a panel chair or panel member",
        panels.seat_member,
        people.secretariat,
        bare,
        people.vetting_officer,
    )


def test_seating_twice_is_refused(session, people, bare):
    panels.seat_member(session, people.secretariat, bare, people.members[0])
    _refused_and_unchanged(
        session, "already sits", panels.seat_member, people.secretariat, bare, people.members[0]
    )


def test_seating_a_disabled_account_is_refused(session, people, bare):
    people.members[0].active = False
    _refused_and_unchanged(
        session, "disabled", panels.seat_member, people.secretariat, bare, people.members[0]
    )


def test_only_the_secretariat_seats_and_assigns(session, people, bare):
    _refused_and_unchanged(
        session, "Only the secretariat", panels.seat_member, people.admin, bare, people.chair
    )
    _refused_and_unchanged(
        session, "Only the secretariat", panels.assign_automatically, people.chair, bare
    )


# -- The default at nomination ------------------------------------------------------------------


def test_nomination_assigns_the_seated_members_without_a_detected_conflict(session, people):
    election = make_election(session, people)
    # Member 1 is a national of New Zealand: a detected conflict on a New Zealand candidacy.
    candidacy = nominate(session, people, election, name="Aroha Ngata", state="NZL")
    session.commit()
    assigned = set(
        session.scalars(
            sa.select(Assignment.reviewer_id).where(Assignment.candidacy_id == candidacy.id)
        )
    )
    assert assigned == {p.id for p in people.panel} - {people.members[0].id}
    told = session.scalars(
        sa.select(Notice.recipient_user_id).where(Notice.kind == "reviewer_assigned")
    ).all()
    assert sorted(told) == sorted(assigned)


def test_nomination_assigns_nobody_when_no_panel_is_seated(session, people, bare):
    candidacy = nominate(session, people, bare, name="A B", state="SEN")
    session.commit()
    assert (
        session.scalar(sa.select(sa.func.count()).where(Assignment.candidacy_id == candidacy.id))
        == 0
    )


def test_nomination_leaves_out_panel_users_not_seated_on_this_election(session, people, bare):
    panels.seat_member(session, people.secretariat, bare, people.chair)
    candidacy = nominate(session, people, bare, name="A B", state="SEN")
    session.commit()
    assert _pairs(session) == {(candidacy.id, people.chair.id)}


# -- Unseating ---------------------------------------------------------------------------------


def test_unseating_removes_the_undeclared_assignments_and_audits_each(session, people):
    election = make_election(session, people)
    first = nominate(session, people, election, name="A B", state="SEN")
    second = nominate(session, people, election, name="C D", state="KEN")
    member = people.members[1]
    session.commit()
    seq = _seq(session)
    removed = panels.unseat_member(session, people.secretariat, election, member)
    session.commit()
    assert removed == 2
    assert member.id not in _seated(session, election)
    assert not {(c, m) for c, m in _pairs(session) if m == member.id}
    assert _actions_after(session, seq) == [
        "assignment:remove",
        "assignment:remove",
        "panel:unseat",
    ]
    assert {(first.id, people.chair.id), (second.id, people.chair.id)} <= _pairs(session)


def test_unseating_is_refused_once_the_member_declared_on_a_candidacy_of_the_election(
    session, people
):
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    member = people.members[1]
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == member.id
        )
    )
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    _refused_and_unchanged(
        session,
        r"already declared on 1 candidacy\(ies\) of this election \(A B\)",
        panels.unseat_member,
        people.secretariat,
        election,
        member,
    )
    assert member.id in _seated(session, election)


def test_work_in_another_election_does_not_keep_a_member_seated(session, people):
    first = make_election(session, people, title="First")
    second = make_election(session, people, title="Second")
    candidacy = nominate(session, people, first, name="A B", state="SEN")
    member = people.members[1]
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == member.id
        )
    )
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    assert panels.unseat_member(session, people.secretariat, second, member) == 0
    session.commit()
    assert member.id not in _seated(session, second)
    assert member.id in _seated(session, first)


def test_unseating_someone_not_seated_is_refused(session, people, bare):
    _refused_and_unchanged(
        session, "does not sit", panels.unseat_member, people.secretariat, bare, people.chair
    )


# -- By hand -------------------------------------------------------------------------------------


def test_a_member_with_a_detected_conflict_may_be_assigned_by_hand(session, people):
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Aroha Ngata", state="NZL")
    member = people.members[0]
    session.commit()
    seq = _seq(session)
    assignment = panels.assign(session, people.secretariat, candidacy, member)
    session.commit()
    assert assignment.reviewer_id == member.id
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.seq == seq + 1))
    assert entry.action == "assignment:create"
    assert '"detected":["same_nationality","nominating_state"]' in entry.data
    notice = session.scalar(
        sa.select(Notice).where(Notice.kind == "reviewer_assigned").order_by(Notice.id.desc())
    )
    assert notice.recipient_user_id == member.id
    # The member's declaration then sends it to a decision, whatever they declare.
    panel.declare_conflict(session, member, candidacy, assignment, has_conflict=False, details="")
    assert assignment.conflict_status is ConflictStatus.DECLARED
    assert assignment.conflict_kind is ConflictKind.SAME_NATIONALITY


def test_a_second_assignment_of_the_same_pair_is_refused(session, people):
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    _refused_and_unchanged(
        session,
        "already assigned",
        panels.assign,
        people.secretariat,
        candidacy,
        people.chair,
    )


def test_a_member_not_seated_on_the_election_cannot_be_assigned(session, people, bare):
    candidacy = nominate(session, people, bare, name="A B", state="SEN")
    _refused_and_unchanged(
        session,
        "does not sit on this election's panel",
        panels.assign,
        people.secretariat,
        candidacy,
        people.chair,
    )


def test_a_withdrawn_candidacy_gets_no_new_assignment(session, people, bare):
    candidacy = nominate(session, people, bare, name="A B", state="SEN")
    panels.seat_member(session, people.secretariat, bare, people.chair)
    nominations.withdraw_candidacy(
        session, people.secretariat, candidacy, reason="The State withdrew the nomination."
    )
    _refused_and_unchanged(
        session, "is withdrawn", panels.assign, people.secretariat, candidacy, people.chair
    )


def test_a_candidacy_past_paper_scoring_gets_no_new_assignment(session, people):
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    walk(session, people, candidacy, Stage.INTERVIEW)
    newcomer = accounts.create_user(
        session,
        None,
        email="late@example.org",
        full_name="Lee Late",
        role=Role.PANEL_MEMBER,
        state_code="CAN",
    )
    panels.seat_member(session, people.secretariat, election, newcomer)
    _refused_and_unchanged(
        session,
        "paper scoring of A B is over",
        panels.assign,
        people.secretariat,
        candidacy,
        newcomer,
    )


def test_removing_an_undeclared_assignment_is_audited(session, people):
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == people.chair.id
        )
    )
    session.commit()
    seq = _seq(session)
    panels.unassign(session, people.secretariat, assignment)
    session.commit()
    assert (candidacy.id, people.chair.id) not in _pairs(session)
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.seq == seq + 1))
    assert entry.action == "assignment:remove"
    assert f'"reviewer_id":{people.chair.id}' in entry.data


def test_removing_a_declared_assignment_is_refused(session, people):
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="A B", state="SEN")
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == people.chair.id
        )
    )
    panel.declare_conflict(
        session, people.chair, candidacy, assignment, has_conflict=False, details=""
    )
    _refused_and_unchanged(
        session, "already declared", panels.unassign, people.secretariat, assignment
    )


# -- Automatically ------------------------------------------------------------------------------


def _world_for_automatic(session, people, election):
    """Four candidacies nominated before the panel sits (so nobody is assigned yet), one of
    them from New Zealand (member 1's nationality), one withdrawn."""
    candidacies = [
        nominate(session, people, election, name=f"Candidate {code}", state=code)
        for code in ("SEN", "KEN", "NZL", "PER")
    ]
    nominations.withdraw_candidacy(
        session, people.secretariat, candidacies[3], reason="Withdrawn by the State."
    )
    for member in people.panel:
        panels.seat_member(session, people.secretariat, election, member)
    session.commit()
    return candidacies


def test_everyone_mode_assigns_every_member_without_a_conflict_on_every_open_candidacy(
    session, people, bare
):
    sen, ken, nzl, per = _world_for_automatic(session, people, bare)
    result = panels.assign_automatically(session, people.secretariat, bare)
    session.commit()
    everyone = {p.id for p in people.panel}
    expected = {(c.id, m) for c in (sen, ken, nzl) for m in everyone} - {
        (nzl.id, people.members[0].id)
    }
    assert _pairs(session) == expected
    assert len(result.created) == 11
    assert (result.considered, result.skipped) == (3, 1)
    assert [(u.id, c.id, kinds) for u, c, kinds in result.conflicted] == [
        (
            people.members[0].id,
            nzl.id,
            (ConflictKind.SAME_NATIONALITY, ConflictKind.NOMINATING_STATE),
        )
    ]
    # Run again: nothing more to make, nothing made twice.
    again = panels.assign_automatically(session, people.secretariat, bare)
    assert again.created == ()
    assert _pairs(session) == expected


def test_balanced_mode_spreads_the_load_and_respects_the_cap(session, people, bare):
    sen, ken, nzl, _per = _world_for_automatic(session, people, bare)
    seq = _seq(session)
    result = panels.assign_automatically(
        session,
        people.secretariat,
        bare,
        mode=panels.AutoMode.BALANCED,
        reviewers_per_candidacy=2,
        cap=2,
    )
    session.commit()
    pairs = _pairs(session)
    # 3 open candidacies x 2 = 6 over 4 members, cap 2: loads 2, 2, 1, 1.
    loads = sorted(sum(1 for _, m in pairs if m == p.id) for p in people.panel)
    assert loads == [1, 1, 2, 2]
    assert (nzl.id, people.members[0].id) not in pairs
    assert all(sum(1 for c, _ in pairs if c == x.id) == 2 for x in (sen, ken, nzl))
    assert result.shortfalls == ()
    assert _actions_after(session, seq) == ["assignment:create"] * 6


def test_balanced_mode_says_which_candidacies_went_short_and_why(session, people, bare):
    sen, ken, nzl, _per = _world_for_automatic(session, people, bare)
    result = panels.assign_automatically(
        session,
        people.secretariat,
        bare,
        mode=panels.AutoMode.BALANCED,
        reviewers_per_candidacy=4,
        cap=3,
    )
    # New Zealand: 3 members without a conflict for 4 wanted. Senegal and Kenya: 4 each; the
    # 4 members x cap 3 = 12 places hold the 3 + 4 + 4 = 11 possible: only New Zealand is short.
    assert [(s.candidacy.id, s.got, s.available, s.reason) for s in result.shortfalls] == [
        (nzl.id, 3, 3, ShortReason.TOO_FEW_MEMBERS)
    ]
    session.rollback()
    result = panels.assign_automatically(
        session,
        people.secretariat,
        bare,
        mode=panels.AutoMode.BALANCED,
        reviewers_per_candidacy=4,
        cap=2,
    )
    # 4 members x cap 2 = 8 places for 3 x 4 = 12 wanted: 4 short, for the cap, or for too few
    # members on New Zealand.
    assert sum(s.wanted - s.got for s in result.shortfalls) == 4
    assert {s.reason for s in result.shortfalls if s.candidacy.id != nzl.id} <= {
        ShortReason.CAP_REACHED
    }
    assert len(result.created) == 8


@pytest.mark.parametrize(
    ("reviewers", "cap", "message"),
    [
        (None, 3, "number of reviewers per candidacy"),
        (0, 3, "number of reviewers per candidacy"),
        (2, None, "most assignments a member may carry"),
        (2, 0, "most assignments a member may carry"),
    ],
)
def test_balanced_mode_refuses_missing_or_bad_numbers(
    session, people, bare, reviewers, cap, message
):
    _world_for_automatic(session, people, bare)
    _refused_and_unchanged(
        session,
        message,
        panels.assign_automatically,
        people.secretariat,
        bare,
        mode=panels.AutoMode.BALANCED,
        reviewers_per_candidacy=reviewers,
        cap=cap,
    )


def test_automatic_assignment_needs_a_seated_panel_and_an_open_candidacy(session, people, bare):
    nominate(session, people, bare, name="A B", state="SEN")
    _refused_and_unchanged(
        session, "seat its members first", panels.assign_automatically, people.secretariat, bare
    )
    other = make_election(session, people, title="Empty")
    _refused_and_unchanged(
        session,
        "No candidacy of this election takes new reviewers",
        panels.assign_automatically,
        people.secretariat,
        other,
    )
