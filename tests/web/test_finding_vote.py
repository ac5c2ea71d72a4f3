"""The finding over HTTP: reasons on every criterion, the vote and its dissent, the chair's
signature; and who reads the adopted finding before publication (candidate, nominating State)
and who does not (the public, another State)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from freezegun import freeze_time

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.models import AuditEntry, Criterion, Finding, FindingReason, Notice
from vetting.operations import accounts, publication
from vetting.scenarios import (
    add_focal_point,
    candidate_of,
    make_election,
    make_people,
    nominate,
    walk,
)


def _world(session):
    people = make_people(session)
    election = make_election(session, people)
    focal = add_focal_point(session, people, "SEN", "example.org")
    other_focal = add_focal_point(session, people, "KEN", "example.org")
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.DELIBERATION)
    criteria = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == election.id)
        .order_by(Criterion.position)
    ).all()
    session.commit()
    return people, election, candidacy, criteria, focal, other_focal


def _form(criteria, **changes) -> dict[str, str]:
    data = {
        "merit_category": "qualified",
        "reasons": "OVERALL-canary: qualified on the whole.",
        "signed_name": "Chris Chair",
    }
    for criterion in criteria:
        data[f"reason_{criterion.id}"] = f"REASON-{criterion.code}-canary: on the record."
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _unchanged(session) -> tuple:
    return (
        session.scalar(sa.select(sa.func.count(Finding.id))),
        session.scalar(sa.select(sa.func.count(FindingReason.id))),
        session.scalar(
            sa.select(sa.func.count(AuditEntry.seq)).where(
                AuditEntry.action.in_(["finding:adopt", "candidacy:transition"])
            )
        ),
        session.scalar(sa.select(sa.func.count(Notice.id))),
    )


def test_chair_records_a_vote_with_its_tally_and_dissent_when_adopting(client, session):
    people, _election, candidacy, criteria, _focal, _other = _world(session)
    login(client, people.chair)
    url = f"/panel/{candidacy.public_id}/finding"
    vote = {"method": "vote", "votes_against": "2", "abstentions": "0"}
    before = _unchanged(session)
    refused = client.post(
        url, data=_form(criteria, votes_for="1", dissent="Not enough trial work.", **vote)
    )
    assert refused.status_code == 422
    assert "more votes for than against" in refused.get_data(as_text=True)
    assert _unchanged(session) == before
    adopted = client.post(
        url,
        data=_form(
            criteria,
            method="vote",
            votes_for="2",
            votes_against="1",
            abstentions="0",
            dissent="DISSENT-in-my-words: not enough trial work.",
        ),
    )
    assert adopted.status_code == 302
    page = client.get(f"/panel/{candidacy.public_id}/deliberation").get_data(as_text=True)
    assert "Vote: 2 for, 1 against, 0 abstaining" in page
    assert "DISSENT-in-my-words" in page
    assert "REASON-M4-canary" in page and "OVERALL-canary" in page
    assert "Chris Chair, chair of the panel, on" in page


def test_finding_form_asks_for_reasons_on_every_criterion_and_a_signature(client, session):
    people, _election, candidacy, criteria, _focal, _other = _world(session)
    login(client, people.chair)
    page = client.get(f"/panel/{candidacy.public_id}/deliberation").get_data(as_text=True)
    for criterion in criteria:
        assert f'name="reason_{criterion.id}"' in page
        assert f"Reasons on {criterion.code} {criterion.title}" in page
    assert 'name="signed_name"' in page
    # The eligibility result the candidacy passed, with the recorded reason.
    assert "Passed the eligibility gates, as recorded:" in page
    assert candidacy.eligibility_reason in page


def test_finding_is_refused_and_nothing_stored_when_a_criterion_has_no_reasons(client, session):
    people, _election, candidacy, criteria, _focal, _other = _world(session)
    login(client, people.chair)
    before = _unchanged(session)
    missing = {f"reason_{criteria[2].id}": "  ", f"reason_{criteria[5].id}": None}
    response = client.post(f"/panel/{candidacy.public_id}/finding", data=_form(criteria, **missing))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert text.count("reasons on this criterion.</div>") == 2
    # What was typed is kept on the page.
    assert "REASON-M1-canary" in text
    assert _unchanged(session) == before
    assert candidacy.stage is Stage.DELIBERATION


def test_finding_is_refused_and_nothing_stored_when_the_signature_does_not_match(client, session):
    people, _election, candidacy, criteria, _focal, _other = _world(session)
    login(client, people.chair)
    before = _unchanged(session)
    response = client.post(
        f"/panel/{candidacy.public_id}/finding", data=_form(criteria, signed_name="Chris Chairs")
    )
    assert response.status_code == 422
    assert "does not match the name on your account" in response.get_data(as_text=True)
    unsigned = client.post(
        f"/panel/{candidacy.public_id}/finding", data=_form(criteria, signed_name="")
    )
    assert unsigned.status_code == 422
    assert "Sign the finding: type your full name." in unsigned.get_data(as_text=True)
    assert _unchanged(session) == before


def test_candidate_and_state_read_the_reasons_per_criterion_and_the_public_does_not(
    client, session
):
    people, election, candidacy, criteria, focal, other_focal = _world(session)
    login(client, people.chair)
    response = client.post(
        f"/panel/{candidacy.public_id}/finding",
        data=_form(criteria, signed_name="  chris chair "),
    )
    assert response.status_code == 302
    candidate = candidate_of(session, candidacy)
    accounts.set_password(session, None, candidate, "the candidate's passphrase")
    session.commit()
    secrets = ["OVERALL-canary", *(f"REASON-{c.code}-canary" for c in criteria)]

    # Before publication: the public sees none of it.
    public = client.application.test_client()
    for url in ("/", f"/elections/{election.id}", f"/candidates/{candidacy.public_id}"):
        text = public.get(url).get_data(as_text=True)
        assert not [s for s in secrets if s in text], url

    app = client.application
    as_candidate = app.test_client()
    login(as_candidate, candidate, "the candidate's passphrase")
    mine = as_candidate.get("/candidate").get_data(as_text=True)
    for secret in secrets:
        assert secret in mine
    assert "M7 Communication and judgment" in mine
    assert "Eligible: passed the eligibility gates." in mine
    assert "chris chair, chair of the panel" in mine

    as_focal = app.test_client()
    login(as_focal, focal)
    theirs = as_focal.get("/state").get_data(as_text=True)
    for secret in secrets:
        assert secret in theirs
    as_other = app.test_client()
    login(as_other, other_focal)
    other = as_other.get("/state").get_data(as_text=True)
    assert not [s for s in secrets if s in other]

    # Published: the public reads the summary, never the panel's reasons.
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text="Found qualified.")
    )
    publication.approve_summary(session, people.secretariat_second, candidacy)
    session.commit()
    # Read once the lead time after the finding notices has run.
    with freeze_time(timedelta(days=10)):
        for url in (f"/elections/{election.id}", f"/candidates/{candidacy.public_id}"):
            text = public.get(url).get_data(as_text=True)
            assert not [s for s in secrets if s in text], url
        assert "Found qualified." in public.get(f"/candidates/{candidacy.public_id}").get_data(
            as_text=True
        )
