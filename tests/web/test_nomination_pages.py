"""The secretariat's and the public's nomination pages: the pool against each minimum voting
requirement (hand-computed), the window's extensions, judges in office, the eligibility gates,
and withdrawn candidacies leaving every queue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gate, Gender, JudgeList, RequirementDimension
from vetting.models import AuditEntry, Candidacy, JudgeInOffice, NominationExtension, Notice
from vetting.operations import elections, eligibility, nominations, reminders
from vetting.scenarios import add_focal_point, make_election, make_people, nominate, walk


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    return people, election


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _pool_row(page: str, label: str) -> str:
    """The table row of the pool table whose header cell is `label`, as text."""
    table = page.split('id="pool-table"')[1].split("</table>")[0]
    rows = [r for r in table.split("<tr>") if f"<td>{label}</td>" in r]
    assert len(rows) == 1, (label, rows)
    return rows[0]


def _cells(row: str) -> list[str]:
    """Minimum, in the pool, can be met (after the value's own cell)."""
    return [c.split("</td>")[0].strip() for c in row.split("<td>")[2:]]


def _seed_pool(session, people, election):
    """Senegal (African) woman List A; Kenya (African) man List B; Japan (Asia-Pacific) woman
    List B, withdrawn; Brazil (GRULAC) man List A, failed G3."""
    nominate(session, people, election, name="A", state="SEN", gender=Gender.FEMALE)
    nominate(
        session, people, election, name="B", state="KEN", gender=Gender.MALE, judge_list=JudgeList.B
    )
    withdrawn = nominate(
        session,
        people,
        election,
        name="C",
        state="JPN",
        gender=Gender.FEMALE,
        judge_list=JudgeList.B,
    )
    nominations.withdraw_candidacy(session, people.secretariat, withdrawn, reason="Letter.")
    failed = nominate(session, people, election, name="D", state="BRA", gender=Gender.MALE)
    eligibility.record_gate(
        session, people.secretariat, failed, Gate.G3, passed=False, reason="No trial experience."
    )
    session.commit()


def test_election_pages_show_the_pool_against_each_minimum_when_opened(client, session, world):
    people, election = world
    _seed_pool(session, people, election)
    # Defaults for six seats: List A 3, List B 2, each gender 2, each regional group 1.
    # The pool: A (SEN, F, A) and B (KEN, M, B); C is withdrawn, D failed a gate.
    login(client, people.secretariat)
    secretariat_page = client.get(f"/secretariat/elections/{election.id}").data.decode()
    client.get("/logout")
    public_page = client.get(f"/elections/{election.id}").data.decode()
    for page in (secretariat_page, public_page):
        african = _cells(_pool_row(page, "African Group"))
        assert african[:2] == ["1", "2"] and "met" in african[2] and "short" not in african[2]
        asia = _cells(_pool_row(page, "Asia-Pacific Group"))
        assert asia[:2] == ["1", "0"] and "not met: 1 short" in asia[2]
        female = _cells(_pool_row(page, "Female"))
        assert female[:2] == ["2", "1"] and "not met: 1 short" in female[2]
        male = _cells(_pool_row(page, "Male"))
        assert male[:2] == ["2", "1"] and "not met: 1 short" in male[2]
        latin = _cells(_pool_row(page, "Latin American and Caribbean Group"))
        assert latin[:2] == ["1", "0"]


def test_requirement_change_shows_on_the_page_when_saved(client, session, world):
    people, election = world
    _seed_pool(session, people, election)
    login(client, people.secretariat)
    response = client.post(
        f"/secretariat/elections/{election.id}/requirements",
        data={"requirement-key": "gender:female", "requirement-minimum": "1"},
        follow_redirects=True,
    )
    assert b"The minimum voting requirement is saved." in response.data
    female = _cells(_pool_row(response.data.decode(), "Female"))
    assert female[:2] == ["1", "1"] and "not met" not in female[2]
    refused = client.post(
        f"/secretariat/elections/{election.id}/requirements",
        data={"requirement-key": "list:a", "requirement-minimum": "9"},
        follow_redirects=True,
    )
    assert b"A minimum of 9 cannot be met with 6 seat(s) to fill." in refused.data


def test_extension_through_the_page_three_times_then_refused(client, session, world):
    people, election = world
    focal = add_focal_point(session, people, "SEN", "example.org")
    session.commit()
    closes = election.nomination_closes
    login(client, people.secretariat)
    url = f"/secretariat/elections/{election.id}/extend"
    empty = client.post(url, data={"extension-reason": ""}, follow_redirects=True)
    assert b"This field is required." in empty.data
    assert _count(session, NominationExtension) == 0
    for number in (1, 2, 3):
        response = client.post(
            url,
            data={"extension-reason": f"No List B candidate ({number})."},
            follow_redirects=True,
        )
        assert b"The nomination window is extended by two weeks" in response.data
    page = response.data.decode()
    assert (closes + timedelta(days=42)).isoformat() in page
    assert "The window has been extended three times, the most the rules allow." in page
    audit_before = _count(session, AuditEntry)
    fourth = client.post(url, data={"extension-reason": "Again."}, follow_redirects=True)
    assert (
        b"The nomination window has already been extended three times, the most the rules allow."
        in fourth.data
    )
    assert _count(session, NominationExtension) == 3
    assert _count(session, AuditEntry) == audit_before
    notices = session.scalars(
        sa.select(Notice).where(
            Notice.kind == "nomination_window_extended", Notice.recipient_user_id == focal.id
        )
    ).all()
    assert len(notices) == 3


def test_judges_in_office_are_kept_on_their_page(client, session, world):
    people, _ = world
    session.commit()
    login(client, people.secretariat)
    page = client.get("/secretariat/judges-in-office")
    assert page.status_code == 200 and b"No judge is listed." in page.data
    ends = (date.today() + timedelta(days=700)).isoformat()
    response = client.post(
        "/secretariat/judges-in-office",
        data={"full_name": "Judge Ndiaye", "state_code": "SEN", "term_ends_on": ends},
        follow_redirects=True,
    )
    assert b"The judge is added to the list." in response.data and b"Judge Ndiaye" in response.data
    blank = client.post(
        "/secretariat/judges-in-office",
        data={"full_name": "  ", "state_code": "SEN", "term_ends_on": ends},
    )
    assert blank.status_code == 200 and _count(session, JudgeInOffice) == 1
    judge_id = session.scalar(sa.select(JudgeInOffice.id))
    session.commit()  # end the test's read, so the page may write (SQLite)
    removed = client.post(f"/secretariat/judges-in-office/{judge_id}/remove", follow_redirects=True)
    assert b"The judge is removed from the list." in removed.data
    assert _count(session, JudgeInOffice) == 0
    assert client.post("/secretariat/judges-in-office/999/remove").status_code == 404


def test_gate_recorded_on_the_dossier_stops_the_candidacy_when_failed(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    elections.add_judge_in_office(
        session,
        people.secretariat,
        full_name="Judge Ndiaye",
        state_code="SEN",
        term_ends_on=election.vote_date + timedelta(days=10),
    )
    session.commit()
    login(client, people.secretariat)
    dossier = f"/secretariat/candidacies/{candidacy.public_id}"
    page = client.get(dossier).data.decode()
    # G1 is pre-filled from the records, not recorded.
    assert "From the records: Judge Ndiaye, a judge of the same nationality" in page
    assert 'name="eligibility-gate"' in page
    no_gate = client.post(
        f"{dossier}/eligibility",
        data={"eligibility-passed": "no", "eligibility-reason": "Clash."},
        follow_redirects=True,
    )
    assert b"Name the gate that is not met" in no_gate.data
    response = client.post(
        f"{dossier}/eligibility",
        data={
            "eligibility-gate": "g1",
            "eligibility-passed": "no",
            "eligibility-reason": "A judge of Senegalese nationality stays in office.",
        },
        follow_redirects=True,
    )
    assert b"Eligibility recorded." in response.data
    session.expire_all()
    assert session.get(Candidacy, candidacy.id).stage is Stage.CLOSED


def test_withdrawn_candidacy_leaves_every_queue(client, session, world):
    people, election = world
    at_scoring = nominate(session, people, election, name="Zora Scoring", state="SEN")
    walk(session, people, at_scoring, Stage.PAPER_SCORING)
    at_questionnaire = nominate(session, people, election, name="Quinn Questionnaire", state="KEN")
    walk(session, people, at_questionnaire, Stage.QUESTIONNAIRE)
    session.commit()
    member = people.members[0]
    queues = [
        (member, "/panel", "Zora Scoring"),
        (people.vetting_officer, "/diligence", "Quinn Questionnaire"),
        (people.secretariat, "/secretariat/questionnaires/deadlines", "Quinn Questionnaire"),
    ]

    def shown() -> list[bool]:
        result = []
        for user, url, name in queues:
            client.get("/logout")
            login(client, user)
            response = client.get(url)
            assert response.status_code == 200, url
            result.append(name in response.data.decode())
        return result

    assert shown() == [True, True, True]
    assert any(r.candidacy.id == at_questionnaire.id for r in reminders.deadlines(session))
    for candidacy in (at_scoring, at_questionnaire):
        nominations.withdraw_candidacy(session, people.secretariat, candidacy, reason="Letter.")
    session.commit()
    assert shown() == [False, False, False]
    assert all(r.candidacy.id != at_questionnaire.id for r in reminders.deadlines(session))
    # The public list keeps them, with the withdrawal date.
    client.get("/logout")
    public = client.get(f"/elections/{election.id}").data.decode()
    assert f"Withdrawn on {date.today().isoformat()}" in public and "Zora Scoring" in public


def test_requirement_form_lists_every_dimension_value_when_shown(client, session, world):
    people, election = world
    session.commit()
    login(client, people.secretariat)
    page = client.get(f"/secretariat/elections/{election.id}").data.decode()
    for value in ("regional_group:african", "gender:female", "list:a", "list:b"):
        assert f'value="{value}"' in page
    assert 'value="list:none"' not in page
    assert RequirementDimension.LIST.value == "list"
