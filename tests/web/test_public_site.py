"""The public site: the elections index, the election page with its balance of the pool (table
and chart, small counts of the gender OTHER suppressed), and the files of a public profile."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_DATA_KEY
from tests.web.test_public import counting_statements
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender, JudgeList, Level, QuestionKind
from vetting.models import Candidacy, ElectionReport
from vetting.models.base import utcnow
from vetting.operations import nominations, published, templates
from vetting.operations.files import FileStore, Upload
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
from vetting.sealing import Sealer

CV_BYTES = b"%PDF-1.4\n% a one-line CV for the public profile\n%%EOF\n"
STATES = ("SEN", "KEN", "GHA", "JPN", "KOR", "BRA", "CHL", "POL", "ROU", "NOR", "FRA", "DEU")


def _table(page: str) -> str:
    return page.split('id="pool-table"')[1].split("</table>")[0]


def _gender_row(page: str, label: str) -> list[str]:
    """The cells after the label of the balance table's row `label`: minimum, standing, status,
    nominated."""
    rows = [r for r in _table(page).split("<tr>") if f"<td>{label}</td>" in r]
    assert len(rows) == 1, (label, rows)
    return [c.split("</td>")[0].strip() for c in rows[0].split("<td>")[2:]]


def _report(session, people, election, *, published_at, version=1) -> ElectionReport:
    report = ElectionReport(
        election_id=election.id,
        version=version,
        method="Method.",
        observations="Observations.",
        drafted_by_id=people.secretariat.id,
        published_at=published_at,
    )
    session.add(report)
    session.commit()
    return report


def test_index_lists_office_seats_vote_nominations_and_candidates_when_elections_exist(
    client, session
):
    people = make_people(session)
    election = make_election(session, people, title="Election of six judges")
    for state in ("SEN", "KEN", "JPN"):
        nominate(session, people, election, name=f"Candidate {state}", state=state)
    session.commit()

    page = client.get("/").get_data(as_text=True)
    row = page.split('id="elections"')[1].split("</table>")[0]
    assert f'href="/elections/{election.id}"' in row and "Election of six judges" in row
    assert "<td>Judge</td>" in row and "<td>6</td>" in row and "<td>3</td>" in row
    assert f"Open until {election.nomination_closes.isoformat()}" in row
    assert (election.vote_date.isoformat() if election.vote_date else "not set") in row
    assert "Not published yet" in row


def test_index_shows_closed_nominations_when_the_window_has_passed(client, session):
    people = make_people(session)
    election = make_election(session, people)
    election.nomination_opens = utcnow().date() - timedelta(days=60)
    election.nomination_closes = utcnow().date() - timedelta(days=1)
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert f"Closed on {election.nomination_closes.isoformat()}" in page
    election_page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert f"Closed on {election.nomination_closes.isoformat()}" in election_page


def test_report_is_linked_only_once_public_when_an_election_has_one(app, client, session):
    if "public.report" not in app.view_functions:
        pytest.skip("the public report page (public.report) is not registered yet")
    people = make_people(session)
    election = make_election(session, people)
    report = _report(session, people, election, published_at=utcnow() + timedelta(days=3))
    link = f'href="/elections/{election.id}/vetting-report"'
    for url in ("/", f"/elections/{election.id}"):
        assert link not in client.get(url).get_data(as_text=True), url
    report.published_at = utcnow() - timedelta(minutes=1)
    session.commit()
    for url in ("/", f"/elections/{election.id}"):
        assert link in client.get(url).get_data(as_text=True), url


def test_current_reports_gives_the_latest_public_version_when_several_exist(session):
    people = make_people(session)
    first, second = make_election(session, people), make_election(session, people, title="Two")
    now = utcnow()
    old = _report(session, people, first, published_at=now - timedelta(days=2))
    newer = _report(session, people, first, published_at=now - timedelta(days=1), version=2)
    _report(session, people, second, published_at=now + timedelta(days=1))  # embargoed
    session.commit()
    assert published.current_reports(session, [first.id, second.id], now=now) == {first.id: newer}
    earlier = published.current_reports(session, [first.id], now=now - timedelta(days=1, hours=1))
    assert earlier == {first.id: old}
    assert published.current_reports(session, []) == {}


def test_election_lists_candidates_without_gender_when_any_gender_is_recorded(client, session):
    people = make_people(session)
    election = make_election(session, people)
    nominate(session, people, election, name="Amina Diallo", state="SEN")
    nominate(session, people, election, name="Alex Sato", state="JPN", gender=Gender.OTHER)
    withdrawn = nominate(session, people, election, name="Jan Kowalski", state="POL")
    nominations.withdraw_candidacy(session, people.secretariat, withdrawn, reason="Letter.")
    session.commit()

    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    candidates = page.split("Candidates nominated in this election")[1].split("</table>")[0]
    assert "Amina Diallo" in candidates and "Alex Sato" in candidates
    assert "Senegal" in candidates and "Japan" in candidates and "List A" in candidates
    assert f"Withdrawn on {withdrawn.withdrawn_at.strftime('%Y-%m-%d')}" in candidates
    for word in ("Gender", "Female", "Male", "Other"):
        assert word not in candidates
    profile = client.get(
        "/candidates/"
        + session.scalar(sa.select(Candidacy.public_id).where(Candidacy.full_name == "Alex Sato"))
    ).get_data(as_text=True)
    assert "Other" not in profile.split("<main")[-1] and "Gender" not in profile


def test_balance_counts_nominated_and_standing_against_minimums_when_some_left(client, session):
    people = make_people(session)
    election = make_election(session, people)
    nominate(session, people, election, name="A", state="SEN")
    nominate(session, people, election, name="B", state="KEN", gender=Gender.MALE)
    nominate(session, people, election, name="C", state="JPN", judge_list=JudgeList.B)
    gone = nominate(session, people, election, name="D", state="GHA", gender=Gender.MALE)
    nominations.withdraw_candidacy(session, people.secretariat, gone, reason="Letter.")
    session.commit()

    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    # Defaults for six seats: each regional group 1, each gender 2, List A 3, List B 2.
    assert _gender_row(page, "African Group")[:4] == ["1", "2", _badge("met"), "3"]
    assert _gender_row(page, "Female")[:2] == ["2", "2"]
    assert _gender_row(page, "Male")[:2] == ["2", "1"]
    assert "not met: 1 short" in _gender_row(page, "Male")[2]
    assert _gender_row(page, "Male")[3] == "2"
    assert '<td id="pool-standing">3</td>' in page and '<td id="pool-nominated">4</td>' in page


def _badge(word: str) -> str:
    return f'<span class="badge text-bg-success">{word}</span>'


@pytest.mark.parametrize("others", [1, 2, 3])
def test_balance_suppresses_other_below_3_and_totals_cannot_give_it_when_others_stand(
    client, session, others
):
    people = make_people(session)
    election = make_election(session, people)
    plan = [Gender.FEMALE] * 4 + [Gender.MALE] * 3 + [Gender.OTHER] * others
    for state, gender in zip(STATES, plan, strict=False):
        nominate(session, people, election, name=f"Candidate {state}", state=state, gender=gender)
    session.commit()

    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    other = _gender_row(page, "Other")
    women, men = _gender_row(page, "Female"), _gender_row(page, "Male")
    total = len(plan)
    assert f'<td id="pool-nominated">{total}</td>' in page
    if others < 3:
        assert other[1] == other[3] == "fewer than 3"
        # Women and men both exact would give the count back from the total.
        assert "not shown" in (women[1], men[1]) and "not shown" in (women[3], men[3])
        shown = [int(v) for v in (women[3], men[3]) if v.isdigit()]
        assert len(shown) == 1 and total - shown[0] not in (others,)
    else:
        assert other[1] == other[3] == "3"
        assert (women[3], men[3]) == ("4", "3")
    # The chart says no more than the table.
    chart = page.split('id="balance-chart"')[1].split("</svg>")[0]
    groups = {g.split("</text>")[0].rsplit(">", 1)[1]: g for g in chart.split("<g>")[1:]}
    if others < 3:
        assert "fewer than 3" in groups["Other"] and "<rect" not in groups["Other"]
        assert any("not shown" in groups[g] for g in ("Female", "Male"))
    else:
        assert "<rect" in groups["Other"] and ">3</text>" in groups["Other"]


def test_balance_chart_is_an_inline_svg_with_title_and_no_style_when_rendered(client, session):
    people = make_people(session)
    election = make_election(session, people)
    nominate(session, people, election, name="A", state="SEN")
    session.commit()
    response = client.get(f"/elections/{election.id}")
    page = response.get_data(as_text=True)
    chart = page.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert 'role="img"' in chart and 'aria-labelledby="balance-chart-title' in chart
    assert "<title id=" in chart and "<desc id=" in chart
    assert "African Group" in chart and "<rect" in chart and "<line" in chart
    assert " style=" not in chart and "<script" not in page
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def _public_cv_question(session, people, election) -> tuple[int, int]:
    """A PUBLIC file question (the CV) and a PANEL one, in a section of their own."""
    section = templates.add_section(session, people.secretariat, election, title="Documents")
    ids = []
    for text, level in (("Your CV", Level.PUBLIC), ("A medical certificate", Level.PANEL)):
        question = templates.add_question(
            session,
            people.secretariat,
            election,
            section.id,
            templates.QuestionData(
                kind=QuestionKind.FILE, text=text, required=False, visibility=level
            ),
        )
        ids.append(question.id)
    return ids[0], ids[1]


def _with_files(app, session, candidacy, cv_id, panel_id, *, submit: bool) -> None:
    store = FileStore(Sealer(TEST_DATA_KEY), app.config["FILES_DIR"], 1024 * 1024)
    answers = questionnaire_answers(session, candidacy)
    answers[cv_id] = AnswerInput(upload=Upload("cv-amina-diallo.pdf", CV_BYTES))
    answers[panel_id] = AnswerInput(upload=Upload("medical.pdf", b"%PDF-1.4\nprivate\n%%EOF\n"))
    candidate = candidate_of(session, candidacy)
    if submit:
        submit_questionnaire(
            session,
            candidate,
            candidacy,
            answers,
            declaration=declaration_input(candidacy),
            store=store,
        )
    else:
        save_draft(session, candidate, candidacy, answers, store=store)
    session.commit()


def test_public_file_is_listed_and_downloaded_as_attachment_when_submitted(app, client, session):
    people = make_people(session)
    election = make_election(session, people)
    cv_id, panel_id = _public_cv_question(session, people, election)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    _with_files(app, session, candidacy, cv_id, panel_id, submit=True)

    profile = client.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
    url = f"/candidates/{candidacy.public_id}/files/{cv_id}"
    assert f'href="{url}"' in profile and "cv-amina-diallo.pdf" in profile
    assert "medical.pdf" not in profile and f"/files/{panel_id}" not in profile
    response = client.get(url)
    assert response.status_code == 200 and response.data == CV_BYTES
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # A panel-level file, an unknown question: nothing.
    assert client.get(f"/candidates/{candidacy.public_id}/files/{panel_id}").status_code == 404
    assert client.get(f"/candidates/{candidacy.public_id}/files/999999").status_code == 404
    assert client.get(f"/candidates/{'f' * 32}/files/{cv_id}").status_code == 404


def test_public_file_is_404_when_the_questionnaire_is_a_draft(app, client, session):
    people = make_people(session)
    election = make_election(session, people)
    cv_id, panel_id = _public_cv_question(session, people, election)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    _with_files(app, session, candidacy, cv_id, panel_id, submit=False)
    assert client.get(f"/candidates/{candidacy.public_id}/files/{cv_id}").status_code == 404
    profile = client.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
    assert "cv-amina-diallo.pdf" not in profile and "No document has been published." in profile


def test_index_and_election_run_the_same_queries_when_candidates_and_elections_grow(
    client, session
):
    people = make_people(session)
    election = make_election(session, people)

    def measure() -> tuple[int, int]:
        counts = []
        for url in ("/", f"/elections/{election.id}"):
            with counting_statements() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts[0], counts[1]

    for state, gender in (("SEN", Gender.FEMALE), ("KEN", Gender.OTHER)):
        nominate(session, people, election, name=f"C {state}", state=state, gender=gender)
    session.commit()
    election_id = election.id
    small = measure()
    for index, state in enumerate(STATES[2:]):
        gender = (Gender.MALE, Gender.FEMALE, Gender.OTHER)[index % 3]
        nominate(session, people, election, name=f"C {state}", state=state, gender=gender)
        make_election(session, people, title=f"Another election {index}")
    session.commit()
    election = session.get(type(election), election_id)
    assert measure() == small
    assert re.search(r"Another election 9", client.get("/").get_data(as_text=True))
