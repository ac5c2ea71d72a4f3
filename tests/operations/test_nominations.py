"""Nominations, the window and its extensions, the minimum voting requirements, judges in office:
each rule's refusal with its message, and that a refusal changes nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    Gender,
    JudgeList,
    NominationBasis,
    Office,
    RequirementDimension,
)
from vetting.models import (
    Assignment,
    AuditEntry,
    Candidacy,
    Election,
    JudgeInOffice,
    NominationExtension,
    Notice,
    User,
    VotingRequirement,
)
from vetting.operations import Refused, elections, nominations
from vetting.operations.staffing import NewUserData, invite_user
from vetting.scenarios import add_focal_point, make_election, make_people, nominate

TODAY = date.today()


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    return people, election


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _data(**overrides) -> nominations.NominationData:
    values = {
        "full_name": "Amina Diallo",
        "email": "amina@example.org",
        "nationality_code": "SEN",
        "nominating_state_code": "SEN",
        "gender": Gender.FEMALE,
        "judge_list": JudgeList.A,
        "statement": "Thirty years on the bench.",
        "nomination_basis": NominationBasis.NATIONAL_JUDICIAL,
        "national_procedure": "Public call, judicial council interviews.",
    }
    values.update(overrides)
    return nominations.NominationData(**values)


def _register(session, actor, election, data, **kwargs):
    return nominations.register_nomination(
        session, actor, election, data, base_url="http://x", invitation_hours=72, **kwargs
    )


def _refused(session, call, message: str) -> None:
    """The call is refused with `message` (a part of it) and writes nothing."""
    before = (_count(session, AuditEntry), _count(session, Candidacy), _count(session, Notice))
    users = _count(session, User)
    with pytest.raises(Refused) as refused:
        call()
    assert message in str(refused.value)
    session.rollback()
    after = (_count(session, AuditEntry), _count(session, Candidacy), _count(session, Notice))
    assert after == before and _count(session, User) == users


# -- Nominations -------------------------------------------------------------------------------


def test_focal_point_nominates_for_own_state_when_window_open(session, world):
    people, election = world
    focal = add_focal_point(session, people, "SEN", "example.org")
    candidacy = _register(
        session, focal, election, _data(other_nationalities=("fra", " USA ", "FRA"))
    )
    assert candidacy.registered_by_id == focal.id
    assert candidacy.nomination_basis is NominationBasis.NATIONAL_JUDICIAL
    assert candidacy.national_procedure == "Public call, judicial council interviews."
    assert candidacy.other_nationalities == "FRA,USA"
    assert candidacy.nationality_code == "SEN"
    entry = session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.NOMINATION_REGISTER.value)
    )
    assert entry.actor_id == focal.id
    kinds = set(session.scalars(sa.select(Notice.kind).where(Notice.recipient_user_id == focal.id)))
    assert "nomination_received" in kinds


def test_focal_point_is_refused_when_nominating_for_another_state(session, world):
    people, election = world
    focal = add_focal_point(session, people, "SEN", "example.org")
    session.commit()
    _refused(
        session,
        lambda: _register(session, focal, election, _data(nominating_state_code="KEN")),
        "A focal point nominates for their own State only.",
    )


def test_other_roles_are_refused_when_registering_a_nomination(session, world):
    people, election = world
    session.commit()
    _refused(
        session,
        lambda: _register(session, people.chair, election, _data()),
        "Only a State's focal point or the secretariat registers a nomination.",
    )


def test_second_nomination_by_a_state_is_refused_when_one_exists(session, world):
    people, election = world
    nominate(session, people, election, name="First Candidate", state="SEN")
    session.commit()
    _refused(
        session,
        lambda: _register(session, people.secretariat, election, _data(email="b@example.org")),
        "Senegal has already nominated a candidate in this election (First Candidate); "
        "a State nominates one candidate per election.",
    )


def test_candidate_of_a_non_party_nationality_is_refused_when_nominated(session, world):
    people, election = world
    session.commit()
    _refused(
        session,
        lambda: _register(session, people.secretariat, election, _data(nationality_code="USA")),
        "The candidate must be a national of a State Party to the Rome Statute",
    )


def test_unknown_other_nationality_is_refused_when_dual_national(session, world):
    people, election = world
    session.commit()
    _refused(
        session,
        lambda: _register(
            session, people.secretariat, election, _data(other_nationalities=("XQZ",))
        ),
        "'XQZ' is not a country code",
    )
    _refused(
        session,
        lambda: _register(
            session, people.secretariat, election, _data(other_nationalities=("SEN",))
        ),
        "SEN is already the deemed nationality: list only the other ones.",
    )


def test_dual_national_counts_under_the_deemed_nationality_when_registered(session, world):
    people, election = world
    # A Kenyan national also holding Senegalese nationality, nominated by Senegal, deemed Kenyan.
    candidacy = _register(
        session,
        people.secretariat,
        election,
        _data(nationality_code="KEN", other_nationalities=("SEN",)),
    )
    assert candidacy.nationality_code == "KEN" and candidacy.other_nationalities == "SEN"
    assert candidacy.nominating_state_code == "SEN"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nomination_basis": None}, "Choose the basis of the nomination."),
        ({"nomination_basis": NominationBasis.OTHER}, "A judge is nominated under article 36"),
        (
            {"national_procedure": "  "},
            "Describe the national procedure by which the candidate was chosen.",
        ),
        ({"statement": ""}, "The statement of qualifications is required."),
        ({"judge_list": JudgeList.NONE}, "A candidate for judge must be on List A or List B."),
    ],
)
def test_incomplete_nomination_is_refused_with_what_is_missing(session, world, overrides, message):
    people, election = world
    session.commit()
    _refused(
        session,
        lambda: _register(session, people.secretariat, election, _data(**overrides)),
        message,
    )


def test_candidate_is_refused_when_a_judge_of_the_nationality_stays_in_office(session, world):
    people, election = world
    elections.add_judge_in_office(
        session,
        people.secretariat,
        full_name="Judge Ndiaye",
        state_code="SEN",
        term_ends_on=election.vote_date + timedelta(days=1),
    )
    session.commit()
    _refused(
        session,
        lambda: _register(session, people.secretariat, election, _data()),
        f"Judge Ndiaye, a national of Senegal, is a judge in office until "
        f"{(election.vote_date + timedelta(days=1)).isoformat()}: no two judges may be nationals "
        "of the same State (article 36(7)).",
    )


def test_judge_whose_term_ends_by_the_vote_does_not_clash_when_nominating(session, world):
    people, election = world
    elections.add_judge_in_office(
        session,
        people.secretariat,
        full_name="Judge Ndiaye",
        state_code="SEN",
        term_ends_on=election.vote_date,
    )
    assert _register(session, people.secretariat, election, _data()).id


def test_judge_in_office_is_no_clash_when_the_office_is_not_judicial(session, world):
    people, _ = world
    prosecutor = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            "Prosecutor", Office.PROSECUTOR, 1, TODAY - timedelta(days=1), TODAY
        ),
    )
    elections.add_judge_in_office(
        session,
        people.secretariat,
        full_name="Judge Ndiaye",
        state_code="SEN",
        term_ends_on=TODAY + timedelta(days=900),
    )
    candidacy = _register(
        session,
        people.secretariat,
        prosecutor,
        _data(judge_list=JudgeList.NONE, nomination_basis=NominationBasis.OTHER),
    )
    assert candidacy.nomination_basis is NominationBasis.OTHER


def _closed_election(session, people) -> Election:
    return elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            "Closed", Office.JUDGE, 6, TODAY - timedelta(days=30), TODAY - timedelta(days=1)
        ),
    )


def test_focal_point_is_refused_when_the_window_has_closed(session, world):
    people, _ = world
    closed = _closed_election(session, people)
    focal = add_focal_point(session, people, "SEN", "example.org")
    session.commit()
    _refused(
        session,
        lambda: _register(session, focal, closed, _data()),
        f"Nominations for this election closed on {(TODAY - timedelta(days=1)).isoformat()}.",
    )


def test_nomination_is_refused_when_the_window_has_not_opened(session, world):
    people, _ = world
    later = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            "Later", Office.JUDGE, 6, TODAY + timedelta(days=3), TODAY + timedelta(days=30)
        ),
    )
    session.commit()
    _refused(
        session,
        lambda: _register(session, people.secretariat, later, _data()),
        f"Nominations for this election open on {(TODAY + timedelta(days=3)).isoformat()}.",
    )


def test_secretariat_registers_late_only_with_a_reason_when_window_closed(session, world):
    people, _ = world
    closed = _closed_election(session, people)
    session.commit()
    _refused(
        session,
        lambda: _register(session, people.secretariat, closed, _data()),
        "give the reason for registering this nomination late.",
    )
    candidacy = _register(
        session, people.secretariat, closed, _data(late_reason="Posted on time, received late.")
    )
    entry = session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.NOMINATION_REGISTER.value)
    )
    assert json.loads(entry.data)["late_reason"] == "Posted on time, received late."
    assert candidacy.registered_by_id == people.secretariat.id


def test_withdrawal_records_who_withdrew_when_by_the_focal_point(session, world):
    people, election = world
    focal = add_focal_point(session, people, "SEN", "example.org")
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    nominations.withdraw_candidacy(session, focal, candidacy, reason="Withdrawn by letter.")
    assert candidacy.stage is Stage.WITHDRAWN
    assert candidacy.withdrawn_by_id == focal.id and candidacy.withdrawn_at is not None
    assert candidacy.withdrawal_reason == "Withdrawn by letter."


def test_withdrawal_notifies_candidate_state_secretariat_and_assigned_panel_when_recorded(
    session, world
):
    people, election = world
    focal = add_focal_point(session, people, "SEN", "example.org")
    other_state = add_focal_point(session, people, "KEN", "example.org")
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    assigned = set(
        session.scalars(
            sa.select(Assignment.reviewer_id).where(Assignment.candidacy_id == candidacy.id)
        )
    )
    assert assigned == {people.chair.id, *(m.id for m in people.members)}
    session.commit()
    before = _count(session, Notice)
    nominations.withdraw_candidacy(session, focal, candidacy, reason="Withdrawn by letter.")
    session.flush()
    sent = session.scalars(
        sa.select(Notice).where(Notice.kind == "withdrawal").order_by(Notice.id)
    ).all()
    assert _count(session, Notice) - before == len(sent)
    recipients = [n.recipient_user_id for n in sent]
    assert sorted(recipients) == sorted(
        {
            candidacy.candidate_user_id,
            focal.id,
            people.secretariat.id,
            people.secretariat_second.id,
            *assigned,
        }
    )
    assert other_state.id not in recipients
    assert people.vetting_officer.id not in recipients
    body = sent[0].body
    assert "Amina Diallo" in body and election.title in body
    assert "Withdrawn by letter." in body


# -- One focal point per State -----------------------------------------------------------------


def test_second_focal_point_for_a_state_is_refused_when_invited(session, world):
    people, _ = world
    add_focal_point(session, people, "SEN", "example.org")
    session.commit()

    def invite():
        invite_user(
            session,
            people.admin,
            NewUserData(
                email="second.focal@example.org",
                full_name="Second Focal",
                role=Role.FOCAL_POINT,
                state_code="SEN",
            ),
            base_url="http://x",
            hours=72,
        )

    _refused(
        session,
        invite,
        "Senegal already has a focal point account (Focal point SEN): a State has one.",
    )


# -- The nomination window and its extensions --------------------------------------------------


def test_three_extensions_of_two_weeks_then_a_fourth_is_refused(session, world):
    people, election = world
    focal = add_focal_point(session, people, "SEN", "example.org")
    add_focal_point(session, people, "KEN", "example.org")
    closes = election.nomination_closes
    for number in (1, 2, 3):
        extension = elections.extend_nomination_window(
            session, people.secretariat, election, reason=f"Short of List B, {number}."
        )
        assert extension.number == number
        assert extension.previous_closes == closes + timedelta(days=14 * (number - 1))
        assert extension.new_closes == closes + timedelta(days=14 * number)
    assert election.nomination_closes == closes + timedelta(days=42)
    entries = session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == AuditAction.NOMINATION_WINDOW_EXTEND.value)
        .order_by(AuditEntry.seq)
    ).all()
    assert [json.loads(e.data)["number"] for e in entries] == [1, 2, 3]
    notices = session.scalars(
        sa.select(Notice).where(Notice.kind == "nomination_window_extended")
    ).all()
    recipients = {n.recipient_user_id for n in notices}
    # Both focal points and both secretariat members, each once per extension.
    assert recipients == {
        focal.id,
        people.focal_points["KEN"].id,
        people.secretariat.id,
        people.secretariat_second.id,
    }
    assert len(notices) == 3 * 4
    assert people.chair.id not in recipients
    assert "Short of List B, 1." in notices[0].body
    session.commit()

    _refused(
        session,
        lambda: elections.extend_nomination_window(
            session, people.secretariat, election, reason="Still short."
        ),
        "The nomination window has already been extended three times, the most the rules allow.",
    )
    assert _count(session, NominationExtension) == 3
    session.expire_all()
    assert session.get(Election, election.id).nomination_closes == closes + timedelta(days=42)


def test_extension_is_refused_when_no_reason_is_given(session, world):
    people, election = world
    session.commit()
    _refused(
        session,
        lambda: elections.extend_nomination_window(
            session, people.secretariat, election, reason=" "
        ),
        "Give the reason for the extension",
    )
    assert _count(session, NominationExtension) == 0


def test_extension_is_allowed_on_the_closing_day_and_refused_the_day_after(session, world):
    people, election = world
    closes = election.nomination_closes
    session.commit()
    _refused(
        session,
        lambda: elections.extend_nomination_window(
            session, people.secretariat, election, reason="Late.", today=closes + timedelta(days=1)
        ),
        f"Nominations closed on {closes.isoformat()}: a window is extended while it is open",
    )
    extension = elections.extend_nomination_window(
        session, people.secretariat, election, reason="Short of women.", today=closes
    )
    assert extension.new_closes == closes + timedelta(days=14)


def test_extension_is_refused_when_it_would_pass_the_vote(session, world):
    people, _ = world
    election = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            "Tight", Office.JUDGE, 6, TODAY - timedelta(days=5), TODAY, TODAY + timedelta(days=10)
        ),
    )
    session.commit()
    _refused(
        session,
        lambda: elections.extend_nomination_window(
            session, people.secretariat, election, reason="Short."
        ),
        "after the vote on",
    )


# -- Minimum voting requirements ----------------------------------------------------------------


def test_judicial_election_starts_with_default_minimums_when_created(session, world):
    _, election = world
    got = {(r.dimension, r.value): r.minimum for r in elections.requirements_of(session, election)}
    assert got[(RequirementDimension.LIST, "a")] == 3
    assert got[(RequirementDimension.LIST, "b")] == 2
    assert got[(RequirementDimension.GENDER, "female")] == 2
    assert got[(RequirementDimension.REGIONAL_GROUP, "african")] == 1
    assert len(got) == 9


def test_requirement_is_set_and_audited_when_valid(session, world):
    people, election = world
    elections.set_voting_requirement(
        session,
        people.secretariat,
        election,
        dimension=RequirementDimension.LIST,
        value="b",
        minimum=4,
    )
    row = session.scalar(
        sa.select(VotingRequirement).where(
            VotingRequirement.election_id == election.id, VotingRequirement.value == "b"
        )
    )
    assert row.minimum == 4
    entry = session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.VOTING_REQUIREMENT_SET.value)
    )
    assert json.loads(entry.data) == {"dimension": "list", "value": "b", "from": 2, "to": 4}


@pytest.mark.parametrize(
    ("dimension", "value", "minimum", "message"),
    [
        (RequirementDimension.LIST, "none", 1, "'none' is not a value of list."),
        (RequirementDimension.GENDER, "african", 1, "'african' is not a value of gender."),
        (RequirementDimension.LIST, "a", 7, "A minimum of 7 cannot be met with 6 seat(s)"),
        (RequirementDimension.LIST, "a", -1, "A minimum cannot be negative."),
    ],
)
def test_requirement_is_refused_when_invalid(session, world, dimension, value, minimum, message):
    people, election = world
    session.commit()
    _refused(
        session,
        lambda: elections.set_voting_requirement(
            session,
            people.secretariat,
            election,
            dimension=dimension,
            value=value,
            minimum=minimum,
        ),
        message,
    )


def test_requirements_are_refused_when_the_election_is_not_judicial(session, world):
    people, _ = world
    prosecutor = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData("Prosecutor", Office.PROSECUTOR, 1, TODAY, TODAY),
    )
    assert elections.requirements_of(session, prosecutor) == []
    session.commit()
    _refused(
        session,
        lambda: elections.set_voting_requirement(
            session,
            people.secretariat,
            prosecutor,
            dimension=RequirementDimension.GENDER,
            value="female",
            minimum=1,
        ),
        "Minimum voting requirements apply to judicial elections only.",
    )


# -- Judges in office --------------------------------------------------------------------------


def test_judge_in_office_is_added_and_removed_with_audit(session, world):
    people, _ = world
    judge = elections.add_judge_in_office(
        session,
        people.secretariat,
        full_name="Judge Ndiaye",
        state_code="SEN",
        term_ends_on=TODAY + timedelta(days=400),
    )
    assert elections.judges_in_office(session) == [judge]
    elections.remove_judge_in_office(session, people.secretariat, judge)
    assert _count(session, JudgeInOffice) == 0
    actions = session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert AuditAction.JUDGE_IN_OFFICE_ADD.value in actions
    assert AuditAction.JUDGE_IN_OFFICE_REMOVE.value in actions


def test_judge_in_office_is_refused_when_name_or_state_is_wrong(session, world):
    people, _ = world
    session.commit()
    _refused(
        session,
        lambda: elections.add_judge_in_office(
            session, people.secretariat, full_name=" ", state_code="SEN", term_ends_on=TODAY
        ),
        "Give the judge's full name.",
    )
    _refused(
        session,
        lambda: elections.add_judge_in_office(
            session, people.secretariat, full_name="J", state_code="USA", term_ends_on=TODAY
        ),
        "A judge in office is a national of a State Party.",
    )
