"""The vetting officer's pages: the due-diligence queue, complaints (restricted), evidence and
the integrity outcome."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    EvidenceKind,
    IntegrityOutcome,
    Level,
    MisconductCategory,
)
from vetting.extensions import db
from vetting.models import AuditEntry, Candidacy, EvidenceItem
from vetting.operations import diligence, nominations
from vetting.scenarios import make_election, make_people, nominate, walk

COMPLAINT_CANARY = "CANARY-complaint-d41: the candidate threatened a junior clerk"
CONTACT_CANARY = "canary-witness-33@example.net"

STATES = ("SEN", "CHL", "JPN", "POL", "KEN", "NOR", "FRA", "DEU")


def make_world(session, *, candidacies: int = 1):
    people = make_people(session)
    election = make_election(session, people)
    made = []
    for index in range(candidacies):
        candidacy = nominate(
            session, people, election, name=f"Candidate {STATES[index]}", state=STATES[index]
        )
        diligence.receive_complaint(
            session,
            candidacy,
            category=MisconductCategory.HARASSMENT,
            text=f"{COMPLAINT_CANARY} ({index})",
            reporter_contact=CONTACT_CANARY,
        )
        for _ in range(2):
            diligence.record_evidence(
                session,
                people.vetting_officer,
                candidacy,
                diligence.EvidenceData(
                    kind=EvidenceKind.REFERENCE,
                    source="Former president of the court",
                    obtained_on=date.today() - timedelta(days=5),
                    summary="Speaks to independence under pressure.",
                    level=Level.PANEL,
                ),
            )
        made.append(candidacy)
    session.commit()
    return people, election, made


def count_of(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def officer_actions(session, people) -> list[str]:
    session.expire_all()
    return list(
        session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.actor_id == people.vetting_officer.id)
            .order_by(AuditEntry.seq)
        )
    )


@contextmanager
def counting_statements(app) -> Iterator[list[int]]:
    """Statements run inside, in a fresh application context (a request's own session)."""
    count = [0]

    def before(*_args: object, **_kwargs: object) -> None:
        count[0] += 1

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield count
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)


# -- access ---------------------------------------------------------------------------------


