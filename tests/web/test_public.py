"""The public site: elections, candidate profiles, published summaries, and nothing more."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
from freezegun import freeze_time

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import IntegrityOutcome
from vetting.extensions import db
from vetting.models import (
    AdverseNotice,
    Candidacy,
    EvidenceItem,
    Finding,
    PublicSummary,
    QuestionnaireResponse,
)
from vetting.operations import nominations, publication
from vetting.operations.questionnaires import AnswerInput, save_draft, submit_questionnaire
from vetting.scenarios import (
    candidate_of,
    declaration_input,
    make_election,
    make_people,
    nominate,
    questionnaire_answers,
    walk,
)

STATES = ("ARG", "AUS", "AUT", "BEL", "BEN", "BOL", "BRA", "BGR", "CAN", "COL", "CRI", "CYP")
PANEL_ANSWER = "Yes: a 2015 ethics complaint, dismissed after an inquiry, concerning recusal."
DECLARED_DETAILS = "A 2009 traffic prosecution, withdrawn before trial, declared in full."


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_index_and_healthz_still_work_when_public_pages_are_added(client, session):
    people = make_people(session)
    make_election(session, people, title="Election of the Prosecutor")
    session.commit()
    index = client.get("/")
    assert index.status_code == 200
    assert "Election of the Prosecutor" in index.get_data(as_text=True)
    assert client.get("/healthz").status_code in (200, 503)


def test_election_lists_candidates_with_public_status_when_stages_differ(client, session):
    people = make_people(session)
    election = make_election(session, people)
    published = nominate(session, people, election, name="Amina Diallo", state="SEN")
    reviewing = nominate(session, people, election, name="Carmen Rojas", state="CHL")
    withdrawn = nominate(session, people, election, name="Jan Kowalski", state="POL")
    session.commit()
    walk(session, people, published, Stage.PUBLISHED)
    walk(session, people, reviewing, Stage.DELIBERATION)
    nominations.withdraw_candidacy(
        session, people.secretariat, withdrawn, reason="Withdrawn at the State's request."
    )
    session.commit()

    # Read once the lead time after the finding notices has run, so the summary is public.
    with freeze_time(timedelta(days=10)):
        page = client.get(f"/elections/{election.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Election of six judges" in text
    assert "Judge" in text and '<dd class="col-sm-9">6</dd>' in text
    assert election.nomination_opens.isoformat() in text
    for name in ("Amina Diallo", "Carmen Rojas", "Jan Kowalski"):
        assert name in text
    assert "Senegal" in text and "Chile" in text
    assert "Female" in text and "List A" in text
    assert f"/candidates/{published.public_id}#summary" in text
    assert "Summary published" in text
    assert f"Withdrawn on {withdrawn.withdrawn_at.strftime('%Y-%m-%d')}" in text
    assert "Under review" in text
    # The public never sees internal stages.
    for internal in ("Deliberat", "deliberat", "paper_scoring", "reply_pending"):
        assert internal not in text
    assert '<th scope="col">' in text


def test_election_is_404_when_unknown(client, session):
    make_people(session)
    session.commit()
    assert client.get("/elections/999999").status_code == 404


def test_election_runs_a_constant_number_of_queries_when_candidates_grow(client, session):
    people = make_people(session)
    small = make_election(session, people, title="Small election")
    large = make_election(session, people, title="Large election")
    for state in STATES[:2]:
        nominate(session, people, small, name=f"Candidate {state}", state=state)
    for state in STATES:
        nominate(
            session,
            people,
            large,
            name=f"Candidate {state}",
            state=state,
            email=f"{state.lower()}.large@example.org",
        )
    session.commit()
    for election in (small, large):
        first = session.scalars(
            sa.select(Candidacy).where(Candidacy.election_id == election.id).limit(1)
        ).one()
        walk(session, people, first, Stage.PUBLISHED)
    session.commit()

    counts = []
    for election in (small, large):
        with counting_statements() as statements:
            assert client.get(f"/elections/{election.id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    # The election, its candidates, which summaries are published, its public rubric, and its
    # minimum voting requirements with the pool that must meet them (two).
    assert counts[0] <= 7


def test_candidate_page_runs_a_constant_number_of_queries_when_published(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    with counting_statements() as before:
        client.get(f"/candidates/{candidacy.public_id}")
    walk(session, people, candidacy, Stage.PUBLISHED)
    session.commit()
    with counting_statements() as after:
        client.get(f"/candidates/{candidacy.public_id}")
    # Before the questionnaire: the candidacy, its response, its summary. Once published, the
    # answer sheet adds a fixed five (template, answers, files, sections, questions).
    assert len(before) <= 4 and len(after) <= len(before) + 5


def test_candidate_profile_shows_public_answers_only_when_questionnaire_is_submitted(
    client, session
):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    draft = questionnaire_answers(
        session, candidacy, "fr", Why_do_you="A draft motivation, unfinished."
    )
    save_draft(session, candidate_of(session, candidacy), candidacy, draft)
    session.commit()

    text = client.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
    assert "Amina Diallo" in text
    assert "nominated by the national procedure" in text
    assert "A draft motivation, unfinished." not in text
    assert "published once the questionnaire is submitted" in text
    assert "No summary has been published yet." in text


def test_candidate_profile_marks_the_answer_language_when_submitted_in_french(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    answers = questionnaire_answers(
        session, candidacy, "fr", Why_do_you="Servir la justice pénale."
    )
    submit_questionnaire(
        session,
        candidate_of(session, candidacy),
        candidacy,
        answers,
        declaration=declaration_input(candidacy),
    )
    session.commit()

    text = client.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
    assert "Servir la justice pénale." in text
    # Marked where it differs from the page's language, on each answer.
    assert "Original language: French." in text
    assert "Answered in French" not in text
    assert 'lang="fr"' in text


def test_candidate_profile_is_404_when_public_id_is_unknown(client, session):
    make_people(session)
    session.commit()
    assert client.get("/candidates/" + "f" * 32).status_code == 404
    assert client.get("/candidates/1").status_code == 404


def test_public_pages_reveal_no_confidential_material_when_candidacy_is_walked_to_the_end(
    client, session
):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    # A panel-level answer with words of its own, so that its absence means something.
    answers = questionnaire_answers(session, candidacy)
    panel_question = next(q for q in answers if answers[q].choice == "no")
    answers[panel_question] = AnswerInput(choice="yes", text=PANEL_ANSWER)
    submit_questionnaire(
        session,
        candidate_of(session, candidacy),
        candidacy,
        answers,
        declaration=declaration_input(candidacy, criminal=DECLARED_DETAILS),
    )
    walk(session, people, candidacy, Stage.CLOSED, outcome=IntegrityOutcome.CONCERNS_NOTED)
    session.commit()

    memo = candidacy.integrity_memo
    evidence = session.scalars(sa.select(EvidenceItem.summary)).all()
    notice = session.scalar(sa.select(AdverseNotice))
    finding = session.scalar(sa.select(Finding))
    summary = session.scalar(sa.select(PublicSummary))
    response = session.scalar(sa.select(QuestionnaireResponse))
    assert memo and evidence and notice and notice.reply_text and finding and summary
    secrets = [
        PANEL_ANSWER,
        DECLARED_DETAILS,
        memo,
        *evidence,
        notice.summary,
        notice.reply_text,
        finding.reasons,
    ]

    # Read once the lead time after the finding notices has run, so the summary is public.
    with freeze_time(timedelta(days=10)):
        pages = {
            url: client.get(url)
            for url in ("/", f"/elections/{election.id}", f"/candidates/{candidacy.public_id}")
        }
    for url, page in pages.items():
        assert page.status_code == 200, url
        text = page.get_data(as_text=True)
        for secret in secrets:
            assert secret not in text, (url, secret)
            assert secret.replace("'", "&#39;") not in text, (url, secret)

    profile = pages[f"/candidates/{candidacy.public_id}"].get_data(as_text=True)
    # What the public does see: the public answers and the published summary.
    assert response.submitted_at is not None
    assert "To serve international criminal justice with independence." in profile
    assert summary.text in profile
    assert "Why do you seek this office?" in profile
    assert "disciplinary, criminal or ethics proceeding" not in profile


def test_candidate_profile_marks_the_withdrawal_when_withdrawn(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    nominations.withdraw_candidacy(session, people.secretariat, candidacy, reason="Withdrawn.")
    session.commit()
    text = client.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
    assert f"withdrawn on {candidacy.withdrawn_at.strftime('%Y-%m-%d')}" in text


def test_summary_is_not_shown_when_drafted_but_not_published(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.FINDING_ADOPTED)
    publication.draft_summary(
        session,
        people.secretariat,
        candidacy,
        publication.SummaryData(text="A draft summary awaiting approval."),
    )
    session.commit()
    for url in (f"/elections/{election.id}", f"/candidates/{candidacy.public_id}"):
        text = client.get(url).get_data(as_text=True)
        assert "A draft summary awaiting approval." not in text
        assert "Summary published" not in text


def test_public_pages_are_reachable_when_signed_in_as_any_role(client, session):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, people.chair)
    assert client.get(f"/elections/{election.id}").status_code == 200
    assert client.get(f"/candidates/{candidacy.public_id}").status_code == 200
