"""The State focal point's nominations: /state lists the elections taking nominations, and the
nomination form submits for the focal point's own State only, while the window is open. Every
refusal shows its message, keeps the form, and changes nothing (DB and audit log)."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.vocabulary import Office
from vetting.models import AuditEntry, Candidacy, JudgeInOffice, Notice, User
from vetting.operations import elections
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    add_focal_point,
    make_election,
    make_people,
    nominate,
)


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people, title="Election of six judges")
    focal = add_focal_point(session, people, "SEN", "example.org")
    session.commit()
    return people, election, focal


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Awa Ndiaye",
        "email": "awa.ndiaye@example.org",
        "nationality_code": "SEN",
        "gender": "female",
        "judge_list": "a",
        "other_nationalities": "",
        "nomination_basis": "art_36_4_a_i",
        "national_procedure": "Chosen by the Superior Council of the Magistracy after a call.",
        "statement": "Thirty years as a trial judge and president of a criminal chamber.",
        "language": "fr",
    }
    data.update(overrides)
    return data


def _snapshot(session) -> dict[str, int]:
    session.expire_all()
    return {
        model.__name__: session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Candidacy, User, Notice, AuditEntry)
    }


def _closed_election(session, people, title="Election of the Prosecutor"):
    today = date.today()
    election = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            title=title,
            office=Office.PROSECUTOR,
            seats=1,
            nomination_opens=today - timedelta(days=90),
            nomination_closes=today - timedelta(days=1),
        ),
    )
    session.commit()
    return election


def test_state_page_lists_the_open_elections_with_a_link_when_the_focal_point_signs_in(
    client, session, world
):
    people, election, focal = world
    closed = _closed_election(session, people)
    future = elections.create_election(
        session,
        people.secretariat,
        elections.ElectionData(
            title="Election of the Registrar",
            office=Office.REGISTRAR,
            seats=1,
            nomination_opens=date.today() + timedelta(days=10),
            nomination_closes=date.today() + timedelta(days=40),
        ),
    )
    session.commit()
    login(client, focal)
    page = client.get("/state").get_data(as_text=True)
    assert "Elections taking nominations" in page
    assert election.title in page
    assert f"/state/elections/{election.id}/nominate" in page
    assert closed.title not in page and future.title not in page
    assert f"/state/elections/{closed.id}/nominate" not in page


def test_state_page_says_the_state_has_nominated_when_it_has_a_candidacy(client, session, world):
    people, election, focal = world
    nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, focal)
    page = client.get("/state").get_data(as_text=True)
    assert "Your State has nominated" in page
    assert f"/state/elections/{election.id}/nominate" not in page
    assert "Amina Diallo" in page  # the State's candidacies, below


def test_nomination_is_registered_for_the_focal_points_state_when_submitted(client, session, world):
    people, election, focal = world
    login(client, focal)
    form_page = client.get(f"/state/elections/{election.id}/nominate")
    assert form_page.status_code == 200
    text = form_page.get_data(as_text=True)
    assert 'name="nominating_state_code"' not in text and 'name="late_reason"' not in text
    # A tampered field naming another State is ignored: the State is the focal point's own.
    response = client.post(
        f"/state/elections/{election.id}/nominate", data=_form(nominating_state_code="KEN")
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/state")
    candidacy = session.scalar(sa.select(Candidacy).where(Candidacy.election_id == election.id))
    assert candidacy.full_name == "Awa Ndiaye"
    assert candidacy.nominating_state_code == "SEN"
    assert candidacy.registered_by_id == focal.id
    assert candidacy.national_procedure.startswith("Chosen by the Superior Council")
    assert candidacy.statement.startswith("Thirty years")
    entry = session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.NOMINATION_REGISTER.value)
    )
    assert entry.actor_id == focal.id
    invited = session.scalar(
        sa.select(Notice).where(
            Notice.kind == "invitation", Notice.recipient_user_id == candidacy.candidate_user_id
        )
    )
    assert invited is not None
    page = client.get("/state").get_data(as_text=True)
    assert "Nomination submitted" in page and "Awa Ndiaye" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"statement": ""}, "The statement of qualifications is required."),
        ({"nomination_basis": ""}, "Choose the basis of the nomination."),
        ({"national_procedure": "  "}, "Describe the national procedure"),
        ({"judge_list": "none"}, "A candidate for judge must be on List A or List B."),
        ({"other_nationalities": "XYZ"}, "'XYZ' is not a country code"),
        ({"nationality_code": "USA"}, "Not a valid choice"),  # only States Parties offered
    ],
)
def test_incomplete_or_wrong_nomination_is_refused_with_its_reason_and_changes_nothing(
    client, session, world, overrides, message
):
    people, election, focal = world
    login(client, focal)
    before = _snapshot(session)
    response = client.post(f"/state/elections/{election.id}/nominate", data=_form(**overrides))
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert message in text
    assert "Awa Ndiaye" in text  # the form comes back as typed
    assert _snapshot(session) == before


def test_second_nomination_of_the_state_is_refused_when_it_already_nominated(
    client, session, world
):
    people, election, focal = world
    nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    login(client, focal)
    before = _snapshot(session)
    response = client.post(f"/state/elections/{election.id}/nominate", data=_form())
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "a State nominates one candidate per election" in text
    assert _snapshot(session) == before


def test_nomination_is_refused_when_a_judge_of_that_nationality_is_in_office(
    client, session, world
):
    people, election, focal = world
    session.add(
        JudgeInOffice(
            full_name="Judge Sitting", state_code="SEN", term_ends_on=date.today() + timedelta(999)
        )
    )
    session.commit()
    login(client, focal)
    before = _snapshot(session)
    response = client.post(f"/state/elections/{election.id}/nominate", data=_form())
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Judge Sitting, a national of Senegal, is a judge in office" in text
    assert _snapshot(session) == before


def test_nomination_is_refused_when_the_window_has_closed(client, session, world):
    people, _election, focal = world
    closed = _closed_election(session, people)
    login(client, focal)
    page = client.get(f"/state/elections/{closed.id}/nominate")
    assert page.status_code == 200
    assert "is not taking nominations now" in page.get_data(as_text=True)
    before = _snapshot(session)
    response = client.post(
        f"/state/elections/{closed.id}/nominate",
        data=_form(judge_list="none", nomination_basis="other"),
    )
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert f"Nominations for this election closed on {closed.nomination_closes.isoformat()}" in text
    assert _snapshot(session) == before


def test_state_page_shows_the_extended_closing_date_when_the_window_is_extended(
    client, session, world
):
    people, election, focal = world
    election.nomination_closes = date.today()
    session.commit()
    elections.extend_nomination_window(
        session, people.secretariat, election, reason="The pool misses List B."
    )
    session.commit()
    extended = (date.today() + timedelta(days=14)).isoformat()
    login(client, focal)
    page = client.get("/state").get_data(as_text=True)
    assert f"nominations close on {extended}" in page
    response = client.post(f"/state/elections/{election.id}/nominate", data=_form())
    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(Candidacy)) == 1


def test_nomination_page_is_refused_to_other_roles_and_404_for_a_missing_election(
    client, session, world
):
    people, election, focal = world
    login(client, people.secretariat)
    assert client.get(f"/state/elections/{election.id}/nominate").status_code == 403
    assert client.post(f"/state/elections/{election.id}/nominate", data=_form()).status_code == 403
    client.post("/logout")
    login(client, focal)
    assert client.get(f"/state/elections/{election.id + 999}/nominate").status_code == 404
    assert _snapshot(session)["Candidacy"] == 0


def test_nomination_needs_a_csrf_token_when_protection_is_on(csrf_app, session):
    people = make_people(session)
    election = make_election(session, people)
    focal = add_focal_point(session, people, "SEN", "example.org")
    session.commit()
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login", data={"email": focal.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    response = client.post(f"/state/elections/{election.id}/nominate", data=_form())
    assert response.status_code == 400
    assert session.scalar(sa.select(sa.func.count()).select_from(Candidacy)) == 0


def test_state_page_runs_the_same_queries_when_elections_and_candidacies_grow(
    app, client, session, world
):
    from tests.web.test_query_counts import counted

    people, election, focal = world
    login(client, focal)

    def measure() -> int:
        with counted(app) as statements:
            assert client.get("/state").status_code == 200
        return len(statements)

    nominate(session, people, election, name="Amina Diallo", state="SEN")
    session.commit()
    small = measure()
    for index in range(3):
        extra = make_election(session, people, title=f"Election {index}", seat_panel=False)
        nominate(
            session,
            people,
            extra,
            name=f"Candidate {index}",
            state="SEN",
            email=f"sen.{index}@example.org",
        )
    session.commit()
    assert measure() == small


def test_state_page_and_nomination_form_are_in_french_when_french_is_chosen(client, session, world):
    _people, election, focal = world
    login(client, focal)
    client.get("/?lang=fr")
    home = client.get("/state").get_data(as_text=True)
    assert "Élections ouvertes aux candidatures" in home
    assert "Présenter un candidat" in home
    form = html.unescape(
        client.get(f"/state/elections/{election.id}/nominate").get_data(as_text=True)
    )
    assert "Fondement de la candidature" in form
    assert "Exposé des qualifications" in form
    assert "Présenter la candidature" in form
