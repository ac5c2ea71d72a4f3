from __future__ import annotations

import pytest
import sqlalchemy as sa

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import DecisionMethod, IntegrityOutcome, MeritCategory
from vetting.models import (
    AuditEntry,
    Candidacy,
    Criterion,
    Finding,
    FindingReason,
    Notice,
)
from vetting.operations import Refused, panel
from vetting.operations.findings import reasons_of
from vetting.scenarios import (
    add_focal_point,
    finding_data,
    make_election,
    make_people,
    nominate,
    walk,
)


@pytest.fixture
def deliberating(session):
    people = make_people(session)
    election = make_election(session, people)
    focal = add_focal_point(session, people, "SEN", "example.org")
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.DELIBERATION)
    session.commit()
    return people, candidacy, focal


def _criteria(session, candidacy) -> list[Criterion]:
    return list(
        session.scalars(
            sa.select(Criterion)
            .where(Criterion.election_id == candidacy.election_id)
            .order_by(Criterion.position)
        )
    )


def _snapshot(session) -> tuple:
    return (
        session.scalar(sa.select(sa.func.count(Finding.id))),
        session.scalar(sa.select(sa.func.count(FindingReason.id))),
        session.scalar(sa.select(sa.func.max(AuditEntry.seq))),
        session.scalar(sa.select(sa.func.count(Notice.id))),
    )


def _refused(session, people, candidacy, data, message) -> None:
    before = _snapshot(session)
    with pytest.raises(Refused, match=message):
        panel.adopt_finding(session, people.chair, candidacy, data)
    session.rollback()
    assert _snapshot(session) == before
    assert session.get(Candidacy, candidacy.id).stage is Stage.DELIBERATION


def test_finding_stores_reasons_per_criterion_and_the_chairs_signature(session, deliberating):
    people, candidacy, focal = deliberating
    criteria = _criteria(session, candidacy)
    data = finding_data(
        session,
        people,
        candidacy,
        merit=MeritCategory.HIGHLY_QUALIFIED,
        criterion_reasons={c.id: f"  REASON-{c.code}: on the record.  " for c in criteria},
        signed_name="  chris   CHAIR ",
    )
    finding = panel.adopt_finding(session, people.chair, candidacy, data)
    session.commit()
    assert candidacy.stage is Stage.FINDING_ADOPTED
    assert finding.eligible is True
    assert finding.integrity_outcome is IntegrityOutcome.NO_ADVERSE_INFORMATION
    # The signature is kept as typed, spaces tidied; the time is the adoption's.
    assert finding.signed_name == "chris CHAIR"
    assert finding.adopted_at is not None
    stored = reasons_of(session, [finding.id])[finding.id]
    assert [(r.code, r.text) for r in stored] == [
        (c.code, f"REASON-{c.code}: on the record.") for c in criteria
    ]
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "finding:adopt"))
    assert '"signed":"chris CHAIR"' in entry.data
    assert '"criteria":["M1","M2","M3","M4","M5","M6","M7"]' in entry.data
    told = set(
        session.scalars(sa.select(Notice.recipient_user_id).where(Notice.kind == "finding_adopted"))
    )
    assert told == {candidacy.candidate_user_id, focal.id}


def test_finding_is_refused_listing_the_criteria_without_reasons(session, deliberating):
    people, candidacy, _focal = deliberating
    criteria = _criteria(session, candidacy)
    reasons = {c.id: f"{c.code} reasons." for c in criteria}
    reasons[criteria[2].id] = "   "
    del reasons[criteria[4].id]
    data = finding_data(session, people, candidacy, criterion_reasons=reasons)
    _refused(session, people, candidacy, data, r"none given for: M3, M5\.")


def test_finding_is_refused_when_a_reason_names_another_elections_criterion(session, deliberating):
    people, candidacy, _focal = deliberating
    other = make_election(session, people, title="Another election")
    stranger = _criteria(session, candidacy)[0].id
    foreign = session.scalar(sa.select(Criterion.id).where(Criterion.election_id == other.id))
    reasons = {c.id: "R." for c in _criteria(session, candidacy)}
    reasons[foreign] = "Not ours."
    assert stranger in reasons
    session.commit()
    data = finding_data(session, people, candidacy, criterion_reasons=reasons)
    _refused(session, people, candidacy, data, "not in this election's rubric")


@pytest.mark.parametrize(
    ("signed", "message"),
    [
        ("", "Sign the finding: type your full name."),
        ("Chris Chairman", "does not match the name on your account"),
        ("Morgan Member 1", "does not match the name on your account"),
    ],
)
def test_finding_is_refused_when_the_signature_does_not_match_the_chair(
    session, deliberating, signed, message
):
    people, candidacy, _focal = deliberating
    data = finding_data(session, people, candidacy, signed_name=signed)
    _refused(session, people, candidacy, data, message)


def test_finding_is_refused_when_adopted_by_someone_other_than_the_chair(session, deliberating):
    people, candidacy, _focal = deliberating
    member = people.members[0]
    data = finding_data(session, people, candidacy, signed_name=member.full_name)
    before = _snapshot(session)
    with pytest.raises(Refused, match="The chair adopts and signs the finding"):
        panel.adopt_finding(session, member, candidacy, data)
    session.rollback()
    assert _snapshot(session) == before


def test_finding_is_refused_without_overall_reasons(session, deliberating):
    people, candidacy, _focal = deliberating
    data = finding_data(session, people, candidacy, reasons="  ")
    _refused(session, people, candidacy, data, "A finding states its reasons.")


def test_finding_by_vote_keeps_the_dissent_with_the_reasons(session, deliberating):
    people, candidacy, _focal = deliberating
    data = finding_data(
        session,
        people,
        candidacy,
        method=DecisionMethod.VOTE,
        votes_for=2,
        votes_against=1,
        abstentions=0,
        dissent="In my own words: the trial record is thin.",
    )
    finding = panel.adopt_finding(session, people.chair, candidacy, data)
    session.commit()
    assert finding.dissent == "In my own words: the trial record is thin."
    assert len(reasons_of(session, [finding.id])[finding.id]) == 7