def test_pages_redirect_to_login_when_anonymous(client, session):
    _people, _election, (candidacy,) = make_world(session)
    for method, url in (
        ("get", "/diligence"),
        ("get", f"/diligence/{candidacy.public_id}"),
        ("post", f"/diligence/{candidacy.public_id}/evidence"),
        ("post", f"/diligence/{candidacy.public_id}/outcome"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["secretariat", "chair", "member", "admin"])
def test_pages_are_refused_and_complaints_hidden_when_not_a_vetting_officer(app, session, who):
    people, _election, (candidacy,) = make_world(session)
    user = {
        "secretariat": people.secretariat,
        "chair": people.chair,
        "member": people.members[0],
        "admin": people.admin,
    }[who]
    client = app.test_client()
    login(client, user)
    for method, url in (
        ("get", "/diligence"),
        ("get", f"/diligence/{candidacy.public_id}"),
        ("post", f"/diligence/{candidacy.public_id}/evidence"),
        ("post", f"/diligence/{candidacy.public_id}/outcome"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 403
        assert COMPLAINT_CANARY.encode() not in response.data
        assert CONTACT_CANARY.encode() not in response.data
    assert AuditAction.COMPLAINT_READ.value not in set(
        session.scalars(sa.select(AuditEntry.action))
    )


def test_candidacy_answers_404_when_public_id_is_unknown(app, session):
    people, _election, _made = make_world(session)
    client = app.test_client()
    login(client, people.vetting_officer)
    assert client.get("/diligence/" + "0" * 32).status_code == 404


# -- the queue ------------------------------------------------------------------------------


def test_queue_lists_open_candidacies_with_counts_when_vetting_officer(app, session):
    people, election, (first, second) = make_world(session, candidacies=2)
    diligence.receive_complaint(
        session, second, category=MisconductCategory.HARASSMENT, text="More.", reporter_contact=None
    )
    withdrawn = nominate(session, people, election, name="Wendy Withdrawn", state="JPN")
    nominations.withdraw_candidacy(session, people.secretariat, withdrawn, reason="Personal.")
    diligence.record_integrity_outcome(
        session,
        people.vetting_officer,
        first,
        outcome=IntegrityOutcome.CONCERNS_NOTED,
        memo="Memo.",
    )
    session.commit()
    client = app.test_client()
    login(client, people.vetting_officer)
    page = client.get("/diligence")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Wendy Withdrawn" not in text
    rows = {
        name: text[text.index(name) : text.index("</tr>", text.index(name))]
        for name in ("Candidate SEN", "Candidate CHL")
    }
    assert "Outcome recorded: Concerns noted" in rows["Candidate SEN"]
    assert "<td>2</td>\n      <td>1</td>" in rows["Candidate SEN"]
    assert "Open" in rows["Candidate CHL"]
    assert "<td>2</td>\n      <td>2</td>" in rows["Candidate CHL"]
    assert f"/diligence/{second.public_id}" in text
    # The queue is a list: it shows counts, never complaint material.
    assert COMPLAINT_CANARY not in text and CONTACT_CANARY not in text


def test_queue_runs_the_same_number_of_queries_when_candidacies_multiply(app, session):
    people, election, _made = make_world(session, candidacies=1)
    client = app.test_client()
    login(client, people.vetting_officer)
    with counting_statements(app) as small:
        assert client.get("/diligence").status_code == 200
    for index in range(1, 6):
        extra = nominate(session, people, election, name=f"Extra {index}", state=STATES[index])
        diligence.receive_complaint(
            session, extra, category=MisconductCategory.HARASSMENT, text="x", reporter_contact=None
        )
    session.commit()
    with counting_statements(app) as large:
        page = client.get("/diligence")
    assert page.status_code == 200 and b"Extra 5" in page.data
    assert large[0] == small[0]


# -- one candidacy ------------------------------------------------------------------------


def test_candidacy_shows_complaints_and_evidence_and_audits_reads_when_vetting_officer(
    app, session
):
    people, _election, (candidacy,) = make_world(session)
    client = app.test_client()
    login(client, people.vetting_officer)
    page = client.get(f"/diligence/{candidacy.public_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert COMPLAINT_CANARY in text
    # The reporter's contact is shown only on the report's own page, on request.
    assert CONTACT_CANARY not in text and "Left: open the report to see it" in text
    assert "Harassment, including sexual harassment" in text
    assert "Speaks to independence under pressure." in text
    actions = officer_actions(session, people)
    assert actions.count(AuditAction.COMPLAINT_READ.value) == 1
    assert actions.count(AuditAction.EVIDENCE_READ.value) == 2


def _evidence(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "open_source",
        "source": "National press archive",
        "obtained_on": (date.today() - timedelta(days=1)).isoformat(),
        "summary": "No reports of misconduct over twenty years.",
        "level": "panel",
        "verified": "y",
    }
    data.update(overrides)
    return data


def test_evidence_is_recorded_and_audited_when_input_is_valid(app, session):
    people, _election, (candidacy,) = make_world(session)
    client = app.test_client()
    login(client, people.vetting_officer)
    response = client.post(f"/diligence/{candidacy.public_id}/evidence", data=_evidence())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/diligence/{candidacy.public_id}")
    item = session.scalars(
        sa.select(EvidenceItem).where(EvidenceItem.source == "National press archive")
    ).one()
    assert item.kind is EvidenceKind.OPEN_SOURCE and item.level is Level.PANEL
    assert item.verified and not item.relied_on
    assert item.added_by_id == people.vetting_officer.id
    assert AuditAction.EVIDENCE_CREATE.value in officer_actions(session, people)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"obtained_on": (date.today() + timedelta(days=3)).isoformat()},
            "cannot be in the future",
        ),
        ({"source": ""}, "Name the source."),
        ({"source": "   "}, "Name the source."),
        ({"summary": ""}, "Summarise the item."),
        ({"obtained_on": "yesterday"}, "Give the date obtained, as YYYY-MM-DD."),
        ({"level": "secret"}, "Not a valid choice"),
        ({"source": "x" * 301}, "Field cannot be longer than 300 characters."),
    ],
)
def test_evidence_is_refused_with_message_and_nothing_changes_when_input_is_bad(
    app, session, overrides, message
):
    people, _election, (candidacy,) = make_world(session)
    before = count_of(session, EvidenceItem)
    client = app.test_client()
    login(client, people.vetting_officer)
    response = client.post(
        f"/diligence/{candidacy.public_id}/evidence", data=_evidence(**overrides)
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_of(session, EvidenceItem) == before
    assert AuditAction.EVIDENCE_CREATE.value not in officer_actions(session, people)[-3:]


def test_outcome_is_recorded_and_closes_due_diligence_when_memo_is_given(app, session):
    people, _election, (candidacy,) = make_world(session)
    client = app.test_client()
    login(client, people.vetting_officer)
    response = client.post(
        f"/diligence/{candidacy.public_id}/outcome",
        data={"outcome": "concerns_noted", "memo": "One concern, partly substantiated."},
    )
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Candidacy, candidacy.id)
    assert stored.integrity_outcome is IntegrityOutcome.CONCERNS_NOTED
    assert stored.integrity_memo == "One concern, partly substantiated."
    assert AuditAction.INTEGRITY_RECORD.value in officer_actions(session, people)
    queue = client.get("/diligence").get_data(as_text=True)
    assert "Outcome recorded: Concerns noted" in queue


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "concerns_noted", "memo": ""}, "Write the memo for the panel."),
        ({"outcome": "guilty", "memo": "Memo."}, "Not a valid choice"),
    ],
)
def test_outcome_is_refused_and_nothing_changes_when_input_is_bad(app, session, data, message):
    people, _election, (candidacy,) = make_world(session)
    client = app.test_client()
    login(client, people.vetting_officer)
    response = client.post(f"/diligence/{candidacy.public_id}/outcome", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Candidacy, candidacy.id).integrity_outcome is None


def test_outcome_is_refused_with_reason_when_deliberation_has_begun(app, session):
    people, _election, (candidacy,) = make_world(session)
    walk(session, people, candidacy, Stage.DELIBERATION)
    session.commit()
    client = app.test_client()
    login(client, people.vetting_officer)
    response = client.post(
        f"/diligence/{candidacy.public_id}/outcome",
        data={"outcome": "does_not_meet_standard", "memo": "Late news."},
    )
    assert response.status_code == 422
    assert b"Due diligence closes before deliberation" in response.data
    session.expire_all()
    assert (
        session.get(Candidacy, candidacy.id).integrity_outcome
        is IntegrityOutcome.NO_ADVERSE_INFORMATION
    )
