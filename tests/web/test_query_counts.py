"""Every list page runs a constant number of SQL statements whatever the data size.

List pages are discovered from app.url_map (GET routes without arguments, and the election
page), so a new list page is counted the moment it exists; each is requested as every role
that may open it, first with a small election, then with several times more candidacies at
every stage, and the two counts must be equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask

from tests.web.support import login
from vetting.domain.roles import Permission, has_permission
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender, IntegrityOutcome, JudgeList
from vetting.extensions import db
from vetting.scenarios import make_election, make_people, nominate, walk
from vetting.web.policy import EXTENSION_PUBLIC, PUBLIC, policy_of

STAGES = [
    Stage.NOMINATED,
    Stage.QUESTIONNAIRE,
    Stage.PAPER_SCORING,
    Stage.DELIBERATION,
    Stage.FINDING_ADOPTED,
    Stage.PUBLISHED,
]
STATES = [
    "SEN",
    "KEN",
    "GHA",
    "NGA",
    "ZAF",
    "BRA",
    "CHL",
    "PER",
    "JPN",
    "KOR",
    "POL",
    "ROU",
    "NOR",
    "NLD",
    "FRA",
    "DEU",
    "ITA",
    "ESP",
]

# One document each, 404 until something is published: counted with published material in the
# tests of their own area (tests/web/test_open_data.py for the API's report,
# tests/web/test_report_pages.py for the public report). The report's preview is 404 until a
# draft exists; the snapshot it shows is built in a constant number of queries
# (tests/operations/test_reports.py).
NOT_YET_PUBLIC = {"opendata.api_report", "public.report", "secretariat.report_preview"}


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _add_candidacies(session, people, election, states: list[str]) -> None:
    for index, code in enumerate(states):
        candidacy = nominate(
            session,
            people,
            election,
            name=f"Candidate {code}",
            state=code,
            gender=Gender.MALE if index % 2 else Gender.FEMALE,
            judge_list=JudgeList.B if index % 3 else JudgeList.A,
        )
        outcome = IntegrityOutcome.NO_ADVERSE_INFORMATION
        walk(session, people, candidacy, STAGES[index % len(STAGES)], outcome=outcome)
    session.commit()


def _list_pages(app: Flask) -> list[tuple[str, object]]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in EXTENSION_PUBLIC:
            continue
        if rule.endpoint in ("public.healthz", "auth.login") or rule.endpoint in NOT_YET_PUBLIC:
            continue
        if not rule.arguments or rule.arguments == {"election_id"}:
            pages.append((rule.endpoint, policy_of(app, rule.endpoint)))
    return pages


def test_every_list_page_runs_the_same_queries_when_the_data_grows(app, session):
    people = make_people(session, members=3)
    election = make_election(session, people)
    _add_candidacies(session, people, election, STATES[:3])
    users = {
        "anonymous": None,
        "secretariat": people.secretariat,
        "chair": people.chair,
        "member": people.members[0],
        "vetting_officer": people.vetting_officer,
        "admin": people.admin,
    }
    pages = _list_pages(app)
    assert len(pages) >= 10, pages

    def measure() -> dict[tuple[str, str], int]:
        counts = {}
        for who, user in users.items():
            client = app.test_client()
            if user is not None:
                login(client, user)
            for endpoint, policy in pages:
                if policy != PUBLIC and user is None:
                    continue
                if isinstance(policy, Permission) and not has_permission(user.role, policy):
                    continue
                url = app.url_map.bind("localhost").build(endpoint, {"election_id": election.id})
                with counted(app) as statements:
                    response = client.get(url)
                assert response.status_code == 200, f"{endpoint} as {who}: {response.status_code}"
                counts[(endpoint, who)] = len(statements)
        return counts

    small = measure()
    # The counter sees the statements (a signed-in page reads at least the user; public
    # documents such as the OpenAPI description may read nothing at all).
    public = {endpoint for endpoint, policy in pages if policy == PUBLIC}
    assert all(
        small[(endpoint, who)] > 0
        for endpoint, who in small
        if who != "anonymous" and endpoint not in public
    )
    _add_candidacies(session, people, election, STATES[3:])
    large = measure()
    grown = {key: (small[key], large[key]) for key in small if small[key] != large[key]}
    assert grown == {}, f"statement counts grew with the data: {grown}"


def test_panel_and_assignment_pages_run_the_same_queries_when_panel_and_candidacies_grow(
    app, session
):
    from vetting.domain.roles import Role
    from vetting.operations import accounts, panels, staffing

    people = make_people(session, members=2)
    election = make_election(session, people)
    _add_candidacies(session, people, election, STATES[:3])
    client = app.test_client()
    login(client, people.secretariat)
    paths = (
        f"/secretariat/elections/{election.id}/panel",
        f"/secretariat/elections/{election.id}/assignments",
    )

    def measure() -> dict[str, int]:
        counts = {}
        for path in paths:
            with counted(app) as statements:
                response = client.get(path)
            assert response.status_code == 200, path
            counts[path] = len(statements)
        return counts

    small = measure()
    # Three more members, of nationalities that the next candidacies share (detected
    # conflicts), with recorded genders, and five times the candidacies.
    for code, gender in (("JPN", Gender.FEMALE), ("BRA", Gender.MALE), ("POL", Gender.FEMALE)):
        member = accounts.create_user(
            session,
            None,
            email=f"extra.{code.lower()}@example.org",
            full_name=f"Extra {code}",
            role=Role.PANEL_MEMBER,
            state_code=code,
        )
        staffing.set_gender(session, None, member, gender)
        panels.seat_member(session, people.secretariat, election, member)
    _add_candidacies(session, people, election, STATES[3:])
    large = measure()
    assert small == large, f"statement counts grew with the panel and the candidacies: {large}"
