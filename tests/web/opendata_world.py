"""A small election with published material, for the open data and API tests.

The published versions are written here as rows, with `published_at` in the past, and one
version with `published_at` in the future stands for an embargo; the checkpoint is taken with
`vetting.checkpoints.take`, as publication does. Rows give these tests exact control over
versions and dates. What the real operations publish (approvals, the report's frozen snapshot)
is checked against the same schemas on the demo, in test_api_contract.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from vetting import checkpoints
from vetting.audit import canonical
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender, JudgeList
from vetting.models import Candidacy, Election, ElectionReport, PublicSummary
from vetting.models.base import utcnow
from vetting.operations import nominations
from vetting.scenarios import make_election, make_people, nominate, walk

EMBARGOED_TEXT = "EMBARGOED-SUMMARY-TEXT-5d1e"
DRAFT_REPORT_TEXT = "DRAFT-REPORT-OBSERVATIONS-91ab"


@dataclass
class World:
    election: Election
    adopted: Candidacy  # questionnaire submitted, summary v1 and v2 public, v3 embargoed
    other_gender: Candidacy  # gender OTHER: never published individually
    withdrawn: Candidacy
    report: ElectionReport


def snapshot_of(election: Election, adopted: Candidacy, summary: PublicSummary) -> dict:
    return {
        "format": 2,
        "election": {
            "id": election.id,
            "title": election.title,
            "office": election.office.value,
            "seats": election.seats,
            "nomination_opens": election.nomination_opens.isoformat(),
            "nomination_closes": election.nomination_closes.isoformat(),
            "vote_date": election.vote_date.isoformat() if election.vote_date else None,
        },
        "method": "The panel scored each candidate on the rubric.",
        "observations": "The pool met every minimum voting requirement.",
        "rubric": [
            {
                "code": "C1",
                "title": "Criminal law",
                "weight": 2,
                "phase": "paper",
                "allows_na": False,
                "descriptors": ["weak", "fair", "good", "excellent"],
            }
        ],
        "panel": [{"name": "Chair", "nationality": "NOR", "regional_group": None, "chair": True}],
        "panel_gender": {"women": 1, "members": 1},
        "timeline": [{"date": "2026-01-05", "event": "nomination_opened", "detail": None}],
        "candidacies": [
            {
                "public_id": adopted.public_id,
                "name": adopted.full_name,
                "nationality": adopted.nationality_code,
                "nominating_state": adopted.nominating_state_code,
                "list": adopted.judge_list.value,
                "status": "published",
                "withdrawn_on": None,
                "summary": {
                    "version": summary.version,
                    "text": summary.text,
                    "published_at": summary.published_at.isoformat(),
                    "corrigendum": summary.corrigendum,
                },
            }
        ],
    }


def summary_row(session, people, candidacy, version, text, published_at, corrigendum=None):
    summary = PublicSummary(
        candidacy_id=candidacy.id,
        version=version,
        text=text,
        corrigendum=corrigendum,
        drafted_by_id=people.secretariat.id,
        published_by_id=people.secretariat_second.id,
        approved_at=published_at,
        published_at=published_at,
    )
    session.add(summary)
    session.flush()
    return summary


def report_row(session, people, election, version, observations, published_at, snapshot=None):
    text = canonical(snapshot) if snapshot is not None else None
    report = ElectionReport(
        election_id=election.id,
        version=version,
        method="The panel scored each candidate on the rubric.",
        observations=observations,
        drafted_by_id=people.secretariat.id,
        published_by_id=people.secretariat_second.id,
        approved_at=published_at,
        published_at=published_at,
        snapshot=text,
        snapshot_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None,
    )
    session.add(report)
    session.flush()
    return report


def build(session) -> World:
    people = make_people(session, members=2)
    election = make_election(session, people)
    adopted = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, adopted, Stage.FINDING_ADOPTED)
    other_gender = nominate(
        session, people, election, name="Kim Other", state="KOR", gender=Gender.OTHER
    )
    withdrawn = nominate(
        session, people, election, name="Zoë Ødegård", state="NOR", judge_list=JudgeList.B
    )
    nominations.withdraw_candidacy(session, people.secretariat, withdrawn, reason="Personal.")
    past = utcnow() - timedelta(days=2)
    first = summary_row(session, people, adopted, 1, "The panel found her highly qualified.", past)
    first.checkpoint_id = checkpoints.take(session).id
    second = summary_row(
        session,
        people,
        adopted,
        2,
        "The panel found her highly qualified for list A.",
        past + timedelta(hours=1),
        corrigendum="The list was missing.",
    )
    summary_row(
        session,
        people,
        adopted,
        3,
        EMBARGOED_TEXT,
        utcnow() + timedelta(days=5),
        corrigendum="Embargoed.",
    )
    report = report_row(
        session,
        people,
        election,
        1,
        "The pool met every minimum voting requirement.",
        past + timedelta(hours=2),
        snapshot_of(election, adopted, second),
    )
    report.checkpoint_id = checkpoints.take(session).id
    report_row(session, people, election, 2, DRAFT_REPORT_TEXT, None)
    session.commit()
    return World(election, adopted, other_gender, withdrawn, report)


# --- Validating what the app serves against the schemas it serves ---------------------------

BASE = "http://localhost"
SCHEMA_NAMES = (
    "definitions",
    "elections",
    "rubric",
    "candidates",
    "summaries",
    "answers",
    "reports",
    "checkpoints",
)


def registry_of(client):
    """Every schema as the site serves it (with its `$id`), and the OpenAPI document under its
    own address, so that references resolve as they would for any reader of the site."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    for name in SCHEMA_NAMES:
        response = client.get(f"/data/v1/schemas/{name}.json")
        assert response.status_code == 200, name
        document = response.get_json(force=True)
        assert document["$id"] == f"{BASE}/data/v1/schemas/{name}.json"
        resources.append((document["$id"], Resource.from_contents(document)))
    openapi = client.get("/api/v1/openapi.json").get_json()
    resources.append(
        (
            f"{BASE}/api/v1/openapi.json",
            Resource.from_contents(openapi, default_specification=DRAFT202012),
        )
    )
    return Registry().with_resources(resources)


def validate(registry, reference: str, instance) -> None:
    """Raise jsonschema.ValidationError unless `instance` matches the schema at `reference`."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(
        {"$ref": reference},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    validator.validate(instance)
