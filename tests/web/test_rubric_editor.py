"""The secretariat's rubric editor over HTTP, and the rubric on the public election page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.rubric import JUDGE_CRITERIA
from vetting.domain.stages import Stage
from vetting.models import AuditEntry, Criterion
from vetting.scenarios import make_election, make_people, nominate, walk

NEW = {
    "code": "M8",
    "title": "Working languages",
    "weight": "2",
    "phase": "post_interview",
    "descriptor_1": "LEVEL1-canary: works in neither language.",
    "descriptor_2": "Works in one with difficulty.",
    "descriptor_3": "Fluent in one.",
    "descriptor_4": "Fluent in both.",
}


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    session.commit()
    return people, election


def _rubric(session, election) -> list[tuple]:
    session.expire_all()
    return [
        (c.code, c.title, c.weight, c.position, c.phase, c.allows_na, c.descriptor_1)
        for c in session.scalars(
            sa.select(Criterion)
            .where(Criterion.election_id == election.id)
            .order_by(Criterion.position)
        )
    ]


def _rubric_audits(session) -> int:
    return session.scalar(
        sa.select(sa.func.count(AuditEntry.seq)).where(AuditEntry.action.like("rubric:%"))
    )


def _criterion(session, election, code) -> Criterion:
    return session.scalar(
        sa.select(Criterion).where(Criterion.election_id == election.id, Criterion.code == code)
    )


def test_rubric_page_shows_every_criterion_with_its_descriptors_and_phase(client, session, world):
    people, election = world
    login(client, people.secretariat)
    page = client.get(f"/secretariat/elections/{election.id}/rubric")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for spec in JUDGE_CRITERIA:
        assert spec.title in text
        for descriptor in spec.descriptors:
            assert descriptor.replace("'", "&#39;") in text
    assert "After the interview" in text and "On the papers" in text
    assert "May be scored “not applicable”." in text
    assert "Add the criterion" in text
    link = f"/secretariat/elections/{election.id}/rubric"
    assert link in client.get(f"/secretariat/elections/{election.id}").get_data(as_text=True)


def test_secretariat_adds_a_criterion_and_the_public_page_shows_it(client, session, world):
    people, election = world
    login(client, people.secretariat)
    response = client.post(
        f"/secretariat/elections/{election.id}/rubric/add", data={**NEW, "allows_na": "y"}
    )
    assert response.status_code == 302
    added = _criterion(session, election, "M8")
    assert (added.weight, added.position, added.allows_na) == (2, 7, True)
    assert added.phase.value == "post_interview"
    assert _rubric_audits(session) == 1
    public = client.application.test_client().get(f"/elections/{election.id}")
    text = public.get_data(as_text=True)
    assert "LEVEL1-canary" in text and "Working languages" in text
    assert JUDGE_CRITERIA[0].descriptors[3] in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "m1"}, "The code M1 is already used by another criterion of this rubric."),
        ({"weight": "0"}, "The weight is a whole number from 1."),
        ({"weight": "1.5"}, "Not a valid integer value."),
        ({"weight": ""}, "Give the weight, a whole number."),
        ({"descriptor_3": " "}, "Describe level 3."),
        ({"title": ""}, "Give the criterion a title."),
        ({"code": "M 8"}, "letters, digits, dots or hyphens"),
    ],
)
def test_add_is_refused_with_its_reason_and_nothing_changes_when_invalid(
    client, session, world, changes, message
):
    people, election = world
    login(client, people.secretariat)
    before = _rubric(session, election)
    response = client.post(
        f"/secretariat/elections/{election.id}/rubric/add", data={**NEW, **changes}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert _rubric(session, election) == before
    assert _rubric_audits(session) == 0


def test_secretariat_edits_a_criterion_and_the_change_is_audited(client, session, world):
    people, election = world
    login(client, people.secretariat)
    m6 = _criterion(session, election, "M6")
    url = f"/secretariat/elections/{election.id}/rubric/{m6.id}"
    form = client.get(url)
    assert form.status_code == 200
    assert "Knowledge of the Rome Statute system" in form.get_data(as_text=True)
    response = client.post(url, data={**NEW, "code": "M6", "title": "Rome Statute", "weight": "3"})
    assert response.status_code == 302
    session.expire_all()
    assert (m6.title, m6.weight, m6.descriptor_1) == ("Rome Statute", 3, NEW["descriptor_1"])
    entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "rubric:edit"))
    assert '"weight":{"from":1,"to":3}' in entry.data


def test_secretariat_reorders_and_removes_criteria(client, session, world):
    people, election = world
    login(client, people.secretariat)
    m2 = _criterion(session, election, "M2")
    base = f"/secretariat/elections/{election.id}/rubric/{m2.id}"
    assert client.post(f"{base}/move", data={"direction": "up"}).status_code == 302
    assert [row[0] for row in _rubric(session, election)][:3] == ["M2", "M1", "M3"]
    assert client.post(f"{base}/move", data={"direction": "down"}).status_code == 302
    assert [row[0] for row in _rubric(session, election)][:3] == ["M1", "M2", "M3"]
    # A removal names the criterion the page showed: a stale page removes nothing.
    before = _rubric(session, election)
    client.post(f"{base}/remove", data={"code": "M3"})
    assert _rubric(session, election) == before
    page = client.get(f"/secretariat/elections/{election.id}/rubric").get_data(as_text=True)
    assert "The rubric changed since the page was shown; M2 was not removed." in page
    assert client.post(f"{base}/remove", data={"code": "M2"}).status_code == 302
    assert [row[0] for row in _rubric(session, election)] == ["M1", "M3", "M4", "M5", "M6", "M7"]
    assert [row[3] for row in _rubric(session, election)] == list(range(6))
    assert _rubric_audits(session) == 3


def test_editor_is_frozen_and_refuses_every_change_once_a_score_is_saved(client, session, world):
    people, election = world
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.INTERVIEW)
    session.commit()
    login(client, people.secretariat)
    page = client.get(f"/secretariat/elections/{election.id}/rubric").get_data(as_text=True)
    assert "The rubric is frozen" in page
    assert "Add the criterion" not in page and "/remove" not in page
    m2 = _criterion(session, election, "M2")
    base = f"/secretariat/elections/{election.id}/rubric"
    before = _rubric(session, election)
    refused = client.post(f"{base}/add", data=NEW)
    assert refused.status_code == 422
    assert "The rubric is frozen" in refused.get_data(as_text=True)
    client.post(f"{base}/{m2.id}", data={**NEW, "code": "M2"})
    client.post(f"{base}/{m2.id}/move", data={"direction": "down"})
    client.post(f"{base}/{m2.id}/remove", data={"code": "M2"})
    assert _rubric(session, election) == before
    assert _rubric_audits(session) == 0


def test_editor_answers_404_for_a_criterion_of_another_election(client, session, world):
    people, election = world
    other = make_election(session, people, title="Another election")
    session.commit()
    foreign = _criterion(session, other, "M1")
    login(client, people.secretariat)
    base = f"/secretariat/elections/{election.id}/rubric/{foreign.id}"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/remove", data={"code": "M1"}).status_code == 404
    assert client.get("/secretariat/elections/999999/rubric").status_code == 404
    assert _rubric_audits(session) == 0


def test_editor_is_refused_to_everyone_but_the_secretariat(client, session, world):
    people, election = world
    for user in (people.chair, people.members[0], people.vetting_officer, people.admin):
        other = client.application.test_client()
        login(other, user)
        assert other.get(f"/secretariat/elections/{election.id}/rubric").status_code == 403
        response = other.post(f"/secretariat/elections/{election.id}/rubric/add", data=NEW)
        assert response.status_code == 403
    assert _rubric_audits(session) == 0
