"""The secretariat's pages: elections, nominations, the candidacy list and the dossier."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, IntegrityOutcome, MisconductCategory
from vetting.models import (
    AuditEntry,
    Candidacy,
    Criterion,
    Election,
    Notice,
    PublicSummary,
    StageChange,
    State,
    User,
)
from vetting.operations import diligence, listing, panel
from vetting.scenarios import make_election, make_people, nominate, walk

COMPLAINT_CANARY = "CANARY-complaint-text-7f3a"


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    from vetting.extensions import db

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def audit_actions(session, actor_id: int | None = None) -> list[str]:
    stmt = sa.select(AuditEntry.action).order_by(AuditEntry.seq)
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    return list(session.scalars(stmt))


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def stage_of(session, candidacy: Candidacy) -> Stage:
    return session.scalar(sa.select(Candidacy.stage).where(Candidacy.id == candidacy.id))


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    session.commit()
    return people, election


# -- Elections --------------------------------------------------------------------------------


def test_elections_page_lists_elections_when_secretariat(client, session, world):
    people, election = world
    login(client, people.secretariat)
    page = client.get("/secretariat/elections")
    assert page.status_code == 200
    assert election.title.encode() in page.data
    assert b"/secretariat/elections/new" in page.data


def test_secretariat_pages_are_refused_when_role_lacks_permission(client, session, world):
    people, election = world
    login(client, people.chair)
    assert client.get("/secretariat/elections").status_code == 403
    assert client.get("/secretariat/elections/new").status_code == 403
    assert client.get(f"/secretariat/elections/{election.id}").status_code == 403
    assert client.get(f"/secretariat/elections/{election.id}/nominations/new").status_code == 403


def test_secretariat_pages_redirect_to_login_when_anonymous(client, session, world):
    _, election = world
    for url in (
        "/secretariat/elections",
        f"/secretariat/elections/{election.id}",
        "/secretariat/candidacies",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_election_is_created_with_its_rubric_when_form_is_valid(client, session, world):
    people, _ = world
    login(client, people.secretariat)
    today = date.today()
    response = client.post(
        "/secretariat/elections/new",
        data={
            "title": "Election of the Prosecutor",
            "office": "prosecutor",
            "seats": "1",
            "nomination_opens": (today - timedelta(days=1)).isoformat(),
            "nomination_closes": (today + timedelta(days=30)).isoformat(),
            "vote_date": "",
        },
    )
    assert response.status_code == 302
    election = session.scalar(
        sa.select(Election).where(Election.title == "Election of the Prosecutor")
    )
    assert election is not None and election.vote_date is None
    assert response.headers["Location"].endswith(f"/secretariat/elections/{election.id}")
    codes = session.scalars(
        sa.select(Criterion.code)
        .where(Criterion.election_id == election.id)
        .order_by(Criterion.position)
    )
    assert list(codes) == ["M1", "M2", "M3", "M4", "M5", "M6", "M7"]
    entry = session.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    assert entry.action == AuditAction.ELECTION_CREATE.value
    assert entry.actor_id == people.secretariat.id
    page = client.get(response.headers["Location"])
    assert b"Leadership and management" in page.data
    assert b"Register a nomination" in page.data


def test_election_creation_changes_nothing_when_window_is_reversed(client, session, world):
    people, _ = world
    login(client, people.secretariat)
    before = (count(session, Election), count(session, AuditEntry))
    today = date.today()
    response = client.post(
        "/secretariat/elections/new",
        data={
            "title": "Backwards",
            "office": "judge",
            "seats": "6",
            "nomination_opens": today.isoformat(),
            "nomination_closes": (today - timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert b"The nomination window must close after it opens." in response.data
    assert (count(session, Election), count(session, AuditEntry)) == before


def test_election_creation_shows_field_errors_when_input_is_bad(client, session, world):
    people, _ = world
    login(client, people.secretariat)
    before = count(session, Election)
    response = client.post(
        "/secretariat/elections/new",
        data={
            "title": "x" * 201,
            "office": "emperor",
            "seats": "0",
            "nomination_opens": "not a date",
            "nomination_closes": "2030-01-01",
        },
    )
    assert response.status_code == 200
    assert b"Not a valid choice" in response.data
    assert b"Field cannot be longer than 200 characters." in response.data
    assert b"Number must be between 1 and 100." in response.data
    assert b"Not a valid date value." in response.data
    assert count(session, Election) == before


def test_election_page_is_404_when_election_is_unknown(client, session, world):
    people, election = world
    login(client, people.secretariat)
    assert client.get(f"/secretariat/elections/{election.id + 99}").status_code == 404


# -- Nominations ------------------------------------------------------------------------------


def nomination_form(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Amina Diallo",
        "email": "amina.diallo@example.org",
        "nationality_code": "SEN",
        "nominating_state_code": "SEN",
        "gender": "female",
        "judge_list": "a",
        "statement": "Nominated through the national procedure for the highest judicial offices.",
        "language": "fr",
        "nomination_basis": "art_36_4_a_i",
        "national_procedure": "Public call and interviews by the judicial council.",
    }
    data.update(overrides)
    return data


def test_nomination_form_offers_states_parties_by_name_when_shown(client, session, world):
    people, election = world
    login(client, people.secretariat)
    page = client.get(f"/secretariat/elections/{election.id}/nominations/new")
    assert page.status_code == 200
    text = page.data.decode()
    assert text.index(">Afghanistan<") < text.index(">Senegal<") < text.index(">Zambia<")


def test_nomination_is_registered_and_announced_when_form_is_valid(client, session, world):
    people, election = world
    login(client, people.secretariat)
    response = client.post(
        f"/secretariat/elections/{election.id}/nominations/new", data=nomination_form()
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/secretariat/elections/{election.id}")
    candidacy = session.scalar(sa.select(Candidacy).where(Candidacy.election_id == election.id))
    assert candidacy.full_name == "Amina Diallo" and candidacy.stage is Stage.NOMINATED
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate.password_hash is None and candidate.language == "fr"
    kinds = set(
        session.scalars(
            sa.select(Notice.kind).where(Notice.to_address == "amina.diallo@example.org")
        )
    )
    assert kinds == {"invitation", "nomination_received"}
    assert AuditAction.NOMINATION_REGISTER.value in audit_actions(session, people.secretariat.id)
    page = client.get(response.headers["Location"])
    assert b"Amina Diallo" in page.data and b"Senegal" in page.data


def test_second_nomination_is_refused_when_state_already_nominated(client, session, world):
    people, election = world
    nominate(session, people, election, name="First Nominee", state="SEN")
    session.commit()
    before = (
        count(session, Candidacy),
        count(session, User),
        count(session, Notice),
        count(session, AuditEntry),
    )
    login(client, people.secretariat)
    after_login = count(session, AuditEntry)
    response = client.post(
        f"/secretariat/elections/{election.id}/nominations/new",
        data=nomination_form(full_name="Second Nominee", email="second@example.org"),
    )
    assert response.status_code == 200
    assert b"Senegal has already nominated a candidate in this election" in response.data
    assert (
        count(session, Candidacy),
        count(session, User),
        count(session, Notice),
        count(session, AuditEntry),
    ) == before[:3] + (after_login,)
    assert session.scalar(sa.select(User).where(User.email == "second@example.org")) is None


def test_nomination_is_refused_when_state_is_not_in_the_list(client, session, world):
    people, election = world
    login(client, people.secretariat)
    response = client.post(
        f"/secretariat/elections/{election.id}/nominations/new",
        data=nomination_form(nominating_state_code="USA"),
    )
    assert response.status_code == 200
    assert b"Not a valid choice" in response.data
    assert count(session, Candidacy) == 0


# -- Candidacy list ---------------------------------------------------------------------------


def test_candidacy_list_runs_constant_queries_when_rows_grow(client, session, world):
    people, election = world
    codes = list(session.scalars(sa.select(State.code).order_by(State.code).limit(12)))
    for code in codes[:2]:
        nominate(session, people, election, name=f"Candidate {code}", state=code)
    session.commit()
    login(client, people.secretariat)
    with counted_statements() as small:
        page = client.get("/secretariat/candidacies")
    assert page.status_code == 200
    assert page.data.count(b"/secretariat/candidacies/") == 2

    for code in codes[2:]:
        nominate(session, people, election, name=f"Candidate {code}", state=code)
    session.commit()
    with counted_statements() as large:
        page = client.get("/secretariat/candidacies")
    assert page.status_code == 200
    assert page.data.count(b"/secretariat/candidacies/") == 12
    assert len(small) == len(large)


def test_candidacy_list_shows_only_the_stage_when_filtered(client, session, world):
    people, election = world
    first = nominate(session, people, election, name="Nominated Only", state="SEN")
    second = nominate(session, people, election, name="Past Eligibility", state="CHL")
    walk(session, people, second, Stage.QUESTIONNAIRE)
    session.commit()
    login(client, people.secretariat)
    page = client.get("/secretariat/candidacies?stage=questionnaire")
    assert page.status_code == 200
    assert b"Past Eligibility" in page.data and b"Nominated Only" not in page.data
    everything = client.get("/secretariat/candidacies")
    assert first.full_name.encode() in everything.data and b"Past Eligibility" in everything.data


def test_candidacy_list_is_a_bad_request_when_stage_is_unknown(client, session, world):
    people, election = world
    nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, people.secretariat)
    page = client.get("/secretariat/candidacies?stage=elected")
    assert page.status_code == 400
    assert b"Not a valid choice" in page.data
    assert b"Amina Diallo" not in page.data


def test_candidacy_pages_split_rows_when_more_than_a_page(session, world):
    people, election = world
    for code in ("SEN", "CHL", "JPN"):
        nominate(session, people, election, name=f"Candidate {code}", state=code)
    session.commit()
    first = listing.candidacies_page(session, 1, per_page=2)
    second = listing.candidacies_page(session, 2, per_page=2)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (3, 2, 2, 1)
    assert first.has_next and not second.has_next and second.has_previous
    assert {c.id for c in first.items}.isdisjoint({c.id for c in second.items})


# -- The dossier ------------------------------------------------------------------------------


def test_dossier_shows_panel_material_and_logs_the_reads_when_secretariat(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    diligence.receive_complaint(
        session,
        candidacy,
        category=MisconductCategory.HARASSMENT,
        text=COMPLAINT_CANARY,
        reporter_contact="canary-reporter@example.org",
    )
    walk(session, people, candidacy, Stage.FINDING_ADOPTED)
    session.commit()
    login(client, people.secretariat)
    page = client.get(f"/secretariat/candidacies/{candidacy.public_id}")
    assert page.status_code == 200
    body = page.data.decode()
    assert "G1-G5 met" in body  # eligibility reason
    assert "Twenty years as a trial judge" in body  # public answer
    assert "Have you ever been the subject of a disciplinary" in body  # panel-level question
    assert "Checks with former employers and open sources are complete." in body  # memo
    assert "M1-M7: see the panel" in body  # finding reasons
    assert "Finding adopted" in body and "Chris Chair" in body  # history with actor
    assert COMPLAINT_CANARY not in body and "canary-reporter" not in body
    reads = session.execute(
        sa.select(AuditEntry.action, AuditEntry.object_id).where(
            AuditEntry.actor_id == people.secretariat.id,
            AuditEntry.action.in_(
                [AuditAction.DOSSIER_READ.value, AuditAction.INTEGRITY_MEMO_READ.value]
            ),
        )
    ).all()
    assert sorted(reads) == [
        (AuditAction.DOSSIER_READ.value, str(candidacy.id)),
        (AuditAction.INTEGRITY_MEMO_READ.value, str(candidacy.id)),
    ]


def test_dossier_logs_no_memo_read_when_no_memo_exists(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, people.secretariat)
    page = client.get(f"/secretariat/candidacies/{candidacy.public_id}")
    assert page.status_code == 200
    assert b"Due diligence is open" in page.data
    actions = audit_actions(session, people.secretariat.id)
    assert AuditAction.DOSSIER_READ.value in actions
    assert AuditAction.INTEGRITY_MEMO_READ.value not in actions


def test_dossier_is_hidden_when_reviewer_is_recused_or_undeclared(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    recused, undeclared = people.members
    assignment = assignment_of_user(session, candidacy, recused)
    panel.declare_conflict(
        session,
        recused,
        candidacy,
        assignment,
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Same nationality.",
    )
    panel.decide_conflict(session, people.chair, assignment, recuse=True, reason="Nationality.")
    chair_assignment = assignment_of_user(session, candidacy, people.chair)
    panel.declare_conflict(
        session, people.chair, candidacy, chair_assignment, has_conflict=False, details=""
    )
    session.commit()
    url = f"/secretariat/candidacies/{candidacy.public_id}"
    for user, status in (
        (recused, 404),
        (undeclared, 404),
        (people.chair, 200),
        (people.vetting_officer, 200),
        (people.admin, 403),
        (session.get(User, candidacy.candidate_user_id), 403),
    ):
        if user.password_hash is None:
            continue  # the candidate has not set a password; covered by the role table
        client.post("/logout")
        login(client, user)
        assert client.get(url).status_code == status, user.email
    client.post("/logout")
    assert client.get(url).status_code == 302
    assert client.get("/secretariat/candidacies/" + "0" * 32).status_code == 302


def assignment_of_user(session, candidacy, user):
    from vetting.models import Assignment

    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )


def test_dossier_is_404_when_public_id_is_unknown(client, session, world):
    people, _ = world
    login(client, people.secretariat)
    assert client.get("/secretariat/candidacies/" + "0" * 32).status_code == 404


def test_dossier_offers_the_forms_of_the_stage_when_shown(client, session, world):
    people, election = world
    nominated = nominate(session, people, election, name="At Nomination", state="SEN")
    published = nominate(session, people, election, name="At Publication", state="CHL")
    walk(session, people, published, Stage.PUBLISHED)
    session.commit()
    login(client, people.secretariat)
    page = client.get(f"/secretariat/candidacies/{nominated.public_id}").data.decode()
    assert f"/secretariat/candidacies/{nominated.public_id}/eligibility" in page
    assert f"/secretariat/candidacies/{nominated.public_id}/withdraw" in page
    assert "/publish" not in page and "/close" not in page
    # Two forms on one page: their fields keep distinct ids for their labels.
    assert 'id="eligibility-reason"' in page and 'id="withdrawal-reason"' in page
    page = client.get(f"/secretariat/candidacies/{published.public_id}").data.decode()
    assert f"/secretariat/candidacies/{published.public_id}/close" in page
    assert "/eligibility" not in page and "/publish" not in page
    # Once published, the summary can only be corrected: a new version with its corrigendum.
    assert f"/secretariat/candidacies/{published.public_id}/summary" in page
    assert 'name="summary-corrigendum"' in page


# -- Actions ----------------------------------------------------------------------------------


def test_eligibility_moves_the_candidacy_and_tells_the_candidate_when_passed(
    client, session, world
):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, people.secretariat)
    response = client.post(
        f"/secretariat/candidacies/{candidacy.public_id}/eligibility",
        data={"eligibility-passed": "yes", "eligibility-reason": "G1 to G5 are met."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/secretariat/candidacies/{candidacy.public_id}")
    assert stage_of(session, candidacy) is Stage.QUESTIONNAIRE
    change = session.scalar(sa.select(StageChange).where(StageChange.candidacy_id == candidacy.id))
    assert change.reason == "G1 to G5 are met." and change.actor_id == people.secretariat.id
    candidate = session.get(User, candidacy.candidate_user_id)
    assert session.scalar(
        sa.select(Notice.id).where(
            Notice.kind == "eligibility_result", Notice.recipient_user_id == candidate.id
        )
    )
    assert AuditAction.CANDIDACY_TRANSITION.value in audit_actions(session, people.secretariat.id)
    assert b"Eligibility recorded." in client.get(response.headers["Location"]).data


def test_eligibility_changes_nothing_when_reason_is_missing(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, people.secretariat)
    before = count(session, AuditEntry)
    response = client.post(
        f"/secretariat/candidacies/{candidacy.public_id}/eligibility",
        data={"eligibility-passed": "no", "eligibility-reason": "   "},
        follow_redirects=True,
    )
    assert b"This field is required." in response.data
    undecided = client.post(
        f"/secretariat/candidacies/{candidacy.public_id}/eligibility",
        data={"eligibility-reason": "G1 to G5 are met."},
        follow_redirects=True,
    )
    assert b"Choose eligible or not eligible." in undecided.data
    assert stage_of(session, candidacy) is Stage.NOMINATED
    assert count(session, StageChange) == 0
    # Only the reads of the dossier page we were sent back to are recorded.
    assert audit_actions(session)[before:] == [AuditAction.DOSSIER_READ.value] * 2


def test_eligibility_is_refused_when_stage_is_past_it(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    session.commit()
    login(client, people.secretariat)
    response = client.post(
        f"/secretariat/candidacies/{candidacy.public_id}/eligibility",
        data={"eligibility-passed": "no", "eligibility-reason": "Late objection."},
        follow_redirects=True,
    )
    assert b"is not possible while the candidacy is at stage" in response.data
    assert stage_of(session, candidacy) is Stage.QUESTIONNAIRE


def test_eligibility_is_forbidden_when_role_is_vetting_officer(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, people.vetting_officer)
    response = client.post(
        f"/secretariat/candidacies/{candidacy.public_id}/eligibility",
        data={"eligibility-passed": "yes", "eligibility-reason": "x"},
    )
    assert response.status_code == 403
    assert stage_of(session, candidacy) is Stage.NOMINATED


def test_withdrawal_freezes_the_candidacy_when_reason_given(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, people.secretariat)
    empty = client.post(
        f"/secretariat/candidacies/{candidacy.public_id}/withdraw",
        data={"withdrawal-reason": ""},
        follow_redirects=True,
    )
    assert b"This field is required." in empty.data
    assert stage_of(session, candidacy) is Stage.NOMINATED
    response = client.post(
        f"/secretariat/candidacies/{candidacy.public_id}/withdraw",
        data={"withdrawal-reason": "Letter from the nominating State of 3 March."},
    )
    assert response.status_code == 302
    session.expire_all()
    withdrawn = session.get(Candidacy, candidacy.id)
    assert withdrawn.stage is Stage.WITHDRAWN and withdrawn.withdrawn_at is not None
    recipients = set(
        session.scalars(sa.select(Notice.recipient_user_id).where(Notice.kind == "withdrawal"))
    )
    assert {people.chair.id, people.secretariat_second.id} <= recipients
    page = client.get(response.headers["Location"]).data.decode()
    assert "Letter from the nominating State of 3 March." in page
    assert "/withdraw" not in page


def test_publication_needs_a_second_person_when_drafter_publishes(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.FINDING_ADOPTED)
    session.commit()
    url = f"/secretariat/candidacies/{candidacy.public_id}"
    login(client, people.secretariat)
    response = client.post(
        f"{url}/summary",
        data={"summary-text": "The panel found the candidate qualified.\n\n<script>x"},
    )
    assert response.status_code == 302
    page = client.get(url).data.decode()
    assert "Preview as public" in page and f"{url}/summary/preview" in page
    preview = client.get(f"{url}/summary/preview").data.decode()
    assert "The panel found the candidate qualified." in preview
    assert "&lt;script&gt;x" in preview and "<script>x" not in preview
    seen = preview.split('name="seen" type="hidden" value="')[1].split('"')[0]

    refused = client.post(f"{url}/summary/approve", data={"seen": seen}, follow_redirects=True)
    assert b"Publication needs a second secretariat member" in refused.data
    assert stage_of(session, candidacy) is Stage.FINDING_ADOPTED
    assert session.scalar(sa.select(PublicSummary.published_at)) is None
    published_notices = sa.select(sa.func.count(Notice.id)).where(
        Notice.kind == "summary_published"
    )
    assert session.scalar(published_notices) == 0

    client.post("/logout")
    login(client, people.secretariat_second)
    response = client.post(f"{url}/summary/approve", data={"seen": seen})
    assert response.status_code == 302
    assert stage_of(session, candidacy) is Stage.PUBLISHED
    summary = session.scalar(sa.select(PublicSummary))
    assert summary.published_by_id == people.secretariat_second.id
    assert session.scalar(published_notices) == 1  # the candidate; SEN has no focal point here
    assert AuditAction.SUMMARY_PUBLISH.value in audit_actions(session, people.secretariat_second.id)

    response = client.post(f"{url}/close")
    assert response.status_code == 302
    assert stage_of(session, candidacy) is Stage.CLOSED


def test_summary_draft_changes_nothing_when_text_is_empty_or_stage_is_early(client, session, world):
    people, election = world
    adopted = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, adopted, Stage.FINDING_ADOPTED)
    early = nominate(session, people, election, name="Early Bird", state="CHL")
    session.commit()
    login(client, people.secretariat)
    empty = client.post(
        f"/secretariat/candidacies/{adopted.public_id}/summary",
        data={"summary-text": ""},
        follow_redirects=True,
    )
    assert b"This field is required." in empty.data
    too_early = client.post(
        f"/secretariat/candidacies/{early.public_id}/summary",
        data={"summary-text": "Premature."},
        follow_redirects=True,
    )
    assert b"The first public summary is drafted once the finding is adopted" in too_early.data
    assert count(session, PublicSummary) == 0


def test_publish_is_refused_when_csrf_token_is_missing(csrf_app, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(
        session,
        people,
        candidacy,
        Stage.FINDING_ADOPTED,
        outcome=IntegrityOutcome.NO_ADVERSE_INFORMATION,
    )
    session.commit()
    client = csrf_app.test_client()
    page = client.get("/login")
    token = page.data.decode().split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={
            "email": people.secretariat_second.email,
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    response = client.post(f"/secretariat/candidacies/{candidacy.public_id}/close")
    assert response.status_code == 400
    response = client.post(f"/secretariat/candidacies/{candidacy.public_id}/summary/approve")
    assert response.status_code == 400
    assert stage_of(session, candidacy) is Stage.FINDING_ADOPTED
