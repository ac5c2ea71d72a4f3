"""The open data at /data/v1/: every published thing as JSON (valid against its schema) and CSV
(safe in a spreadsheet, its header the schema's fields), and nothing that is not public."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from jsonschema import ValidationError

from tests.web.opendata_world import (
    BASE,
    DRAFT_REPORT_TEXT,
    EMBARGOED_TEXT,
    build,
    registry_of,
    report_row,
    summary_row,
    validate,
)
from tests.web.test_query_counts import STATES, counted
from vetting.checkpoints import SIGNER_KEY
from vetting.domain.spreadsheet import BOM
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender, JudgeList, Level, Office, QuestionKind
from vetting.models import TemplateQuestion
from vetting.models.base import utcnow
from vetting.operations.opendata import CSV_COLUMNS
from vetting.scenarios import make_election, make_people, nominate, walk
from vetting.web.opendata.documents import SCHEMAS


@pytest.fixture
def world(app, session):
    return build(session)


def _datasets(world) -> dict[str, str]:
    e = world.election.id
    return {
        "elections": "/data/v1/elections",
        "checkpoints": "/data/v1/checkpoints",
        "rubric": f"/data/v1/elections/{e}/rubric",
        "candidates": f"/data/v1/elections/{e}/candidates",
        "summaries": f"/data/v1/elections/{e}/summaries",
        "answers": f"/data/v1/elections/{e}/answers",
        "reports": f"/data/v1/elections/{e}/reports",
    }


def _csv(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM) :], newline="")))


def test_every_json_dataset_matches_its_schema_when_material_is_published(client, world):
    registry = registry_of(client)
    for name, path in _datasets(world).items():
        response = client.get(f"{path}.json")
        assert response.status_code == 200, path
        document = response.get_json()
        assert document["$schema"] == f"{BASE}/data/v1/schemas/{name}.json"
        validate(registry, document["$schema"], document)
        assert document["items"], f"{name} is empty: the test would prove nothing"


def test_schema_refuses_a_record_when_a_field_is_added_or_missing(client, world):
    registry = registry_of(client)
    document = client.get(f"/data/v1/elections/{world.election.id}/candidates.json").get_json()
    document["items"][0]["email"] = "someone@example.org"
    with pytest.raises(ValidationError):
        validate(registry, document["$schema"], document)
    del document["items"][0]["email"]
    del document["items"][0]["status"]
    with pytest.raises(ValidationError):
        validate(registry, document["$schema"], document)


def test_csv_header_is_the_schemas_fields_in_order_when_downloaded(client, world):
    definitions = client.get("/data/v1/schemas/definitions.json").get_json()["$defs"]
    items = {
        "elections": "election",
        "checkpoints": "checkpoint",
        "rubric": "criterion",
        "candidates": "candidacy",
        "summaries": "summary_version",
        "answers": "answer",
    }
    for name, path in _datasets(world).items():
        response = client.get(f"{path}.csv")
        if name not in items:
            assert response.status_code == 404, name  # nested records: JSON only
            continue
        assert response.status_code == 200, path
        assert response.headers["Content-Type"].startswith("text/csv; charset=utf-8")
        assert response.headers["Content-Disposition"].startswith("attachment;")
        text = response.get_data(as_text=True)
        header = next(csv.reader(io.StringIO(text[len(BOM) :])))
        fields = list(definitions[items[name]]["properties"])
        assert header == fields == list(CSV_COLUMNS[name]), name
        json_items = client.get(f"{path}.json").get_json()["items"]
        assert len(_csv(response)) == len(json_items) > 0, name


def test_csv_cells_are_prefixed_with_a_quote_when_a_name_starts_like_a_formula(app, session):
    people = make_people(session, members=1)
    election = make_election(session, people)
    names = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tTabbed", "\rReturned"]
    for index, (name, state) in enumerate(zip(names, STATES, strict=False)):
        candidacy = nominate(
            session, people, election, name=name, state=state, email=f"f{index}@example.org"
        )
        # The nomination form trims white space; a name stored by any other path may keep it.
        candidacy.full_name = name
    session.commit()
    client = app.test_client()
    rows = _csv(client.get(f"/data/v1/elections/{election.id}/candidates.csv"))
    assert sorted(row["name"] for row in rows) == sorted("'" + name for name in names)
    # The JSON keeps the exact names.
    document = client.get(f"/data/v1/elections/{election.id}/candidates.json").get_json()
    assert sorted(item["name"] for item in document["items"]) == sorted(names)


def test_embargoed_summary_and_draft_report_are_absent_when_not_yet_public(client, world):
    everything = "".join(
        client.get(f"{path}.{kind}").get_data(as_text=True)
        for path in _datasets(world).values()
        for kind in ("json", "csv")
    )
    assert EMBARGOED_TEXT not in everything
    assert DRAFT_REPORT_TEXT not in everything
    summaries = client.get(f"/data/v1/elections/{world.election.id}/summaries.json").get_json()
    assert [(s["version"], s["corrigendum"]) for s in summaries["items"]] == [
        (1, None),
        (2, "The list was missing."),
    ]
    assert summaries["items"][0]["checkpoint_id"] is not None
    reports = client.get(f"/data/v1/elections/{world.election.id}/reports.json").get_json()
    assert [r["version"] for r in reports["items"]] == [1]
    assert reports["items"][0]["snapshot"]["candidacies"][0]["public_id"] == world.adopted.public_id


def test_candidates_show_nobody_s_gender_and_give_the_withdrawal_date_when_listed(client, world):
    items = {
        c["public_id"]: c
        for c in client.get(f"/data/v1/elections/{world.election.id}/candidates.json").get_json()[
            "items"
        ]
    }
    # Female or male beside every other name would single out the person recorded as other.
    assert all("gender" not in item for item in items.values())
    assert items[world.adopted.public_id]["status"] == "summary_published"
    assert items[world.other_gender.public_id]["status"] == "under_review"
    withdrawn = items[world.withdrawn.public_id]
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["withdrawn_on"] == world.withdrawn.withdrawn_at.date().isoformat()
    rows = _csv(client.get(f"/data/v1/elections/{world.election.id}/candidates.csv"))
    assert "gender" not in rows[0]
    assert "Zoë Ødegård" in {row["name"] for row in rows}


def test_answers_hold_only_public_questions_with_their_language_when_submitted(
    client, world, session
):
    items = client.get(f"/data/v1/elections/{world.election.id}/answers.json").get_json()["items"]
    visibility = {q.id: q.visibility for q in session.scalars(sa.select(TemplateQuestion))}
    assert items
    assert {visibility[item["question_id"]] for item in items} == {Level.PUBLIC}
    assert {item["public_id"] for item in items} == {world.adopted.public_id}
    assert all(item["language"] == "en" for item in items if item["text"])
    hidden = [q for q, level in visibility.items() if level is not Level.PUBLIC]
    assert hidden, "the template has non-public questions: the test would prove nothing"


def test_checkpoints_name_the_installation_key_when_listed(app, client, world):
    items = client.get("/data/v1/checkpoints.json").get_json()["items"]
    assert len(items) == 2
    assert {c["key_id"] for c in items} == {app.extensions[SIGNER_KEY].key_id}


def test_index_lists_every_dataset_with_its_schema_when_opened_in_either_language(client, world):
    page = client.get("/data/v1/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for path in _datasets(world).values():
        assert f'href="{path}.json"' in body
    assert 'href="/api/v1/openapi.json"' in body
    for name in SCHEMAS:
        assert f'href="/data/v1/schemas/{name}.json"' in body
    french = client.get("/data/v1/?lang=fr").get_data(as_text=True)
    assert "Données ouvertes" in french
    assert "apostrophe" in french


def test_unknown_election_or_schema_is_not_found_when_asked_for(client, world):
    assert client.get("/data/v1/elections/99999/candidates.json").status_code == 404
    assert client.get("/data/v1/elections/99999/answers.csv").status_code == 404
    assert client.get("/data/v1/schemas/openapi.json").status_code == 404
    assert client.get("/data/v1/schemas/secrets.json").status_code == 404


def test_open_data_may_be_read_from_any_site_and_keeps_the_security_headers(client, world):
    response = client.get("/data/v1/elections.csv")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_election_datasets_and_api_run_the_same_queries_when_candidates_multiply(app, session):
    people = make_people(session, members=2)
    election = make_election(session, people)

    def add(states: list[str]) -> None:
        for index, code in enumerate(states):
            candidacy = nominate(
                session,
                people,
                election,
                name=f"Candidate {code}",
                state=code,
                gender=Gender.MALE if index % 2 else Gender.FEMALE,
                judge_list=JudgeList.B,
            )
            walk(session, people, candidacy, Stage.PAPER_SCORING)  # questionnaire submitted
            summary_row(session, people, candidacy, 1, f"On {code}.", utcnow() - timedelta(1))
        session.commit()

    add(["SEN", "KEN"])
    report_row(session, people, election, 1, "Observations.", utcnow() - timedelta(1), None)
    session.commit()
    paths = [f"{path}.json" for path in _datasets_of(election.id)] + [
        f"{path}.csv" for path in _datasets_of(election.id) if not path.endswith("reports")
    ]
    paths += [
        "/api/v1/elections",
        f"/api/v1/elections/{election.id}/candidates",
        f"/api/v1/elections/{election.id}/report",
        "/data/v1/",
    ]
    client = app.test_client()

    def measure() -> dict[str, int]:
        counts = {}
        for path in paths:
            with counted(app) as statements:
                response = client.get(path)
            assert response.status_code == 200, path
            counts[path] = len(statements)
        return counts

    small = measure()
    answers = client.get(f"/data/v1/elections/{election.id}/answers.json").get_json()["items"]
    assert {a["public_id"] for a in answers} and all(a["question_id"] for a in answers)
    summaries = client.get(f"/data/v1/elections/{election.id}/summaries.json").get_json()
    assert len(summaries["items"]) == 2
    add(["GHA", "NGA", "BRA", "JPN"])
    assert measure() == small


def _datasets_of(election_id: int) -> list[str]:
    return [
        f"/data/v1/elections/{election_id}/{name}"
        for name in ("rubric", "candidates", "summaries", "answers", "reports")
    ]


def test_schema_enumerations_match_the_vocabulary_when_read(client):
    definitions = client.get("/data/v1/schemas/definitions.json").get_json()["$defs"]
    election = definitions["election"]["properties"]
    assert election["office"]["enum"] == [o.value for o in Office]
    candidacy = definitions["candidacy"]["properties"]
    assert candidacy["list"]["enum"] == [j.value for j in JudgeList]
    assert definitions["answer"]["properties"]["kind"]["enum"] == [k.value for k in QuestionKind]
