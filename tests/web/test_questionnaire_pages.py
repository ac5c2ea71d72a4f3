"""The questionnaire over HTTP: answering with drafts that survive (logout, an ended session,
a server restart), submission with every problem listed, the lock, the declaration's
amendments, the builder, the deadlines page and the print view."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import make_test_app
from tests.web.support import login, logout
from vetting.domain.questionnaire import DECLARATION_ITEMS
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Level, QuestionKind
from vetting.models import (
    Answer,
    AuditEntry,
    Candidacy,
    DeadlineExtension,
    Declaration,
    QuestionnaireTemplate,
)
from vetting.operations import accounts, templates
from vetting.operations.accounts import set_password
from vetting.operations.questionnaires import declarations_of, response_of
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    candidate_of,
    make_election,
    make_people,
    nominate,
    submit_answers,
    walk,
)

MOTIVATION = "Servir la justice pénale internationale avec indépendance."


def build(session, stage: Stage = Stage.QUESTIONNAIRE):
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    candidate = candidate_of(session, candidacy)
    set_password(session, None, candidate, DEFAULT_PASSWORD)
    walk(session, people, candidacy, stage)
    session.commit()
    return people, election, candidacy, candidate


def question_ids(session, candidacy: Candidacy) -> list[int]:
    session.expire_all()
    response = response_of(session, candidacy.id)
    return [q.id for q in templates.questions_of(session, response.template_id)]


def complete_form(qids: list[int], candidacy: Candidacy, **extra: str) -> dict[str, str]:
    first, second, third = qids
    data = {
        f"q{first}": MOTIVATION,
        f"q{first}_lang": "fr",
        f"q{second}": "Twenty years as a trial judge.",
        f"q{second}_lang": "en",
        f"q{third}_choice": "no",
        f"q{third}": "",
        "signature": candidacy.full_name,
    }
    for item in DECLARATION_ITEMS:
        data[f"d_{item.key}"] = "no"
    data.update(extra)
    return data


def answers(session) -> dict[int, Answer]:
    session.expire_all()
    return {a.question_id: a for a in session.scalars(sa.select(Answer))}


def audit_count(session) -> int:
    return session.scalar(sa.select(sa.func.count(AuditEntry.seq)))


def test_page_shows_every_question_its_limit_visibility_and_the_deadline_when_open(client, session):
    _, _, candidacy, candidate = build(session)
    login(client, candidate)
    page = client.get(f"/candidate/{candidacy.public_id}/questionnaire")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Why do you seek this office?" in text and "At most 400 words." in text
    assert "Published on your public profile." in text
    assert "Confidential: only the panel and the secretariat read it." in text
    assert f"Deadline: {candidacy.questionnaire_due_on.isoformat()}" in text
    assert all(item.text in text for item in DECLARATION_ITEMS)
    assert 'src="/static/questionnaire.js"' in text and "<script>" not in text
    template = session.scalar(sa.select(QuestionnaireTemplate))
    assert template.frozen_at is not None


def test_draft_survives_logout_and_a_server_restart_when_saved_without_javascript(
    client, session, database_url, tmp_path
):
    _, _, candidacy, candidate = build(session)
    login(client, candidate)
    url = f"/candidate/{candidacy.public_id}/questionnaire"
    client.get(url)
    qids = question_ids(session, candidacy)
    form = {f"q{qids[0]}": MOTIVATION, f"q{qids[0]}_lang": "fr", "d_criminal": "yes", "save": "y"}
    assert client.post(url, data=form).status_code == 302
    saved = answers(session)
    assert (saved[qids[0]].text, saved[qids[0]].language) == (MOTIVATION, "fr")
    logout(client)

    # A new application instance on the same database: the draft is there.
    restarted = make_test_app(database_url, tmp_path)
    other = restarted.test_client()
    login(other, candidate)
    text = other.get(url).get_data(as_text=True)
    assert MOTIVATION in text
    assert re.search(
        rf'name="q{qids[0]}_lang"[^>]*>\s*<option value="en">[^<]*</option>'
        r'<option value="fr" selected',
        text,
    )
    assert 'name="d_criminal" id="d_criminal-yes" value="yes" checked' in text


def test_autosave_keeps_the_draft_and_answers_json_when_posted_by_the_script(client, session):
    _, _, candidacy, candidate = build(session)
    login(client, candidate)
    client.get(f"/candidate/{candidacy.public_id}/questionnaire")
    qids = question_ids(session, candidacy)
    url = f"/candidate/{candidacy.public_id}/questionnaire/autosave"
    reply = client.post(url, data={f"q{qids[1]}": "Typed, never sent by hand."})
    assert reply.status_code == 200 and reply.json["ok"] is True
    assert answers(session)[qids[1]].text == "Typed, never sent by hand."
    before = audit_count(session)
    refused = client.post(url, data={f"q{qids[1]}": "x" * 20001})
    assert refused.status_code == 422
    assert refused.json["problems"] == {
        f"q{qids[1]}": "This answer is longer than 20000 characters."
    }
    assert answers(session)[qids[1]].text == "Typed, never sent by hand."
    assert audit_count(session) == before


def test_a_post_from_an_ended_session_keeps_the_text_and_saves_it_after_signing_in_again(
    client, session
):
    _, _, candidacy, candidate = build(session)
    login(client, candidate)
    url = f"/candidate/{candidacy.public_id}/questionnaire"
    client.get(url)
    qids = question_ids(session, candidacy)
    # The session ends server-side (signed out everywhere) while the page is open.
    accounts.end_sessions(session, session.get(type(candidate), candidate.id))
    session.commit()
    typed = {f"q{qids[0]}": MOTIVATION, f"q{qids[0]}_lang": "fr", "save": "y"}
    kept = client.post(url, data=typed)
    text = kept.get_data(as_text=True)
    assert kept.status_code == 401
    assert "Nothing is lost" in text and MOTIVATION in text
    assert f'name="q{qids[0]}" value="{MOTIVATION}"' in text
    assert qids[0] not in answers(session)

    wrong = client.post(
        f"/candidate/{candidacy.public_id}/questionnaire/rescue",
        data={f"q{qids[0]}": MOTIVATION, "email": candidate.email, "password": "wrong"},
    )
    assert wrong.status_code == 401 and MOTIVATION in wrong.get_data(as_text=True)
    saved = client.post(
        f"/candidate/{candidacy.public_id}/questionnaire/rescue",
        data={
            f"q{qids[0]}": MOTIVATION,
            f"q{qids[0]}_lang": "fr",
            "email": candidate.email,
            "password": DEFAULT_PASSWORD,
        },
    )
    assert saved.status_code == 302
    assert answers(session)[qids[0]].text == MOTIVATION
    assert answers(session)[qids[0]].language == "fr"


def test_rescue_saves_nothing_into_someone_elses_questionnaire_when_posted(client, session):
    people, election, candidacy, candidate = build(session)
    other = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    walk(session, people, other, Stage.QUESTIONNAIRE)
    session.commit()
    reply = client.post(
        f"/candidate/{other.public_id}/questionnaire/rescue",
        data={"email": candidate.email, "password": DEFAULT_PASSWORD, "q1": "x"},
    )
    assert reply.status_code == 404
    assert answers(session) == {}


def test_submission_lists_every_problem_beside_its_question_and_keeps_the_draft_when_incomplete(
    client, session
):
    _, _, candidacy, candidate = build(session)
    login(client, candidate)
    url = f"/candidate/{candidacy.public_id}/questionnaire"
    client.get(url)
    qids = question_ids(session, candidacy)
    reply = client.post(
        url,
        data={
            f"q{qids[0]}": "word " * 401,
            f"q{qids[2]}_choice": "yes",
            "d_criminal": "yes",
            "signature": "A. Diallo",
            "submit": "y",
        },
    )
    text = reply.get_data(as_text=True)
    assert reply.status_code == 422
    summary = text[text.index('id="problems"') : text.index("</div>", text.index('id="problems"'))]
    for message in (
        "This answer has 401 words; the limit is 400.",
        "This answer is required.",
        "You answered yes: explain.",
        "You answered yes: give the details.",
        "Sign by typing your full name exactly as registered.",
    ):
        assert message in summary
        assert text.count(message) == 2  # in the summary and beside its question
    assert summary.count("<li>") == 4 + len(DECLARATION_ITEMS)
    assert answers(session)[qids[0]].text.startswith("word word")
    session.expire_all()
    assert session.get(Candidacy, candidacy.id).stage is Stage.QUESTIONNAIRE


def test_submission_locks_the_answers_when_complete_and_later_posts_change_nothing(client, session):
    _, _, candidacy, candidate = build(session)
    login(client, candidate)
    url = f"/candidate/{candidacy.public_id}/questionnaire"
    client.get(url)
    qids = question_ids(session, candidacy)
    reply = client.post(url, data=complete_form(qids, candidacy, submit="y"))
    assert reply.status_code == 302
    text = client.get(url).get_data(as_text=True)
    assert "The answers are locked" in text and MOTIVATION in text
    assert "Answered in French." in text and "<textarea" not in text
    (signed,) = declarations_of(session, candidacy.id)
    assert signed.version == 1 and signed.signed_name == "Amina Diallo"

    before = audit_count(session)
    refused = client.post(url, data=complete_form(qids, candidacy, save="y"))
    assert refused.status_code == 422
    assert answers(session)[qids[0]].text == MOTIVATION
    assert audit_count(session) == before + 0 or audit_count(session) == before


def test_amendment_keeps_every_version_when_filed_through_the_declaration_page(client, session):
    _, _, candidacy, candidate = build(session, Stage.PAPER_SCORING)
    login(client, candidate)
    url = f"/candidate/{candidacy.public_id}/declaration"
    data = {f"d_{i.key}": "no" for i in DECLARATION_ITEMS}
    data.update(d_pending="yes", d_pending_details="An inquiry opened in May.")
    refused = client.post(url, data={**data, "signature": "Amina Diallo", "reason": ""})
    assert refused.status_code == 422
    assert "Say why you amend the declaration." in refused.get_data(as_text=True)
    assert len(declarations_of(session, candidacy.id)) == 1
    reply = client.post(url, data={**data, "signature": "Amina Diallo", "reason": "A new inquiry."})
    assert reply.status_code == 302
    text = client.get(url).get_data(as_text=True)
    assert "Version 1" in text and "Version 2" in text and "A new inquiry." in text
    session.expire_all()
    assert [
        d.version for d in session.scalars(sa.select(Declaration).order_by(Declaration.version))
    ] == [1, 2]


def test_builder_adds_each_kind_and_makes_a_new_version_when_the_template_is_frozen(
    client, session
):
    people, election, candidacy, candidate = build(session)
    login(client, candidate)
    client.get(f"/candidate/{candidacy.public_id}/questionnaire")  # freezes version 1
    logout(client)
    login(client, people.secretariat)
    page = client.get(f"/secretariat/elections/{election.id}/questionnaire")
    assert page.status_code == 200 and "frozen" in page.get_data(as_text=True)
    for kind in QuestionKind:
        # The page shows the newest version's sections (after the first edit, version 2's).
        session.expire_all()
        latest = templates.latest_template(session, election.id)
        section_id = templates.contents_of(session, latest.id)[0].section.id
        data = {
            "section_id": section_id,
            "kind": kind.value,
            "text": f"A {kind.value} question?",
            "required": "y",
            "visibility": Level.PANEL.value,
        }
        if kind is QuestionKind.LONG_TEXT:
            data["word_limit"] = "200"
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            data["choices"] = "One\nTwo"
        reply = client.post(
            f"/secretariat/elections/{election.id}/questionnaire/questions", data=data
        )
        assert reply.status_code == 302, kind
    session.expire_all()
    latest = templates.latest_template(session, election.id)
    assert latest.version == 2
    kinds = [q.kind for q in templates.questions_of(session, latest.id)]
    assert all(kind in kinds for kind in QuestionKind)
    first = session.scalar(
        sa.select(QuestionnaireTemplate).where(QuestionnaireTemplate.version == 1)
    )
    assert len(templates.questions_of(session, first.id)) == 3  # version 1 is unchanged

    before = audit_count(session)
    bad = client.post(
        f"/secretariat/elections/{election.id}/questionnaire/questions",
        data={"section_id": section_id, "kind": "long_text", "text": "Why?", "visibility": "panel"},
    )
    assert bad.status_code == 422
    assert "A long text question needs a word limit." in bad.get_data(as_text=True)
    assert audit_count(session) == before


def test_builder_is_forbidden_when_user_is_not_secretariat(client, session):
    people, election, _, candidate = build(session)
    login(client, people.chair)
    assert client.get(f"/secretariat/elections/{election.id}/questionnaire").status_code == 403


def test_deadlines_page_lists_the_overdue_and_grants_a_recorded_extension(client, session):
    people, _, candidacy, _ = build(session)
    candidacy.questionnaire_due_on = date.today() - timedelta(days=4)
    session.commit()
    login(client, people.secretariat)
    text = client.get("/secretariat/questionnaires/deadlines").get_data(as_text=True)
    assert "1 questionnaire is overdue." in text
    row = text[text.index(f'id="deadline-{candidacy.public_id}"') :]
    assert '<td class="days-overdue">4</td>' in row

    url = f"/secretariat/candidacies/{candidacy.public_id}/deadline"
    new = (date.today() + timedelta(days=10)).isoformat()
    refused = client.post(url, data={"new_due_on": new, "reason": ""}, follow_redirects=True)
    assert "Give the reason for the extension." in refused.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(DeadlineExtension.id))) == 0
    client.post(url, data={"new_due_on": new, "reason": "Medical leave."})
    session.expire_all()
    (extension,) = session.scalars(sa.select(DeadlineExtension)).all()
    assert extension.reason == "Medical leave." and extension.new_due_on.isoformat() == new
    assert session.get(Candidacy, candidacy.id).questionnaire_due_on.isoformat() == new


def test_print_view_shows_everything_to_the_secretariat_and_cleared_panel_and_audits_it(
    client, session
):
    people, _, candidacy, _ = build(session, Stage.PAPER_SCORING)
    url = f"/candidacies/{candidacy.public_id}/questionnaire/print"
    login(client, people.secretariat)
    page = client.get(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Twenty years as a trial judge" in text and "Have you ever been" in text
    assert "Version 1" in text and "print.css" in text
    reads = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "questionnaire:read")
    ).all()
    assert len(reads) == 1
    logout(client)
    login(client, people.vetting_officer)
    assert client.get(url).status_code == 404


def test_public_page_shows_only_public_questions_with_their_language_when_submitted(
    client, session
):
    people, election, candidacy, _ = build(session)
    submit_answers(session, candidacy)
    session.commit()
    text = client.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
    assert "Twenty years as a trial judge" in text and "Answered in English." in text
    assert "Have you ever been the subject" not in text
    assert all(item.text not in text for item in DECLARATION_ITEMS)


@pytest.mark.parametrize("who", ["chair"])
def test_dossier_shows_answers_and_the_declaration_history_when_cleared(client, session, who):
    people, _, candidacy, _ = build(session, Stage.PAPER_SCORING)
    from vetting.models import Assignment
    from vetting.operations import panel

    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == people.chair.id
        )
    )
    if assignment is None:
        pytest.skip("no panel seated by this scenario")
    panel.declare_conflict(
        session, people.chair, candidacy, assignment, has_conflict=False, details=""
    )
    session.commit()
    login(client, people.chair)
    text = client.get(f"/panel/{candidacy.public_id}").get_data(as_text=True)
    assert "Twenty years as a trial judge" in text
    assert "Declaration on moral character" in text and "Version 1" in text
