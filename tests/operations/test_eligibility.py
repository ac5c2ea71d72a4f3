"""The eligibility gates: recorded one by one, only those of the office; all passed moves the
candidacy on; a failed gate stops it with a notice naming the gate and the reason."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from vetting.domain.events import AuditAction
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gate, JudgeList, Office
from vetting.models import AuditEntry, Candidacy, EligibilityCheck, Notice, StageChange
from vetting.operations import Refused, elections, eligibility, nominations
from vetting.scenarios import add_focal_point, candidate_of, make_election, make_people, nominate


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    focal = add_focal_point(session, people, "SEN", "example.org")
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    return people, election, focal, candidacy


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _refused(session, call, message):
    before = (_count(session, AuditEntry), _count(session, EligibilityCheck))
    notices, changes = _count(session, Notice), _count(session, StageChange)
    with pytest.raises(Refused) as refused:
        call()
    assert message in str(refused.value)
    session.rollback()
    assert (_count(session, AuditEntry), _count(session, EligibilityCheck)) == before
    assert (_count(session, Notice), _count(session, StageChange)) == (notices, changes)


def _eligibility_notices(session, user_id):
    return session.scalars(
        sa.select(Notice).where(
            Notice.kind == "eligibility_result", Notice.recipient_user_id == user_id
        )
    ).all()


def test_candidacy_moves_on_only_when_every_gate_has_passed(session, world):
    people, _, focal, candidacy = world
    for gate in (Gate.G1, Gate.G2, Gate.G3, Gate.G4):
        eligibility.record_gate(
            session, people.secretariat, candidacy, gate, passed=True, reason=f"{gate.name} met."
        )
        assert candidacy.stage is Stage.NOMINATED
    assert _eligibility_notices(session, focal.id) == []
    eligibility.record_gate(
        session, people.secretariat, candidacy, Gate.G5, passed=True, reason="G5 met."
    )
    assert candidacy.stage is Stage.QUESTIONNAIRE
    assert candidacy.eligibility_reason.startswith("G1: G1 met.; G2: G2 met.")
    checks = eligibility.checks_of(session, candidacy)
    assert set(checks) == set(Gate) and all(c.passed for c in checks.values())
    assert all(c.recorded_by_id == people.secretariat.id for c in checks.values())
    gates = session.scalars(
        sa.select(AuditEntry.data)
        .where(AuditEntry.action == AuditAction.ELIGIBILITY_GATE_RECORD.value)
        .order_by(AuditEntry.seq)
    ).all()
    assert [json.loads(d)["gate"] for d in gates] == ["g1", "g2", "g3", "g4", "g5"]
    assert len(_eligibility_notices(session, focal.id)) == 1
    assert len(_eligibility_notices(session, candidacy.candidate_user_id)) == 1


def test_failed_gate_stops_the_candidacy_and_tells_candidate_and_state(session, world):
    people, _, focal, candidacy = world
    eligibility.record_gate(
        session, people.secretariat, candidacy, Gate.G1, passed=True, reason="National of SEN."
    )
    eligibility.record_gate(
        session,
        people.secretariat,
        candidacy,
        Gate.G3,
        passed=False,
        reason="No criminal trial experience for List A.",
    )
    assert candidacy.stage is Stage.CLOSED
    assert candidacy.eligibility_reason == "G3: No criminal trial experience for List A."
    change = session.scalars(sa.select(StageChange).order_by(StageChange.id.desc())).first()
    assert change.to_stage is Stage.CLOSED and change.reason.startswith("G3:")
    for user_id in (focal.id, candidate_of(session, candidacy).id):
        (notice,) = _eligibility_notices(session, user_id)
        assert "does not meet the eligibility requirements" in notice.body
        assert "Gate not met: G3 (List A/B competence matches the declared list)" in notice.body
        assert "No criminal trial experience for List A." in notice.body
    session.commit()
    _refused(
        session,
        lambda: eligibility.record_gate(
            session, people.secretariat, candidacy, Gate.G2, passed=True, reason="x"
        ),
        "is not possible while the candidacy is at stage",
    )


def test_gate_is_refused_when_it_does_not_apply_to_the_office(session, world):
    people, _, _, _ = world
    today = date.today()
    registrar = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData("Registrar", Office.REGISTRAR, 1, today - timedelta(days=1), today),
    )
    candidacy = nominate(
        session, people, registrar, name="Kamau Otieno", state="KEN", judge_list=JudgeList.NONE
    )
    session.commit()
    _refused(
        session,
        lambda: eligibility.record_gate(
            session, people.secretariat, candidacy, Gate.G3, passed=True, reason="List A."
        ),
        "Gate G3 does not apply to this office.",
    )
    # The registrar's four gates (G1, G2, G4, G5) suffice.
    eligibility.pass_remaining_gates(session, people.secretariat, candidacy, reason="All met.")
    assert candidacy.stage is Stage.QUESTIONNAIRE
    assert set(eligibility.checks_of(session, candidacy)) == {Gate.G1, Gate.G2, Gate.G4, Gate.G5}


def test_gate_is_refused_without_a_reason_or_twice(session, world):
    people, _, _, candidacy = world
    session.commit()
    _refused(
        session,
        lambda: eligibility.record_gate(
            session, people.secretariat, candidacy, Gate.G2, passed=False, reason="  "
        ),
        "Give the reason for the result of gate G2.",
    )
    assert candidacy.stage is Stage.NOMINATED
    eligibility.record_gate(
        session, people.secretariat, candidacy, Gate.G2, passed=True, reason="Supreme court."
    )
    session.commit()
    _refused(
        session,
        lambda: eligibility.record_gate(
            session, people.secretariat, candidacy, Gate.G2, passed=False, reason="Changed."
        ),
        "Gate G2 is already recorded for this candidacy.",
    )


def test_failure_without_a_gate_is_refused_when_recorded_in_one_go(session, world):
    people, _, _, candidacy = world
    session.commit()
    _refused(
        session,
        lambda: nominations.record_eligibility(
            session, people.secretariat, candidacy, passed=False, reason="Not eligible."
        ),
        "Name the gate that is not met",
    )
    nominations.record_eligibility(
        session, people.secretariat, candidacy, passed=False, reason="No.", gate=Gate.G4
    )
    assert candidacy.stage is Stage.CLOSED


def test_g1_is_prefilled_from_the_facts_when_a_judge_clashes(session, world):
    people, election, _, candidacy = world
    facts = eligibility.g1_facts(session, candidacy, election)
    assert facts.state_party and facts.clash is None and facts.suggests_pass
    elections.add_judge_in_office(
        session,
        people.secretariat,
        full_name="Judge Ndiaye",
        state_code="SEN",
        term_ends_on=election.vote_date + timedelta(days=30),
    )
    facts = eligibility.g1_facts(session, candidacy, election)
    assert not facts.suggests_pass
    assert facts.summary.startswith("Judge Ndiaye, a judge of the same nationality")
    # Only a prefill: nothing is recorded until the secretariat records G1.
    assert _count(session, EligibilityCheck) == 0
    assert session.get(Candidacy, candidacy.id).stage is Stage.NOMINATED
