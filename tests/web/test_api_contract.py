"""The API's contract: /api/v1/openapi.json describes exactly the /api/v1/ routes, and every
response the API gives matches the schema the document names for it (JSON Schema 2020-12)."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from tests.web.opendata_world import (
    BASE,
    DRAFT_REPORT_TEXT,
    EMBARGOED_TEXT,
    build,
    registry_of,
    validate,
)

CONVERTER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


@pytest.fixture
def world(app, session):
    return build(session)


def _document() -> dict:
    return json.loads((resources.files("vetting") / "schemas" / "openapi.json").read_text("utf-8"))


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def _response_schema(path: str, status: str) -> str:
    document = _document()
    response = document["paths"][path]["get"]["responses"][status]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[1]
        where = _pointer("components", "responses", name)
    else:
        where = _pointer("paths", path, "get", "responses", status)
    return f"{BASE}/api/v1/openapi.json#/{where}/content/application~1json/schema"


def _api_rules(app) -> dict[str, set[str]]:
    return {
        CONVERTER.sub(r"{\1}", rule.rule): set(rule.methods or ())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }


def test_document_lists_every_api_route_and_nothing_else_when_compared_with_the_app(app):
    rules = _api_rules(app)
    assert set(rules) == set(_document()["paths"])
    assert all(methods == {"GET", "HEAD"} for methods in rules.values()), rules


def test_document_is_served_as_it_is_when_asked_for(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == _document()
    assert response.get_json()["openapi"].startswith("3.1.")


def _urls(world) -> dict[str, str]:
    e = world.election.id
    return {
        "/api/v1/elections": "/api/v1/elections",
        "/api/v1/elections/{election_id}": f"/api/v1/elections/{e}",
        "/api/v1/elections/{election_id}/candidates": f"/api/v1/elections/{e}/candidates",
        "/api/v1/elections/{election_id}/report": f"/api/v1/elections/{e}/report",
        "/api/v1/candidates/{public_id}": f"/api/v1/candidates/{world.adopted.public_id}",
        "/api/v1/checkpoints": "/api/v1/checkpoints",
        "/api/v1/public-key": "/api/v1/public-key",
        "/api/v1/openapi.json": "/api/v1/openapi.json",
    }


def test_every_path_answers_what_its_schema_says_when_material_is_published(client, world):
    registry = registry_of(client)
    urls = _urls(world)
    assert set(urls) == set(_document()["paths"]), "teach the test the new path"
    for path, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        body = response.get_json()
        validate(registry, _response_schema(path, "200"), body)
        text = json.dumps(body, ensure_ascii=False)
        assert EMBARGOED_TEXT not in text and DRAFT_REPORT_TEXT not in text, url


def test_not_found_is_json_matching_the_error_schema_when_nothing_is_public(client, world, app):
    registry = registry_of(client)
    other = _urls(world)
    missing = {
        "/api/v1/elections/{election_id}": "/api/v1/elections/99999",
        "/api/v1/elections/{election_id}/candidates": "/api/v1/elections/99999/candidates",
        "/api/v1/elections/{election_id}/report": "/api/v1/elections/99999/report",
        "/api/v1/candidates/{public_id}": "/api/v1/candidates/no-such-candidate",
    }
    for path, url in missing.items():
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == "application/json"
        validate(registry, _response_schema(path, "404"), response.get_json())
    assert other  # the world's own report is public; an election without one answers 404:
    from vetting.scenarios import make_election, make_people

    with app.app_context():
        from vetting.extensions import db

        people = make_people(db.session, domain="second.example.org", members=1)
        election = make_election(db.session, people, title="Election of the Prosecutor")
        db.session.commit()
        election_id = election.id
    response = client.get(f"/api/v1/elections/{election_id}/report")
    assert response.status_code == 404
    assert response.get_json() == {"error": "No version of this election's report is public."}


def test_unknown_api_path_is_a_json_404_when_requested(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert set(response.get_json()) == {"error"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_method_other_than_get_is_a_json_405_when_sent(client, method):
    response = client.open("/api/v1/elections", method=method)
    assert response.status_code == 405
    assert set(response.get_json()) == {"error"}
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_head_answers_without_a_body_when_asked(client, world):
    response = client.head("/api/v1/elections")
    assert response.status_code == 200
    assert response.get_data() == b""


def test_profile_shows_public_versions_answers_and_no_gender_when_read(client, world):
    profile = client.get(f"/api/v1/candidates/{world.adopted.public_id}").get_json()
    assert [s["version"] for s in profile["summaries"]] == [1, 2]
    assert profile["statement"] == world.adopted.statement
    assert profile["answers"] and all(a["question"] for a in profile["answers"])
    other = client.get(f"/api/v1/candidates/{world.other_gender.public_id}").get_json()
    assert "gender" not in profile and "gender" not in other
    assert other["summaries"] == [] and other["answers"] == []


def test_report_gives_the_current_version_and_the_list_when_one_is_public(client, world):
    report = client.get(f"/api/v1/elections/{world.election.id}/report").get_json()
    assert report["current"]["version"] == 1
    assert [v["version"] for v in report["versions"]] == [1]
    assert report["current"]["snapshot_sha256"] == world.report.snapshot_sha256
    assert report["current"]["snapshot"] == json.loads(world.report.snapshot)


def test_public_key_verifies_the_listed_checkpoints_when_fetched(client, world):
    from vetting.checkpoints import load_public_key, signature_holds

    key = load_public_key(client.get("/api/v1/public-key").get_json()["public_key_pem"])
    items = client.get("/api/v1/checkpoints").get_json()["items"]
    assert items
    assert all(signature_holds(key, c["statement"], c["signature"]) for c in items)


def test_what_the_demo_published_matches_the_schemas_when_every_record_is_read(app, client):
    """The world above writes its published rows itself; the demo publishes through the real
    operations (drafts, approvals, the report's frozen snapshot). Every open data document and
    every API answer about the demo's elections and candidates must match its schema too."""
    from vetting.demo import seed_demo

    seed_demo(app, reset=False)
    registry = registry_of(client)
    elections = client.get("/api/v1/elections").get_json()["items"]
    assert elections
    reports = 0
    for election in elections:
        e = election["id"]
        for name in ("rubric", "candidates", "summaries", "answers", "reports"):
            document = client.get(f"/data/v1/elections/{e}/{name}.json").get_json()
            validate(registry, document["$schema"], document)
        for url, path in (
            (f"/api/v1/elections/{e}", "/api/v1/elections/{election_id}"),
            (f"/api/v1/elections/{e}/candidates", "/api/v1/elections/{election_id}/candidates"),
        ):
            validate(registry, _response_schema(path, "200"), client.get(url).get_json())
        report = client.get(f"/api/v1/elections/{e}/report")
        if report.status_code == 200:
            reports += 1
            body = report.get_json()
            validate(
                registry, _response_schema("/api/v1/elections/{election_id}/report", "200"), body
            )
            assert body["current"]["snapshot"]["candidacies"], "the real snapshot is empty"
        candidates = client.get(f"/api/v1/elections/{e}/candidates").get_json()["items"]
        for candidate in candidates:
            answer = client.get(f"/api/v1/candidates/{candidate['public_id']}").get_json()
            validate(registry, _response_schema("/api/v1/candidates/{public_id}", "200"), answer)
    assert reports >= 1, "the demo publishes an election report"
    for name in ("elections", "checkpoints"):
        document = client.get(f"/data/v1/{name}.json").get_json()
        validate(registry, document["$schema"], document)
        assert document["items"], name
