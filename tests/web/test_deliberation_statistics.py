"""The deliberation page's statistics: a chart per criterion, outlier flags, leniency and
Krippendorff's alpha in words, checked against values computed by hand; and a statement count
that does not grow with the panel or with the election."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.extensions import db
from vetting.models import Candidacy, Criterion
from vetting.scenarios import People, make_election, make_people, nominate, score_all, walk

# States no scenario panel member comes from, so that no conflict is detected on nomination.
STATES = ("ARG", "BRA", "DEU", "FRA", "GHA", "MEX", "ESP", "ITA")


@dataclass
class Election:
    people: People
    candidacies: list[Candidacy]
    criteria: int


def deliberating_election(
    session,
    *,
    members: int,
    scores: list[dict[int, int]],
    domain: str = "example.org",
    title: str = "Election of six judges",
) -> Election:
    """One candidacy per entry of `scores` ({reviewer index: value}, the chair is 0), each
    scored as given and carried to deliberation."""
    people = make_people(session, domain=domain, members=members)
    election = make_election(session, people, title=title)
    candidacies = []
    for index, values in enumerate(scores):
        state = STATES[index]
        candidacy = nominate(
            session,
            people,
            election,
            name=f"Candidate {state}",
            state=state,
            email=f"{state.lower()}.candidate@{domain}",
        )
        # The same values in both phases (on the papers; after the interview, if the rubric
        # has criteria scored then), so that every criterion gets them.
        walk(session, people, candidacy, Stage.PAPER_SCORING)
        score_all(session, people, candidacy, values=values)
        walk(session, people, candidacy, Stage.INTERVIEW)
        score_all(session, people, candidacy, values=values)
        walk(session, people, candidacy, Stage.DELIBERATION)
        candidacies.append(candidacy)
    criteria = session.scalar(
        sa.select(sa.func.count(Criterion.id)).where(Criterion.election_id == election.id)
    )
    session.commit()
    return Election(people, candidacies, criteria)


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", html)


# Candidacy A: the chair and members 1 and 2 give 4, member 3 gives 1, on every criterion.
# Candidacies B and C: everyone gives 2, and everyone gives 3.
SPLIT = [{0: 4, 1: 4, 2: 4, 3: 1}, {0: 2, 1: 2, 2: 2, 3: 2}, {0: 3, 1: 3, 2: 3, 3: 3}]


def test_deliberation_shows_chart_outlier_leniency_and_alpha_when_scores_disagree(app, session):
    world = deliberating_election(session, members=3, scores=SPLIT)
    client = app.test_client()
    login(client, world.people.chair)
    page = client.get(f"/panel/{world.candidacies[0].public_id}/deliberation")
    assert page.status_code == 200
    text = flat(page.get_data(as_text=True))

    # The chart: one SVG per criterion, with its text alternative, and no style attribute.
    assert text.count("<svg ") == world.criteria
    assert "Scores given, per point of the scale: 1: 1; 2: 0; 3: 0; 4: 3." in text
    # Bar heights over a 70-unit span: the 4 is the tallest (70), the 1 a third of it (23).
    assert 'y="18" width="36" height="70"' in text and 'y="65" width="36" height="23"' in text
    assert "style=" not in text and "<script" not in text

    # The outlier: member 3's 1 against the others' median of 4, once per criterion; the
    # others' 4s face (4, 4, 1), median 4, and are not flagged.
    flagged = '<td>1 <span class="badge text-bg-warning">Outlier</span></td>'
    assert text.count(flagged) == world.criteria
    assert text.count(">Outlier</span>") == world.criteria

    # Leniency over the 3 candidacies x all criteria. On A the panel's mean is 13/4 = 3.25:
    # member 3 is 2.25 below it, each other member 0.75 above; on B and C everyone is at the
    # mean. Member 3: -2.25 / 3 = -0.75; the others: 0.75 / 3 = +0.25.
    items = 3 * world.criteria
    assert f'<th scope="row">Morgan Member 3</th> <td>-0.75</td> <td>{items}</td>' in text
    assert f'<th scope="row">Chris Chair (me)</th> <td>+0.25</td> <td>{items}</td>' in text
    assert f'<th scope="row">Morgan Member 1</th> <td>+0.25</td> <td>{items}</td>' in text

    # Alpha per criterion, units A (4,4,4,1), B (2,2,2,2), C (3,3,3,3). Coincidences (pairs
    # weighted 1/(m-1) = 1/3): o44 = 2, o14 = o41 = 1, o22 = 4, o33 = 4; n1 = 1, n2 = 4, n3 = 4,
    # n4 = 3, n = 12. Ordinal d14 = (12 - 2)^2 = 100, so observed = 2 * 100 = 200.
    # Expected, e = nc nk / 11 with d12 = 6.25, d13 = 42.25, d14 = 100, d23 = 16, d24 = 56.25,
    # d34 = 12.25: 2 * (4*6.25 + 4*42.25 + 3*100 + 16*16 + 12*56.25 + 12*12.25) / 11 = 3144/11.
    # alpha = 1 - 200 * 11 / 3144 = 0.300: low agreement.
    assert text.count("Agreement across the election: alpha 0.300.") == world.criteria
    assert text.count("Low agreement: the members") == world.criteria
    assert "3 candidacies of this election whose scores you may see" in text


def test_deliberation_flags_no_outlier_when_the_panel_agrees(app, session):
    world = deliberating_election(session, members=3, scores=SPLIT)
    client = app.test_client()
    login(client, world.people.chair)
    text = flat(client.get(f"/panel/{world.candidacies[1].public_id}/deliberation").get_data(True))
    assert "Outlier</span>" not in text
    assert "Scores given, per point of the scale: 1: 0; 2: 4; 3: 0; 4: 0." in text


def test_deliberation_explains_alpha_is_undefined_when_too_few_candidacies_are_locked(app, session):
    world = deliberating_election(session, members=2, scores=[{0: 4, 1: 2, 2: 3}])
    client = app.test_client()
    login(client, world.people.chair)
    text = flat(client.get(f"/panel/{world.candidacies[0].public_id}/deliberation").get_data(True))
    assert text.count("Agreement across the election: alpha not defined.") == world.criteria
    assert (
        "Not defined yet: alpha needs at least 3 candidacies with two or more locked scores on "
        "this criterion; there are 1." in text
    )


def test_deliberation_explains_alpha_is_undefined_when_every_score_is_the_same(app, session):
    world = deliberating_election(session, members=2, scores=[{}, {}, {}])  # everyone gives 3
    client = app.test_client()
    login(client, world.people.chair)
    text = flat(client.get(f"/panel/{world.candidacies[0].public_id}/deliberation").get_data(True))
    assert "Not defined: every locked score on this criterion is the same" in text
    assert (
        f'<th scope="row">Chris Chair (me)</th> <td>+0.00</td> <td>{3 * world.criteria}</td>'
        in (text)
    )


@contextmanager
def counting_statements(app) -> Iterator[list[int]]:
    """Statements run inside, in a fresh application context as a production request has."""
    count = [0]

    def before(*_args: object, **_kwargs: object) -> None:
        count[0] += 1

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield count
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)


def test_deliberation_runs_the_same_number_of_statements_when_panel_and_election_grow(app, session):
    small = deliberating_election(session, members=2, scores=[{1: 1}, {2: 4}])
    small_client = app.test_client()
    login(small_client, small.people.chair)
    url = f"/panel/{small.candidacies[0].public_id}/deliberation"  # built before counting
    with counting_statements(app) as small_count:
        small_page = small_client.get(url)
    assert small_page.status_code == 200
    assert b"alpha not defined" in small_page.data  # two candidacies: too few

    # A second election, in the same database, with more members and three times the
    # candidacies, scored with variation so that alpha is computed.
    large = deliberating_election(
        session,
        members=5,
        scores=[{i: 1 + (i + k) % 4 for i in range(6)} for k in range(6)],
        domain="large.example.org",
        title="Election of the Prosecutor",
    )
    large_client = app.test_client()
    login(large_client, large.people.chair)
    url = f"/panel/{large.candidacies[0].public_id}/deliberation"
    with counting_statements(app) as large_count:
        large_page = large_client.get(url)
    assert large_page.status_code == 200
    assert re.search(rb"Agreement across the election: alpha -?\d\.\d{3}\.", large_page.data)
    assert large_count[0] == small_count[0]
