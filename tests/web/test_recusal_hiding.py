"""Recusal hides everything about a candidacy from the recused member: its dossier, its scores,
the aggregates, the discussion, the counts and its place in any list; and the same holds for an
administrator acting as that member (issue 5; domain.md: "even for an admin acting as another
user").

The world: five candidacies of one election, a panel of a chair and three members.

- A, B, C: scored by everyone, on every criterion of both phases (A split 4/4/4/1, B all 2,
  C all 3), and in deliberation.
- HIDDEN: member 1 is recused. The others scored it (3 each, with a canary rationale); it has an
  evidence item and a memo, interview notes and a finding, each with a canary text.
- HIDDEN2: the chair is recused (decided by member 2). Members 1-3 scored it 1, 4, 1 on the
  papers: included, it would move the aggregates on the chair's deliberation pages.

Each recused person is checked in person and through an administrator acting as them: direct
requests for the hidden candidacy, the aggregates against figures computed by hand without it,
the counts, and a crawl of every page they can reach (tests/web/crawl.py: every GET route of
app.url_map with every object as argument, and every link and redirect the pages show), in
which neither the candidacy's name, its public id, nor any of its canaries may appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.web.crawl import MAIN, crawl, seeds
from tests.web.support import login
from vetting.domain.scoring import PHASES
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, EvidenceKind, IntegrityOutcome, Level
from vetting.models import Assignment, AuditHead, Candidacy, Criterion, Score, User
from vetting.operations import diligence, panel
from vetting.scenarios import (
    People,
    criteria_to_score,
    make_election,
    make_people,
    nominate,
    score_all,
    walk,
)

HIDDEN_NAME = "Zuzanna Hidden-Name"
HIDDEN2_NAME = "Xavier Concealed-Name"
CANARIES = {
    "rationale": "CANARY-RATIONALE-4b1d",
    "memo": "CANARY-MEMO-4b1d",
    "evidence": "CANARY-EVIDENCE-4b1d",
    "notes": "CANARY-NOTES-4b1d",
}
CANARY2 = "CANARY2-RATIONALE-9e7c"
# Candidacies A, B, C: {reviewer index: score}, the chair is 0 (as in the statistics tests).
SPLIT = [{0: 4, 1: 4, 2: 4, 3: 1}, {0: 2, 1: 2, 2: 2, 3: 2}, {0: 3, 1: 3, 2: 3, 3: 3}]
STATES = ("ARG", "BRA", "DEU")


@dataclass
class World:
    people: People
    visible: list[Candidacy]
    hidden: Candidacy  # member 1 recused
    hidden2: Candidacy  # the chair recused
    criteria: int


def _assignment(session, candidacy: Candidacy, user: User) -> Assignment:
    return session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == user.id
        )
    )


def _recuse(session, people: People, candidacy: Candidacy, member: User, decider: User) -> None:
    if decider is not people.chair:
        panel.declare_conflict(
            session,
            decider,
            candidacy,
            _assignment(session, candidacy, decider),
            has_conflict=False,
            details="",
        )
    assignment = _assignment(session, candidacy, member)
    panel.declare_conflict(
        session,
        member,
        candidacy,
        assignment,
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Former colleague.",
    )
    panel.decide_conflict(session, decider, assignment, recuse=True, reason="Close colleague.")


def _score(session, candidacy: Candidacy, reviewer: User, value: int, rationale: str) -> None:
    """The reviewer scores every criterion of the phases open now with `value`, then locks."""
    assignment = _assignment(session, candidacy, reviewer)
    if assignment.declared_at is None:
        panel.declare_conflict(
            session, reviewer, candidacy, assignment, has_conflict=False, details=""
        )
    criteria = criteria_to_score(session, candidacy, assignment)
    panel.save_scores(
        session,
        reviewer,
        candidacy,
        assignment,
        [panel.ScoreInput(c.id, value, f"{rationale} on {c.code}") for c in criteria],
    )
    for phase in PHASES:
        if any(c.phase is phase for c in criteria):
            panel.lock_scores(session, reviewer, candidacy, assignment, phase)


@pytest.fixture
def world(session) -> World:
    people = make_people(session, members=3)
    chair, member1, member2, member3 = people.panel
    election = make_election(session, people)
    visible = []
    for state, values in zip(STATES, SPLIT, strict=True):
        candidacy = nominate(session, people, election, name=f"Candidate {state}", state=state)
        walk(session, people, candidacy, Stage.PAPER_SCORING)
        score_all(session, people, candidacy, values=values)  # on the papers
        walk(session, people, candidacy, Stage.INTERVIEW)
        score_all(session, people, candidacy, values=values)  # after the interview
        walk(session, people, candidacy, Stage.DELIBERATION)
        visible.append(candidacy)

    hidden = nominate(session, people, election, name=HIDDEN_NAME, state="POL")
    walk(session, people, hidden, Stage.PAPER_SCORING)
    _recuse(session, people, hidden, member1, chair)
    diligence.record_evidence(
        session,
        people.vetting_officer,
        hidden,
        diligence.EvidenceData(
            kind=EvidenceKind.FORMER_EMPLOYER_CHECK,
            source="Former employer",
            obtained_on=date.today() - timedelta(days=3),
            summary=CANARIES["evidence"],
            level=Level.PANEL,
            verified=True,
            relied_on=True,
        ),
    )
    diligence.record_integrity_outcome(
        session,
        people.vetting_officer,
        hidden,
        outcome=IntegrityOutcome.NO_ADVERSE_INFORMATION,
        memo=CANARIES["memo"],
    )
    for stage in (Stage.PAPER_SCORING, Stage.INTERVIEW):
        walk(session, people, hidden, stage)
        for reviewer in (chair, member2, member3):
            _score(session, hidden, reviewer, 3, CANARIES["rationale"])
    walk(session, people, hidden, Stage.DELIBERATION)
    panel.record_interview_notes(
        session, chair, hidden, notes=CANARIES["notes"], present=[chair.id, member2.id]
    )
    walk(session, people, hidden, Stage.FINDING_ADOPTED)

    hidden2 = nominate(session, people, election, name=HIDDEN2_NAME, state="ESP")
    walk(session, people, hidden2, Stage.PAPER_SCORING)
    _recuse(session, people, hidden2, chair, member2)
    for reviewer, value in ((member1, 1), (member2, 4), (member3, 1)):
        _score(session, hidden2, reviewer, value, CANARY2)

    criteria = session.scalar(
        sa.select(sa.func.count(Criterion.id)).where(Criterion.election_id == election.id)
    )
    session.commit()
    return World(people, visible, hidden, hidden2, criteria)


def _as(app: Flask, world: World, user: User, acting: bool) -> FlaskClient:
    client = app.test_client()
    if not acting:
        login(client, user)
        return client
    login(client, world.people.admin)
    response = client.post(
        "/admin/act-as", data={"user": str(user.id), "reason": "Support: checking recusal."}
    )
    assert response.status_code == 302
    assert "acting-banner" in client.get("/me").get_data(as_text=True)
    return client


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def _audit_seq(session) -> int:
    session.expire_all()
    return session.get(AuditHead, 1).seq


def both(app: Flask, world: World, user: User) -> list[tuple[str, FlaskClient]]:
    """The user in person, and an administrator acting as them: every check runs for each."""
    return [("in person", _as(app, world, user, False)), ("acting", _as(app, world, user, True))]


# -- The recused member ------------------------------------------------------------------------


def test_recused_member_meets_404_on_every_page_of_the_candidacy_when_asked_directly(
    app, world, session
):
    member = world.people.members[0]
    for how, client in both(app, world, member):
        pid = world.hidden.public_id
        # The dossier, as a panel member and through the secretariat's dossier route.
        assert client.get(f"/panel/{pid}").status_code == 404, how
        assert client.get(f"/secretariat/candidacies/{pid}").status_code == 404, how
        assert client.get(f"/panel/{pid}/declare").status_code == 404
        # Deliberation (with the finding) is the chair's: refused by role before any lookup.
        assert client.get(f"/panel/{pid}/deliberation").status_code == 403
        # The same pages of a candidacy the member is cleared on do open: the 404 is the recusal.
        assert client.get(f"/panel/{world.visible[0].public_id}").status_code == 200


def test_recused_member_can_neither_score_nor_lock_when_posting_directly(app, world, session):
    member = world.people.members[0]
    for how, client in both(app, world, member):
        criterion = session.scalar(
            sa.select(Criterion.id).where(Criterion.election_id == world.hidden.election_id)
        )
        before = _audit_seq(session)
        scores = session.scalar(sa.select(sa.func.count(Score.id)))
        pid = world.hidden.public_id
        form = {f"c{criterion}-value": "4", f"c{criterion}-rationale": "Trying anyway."}
        for url in (f"/panel/{pid}/scores", f"/panel/{pid}/lock", f"/panel/{pid}/declare"):
            # In person the recusal answers 404; acting, every change is refused first (403).
            assert client.post(url, data=form).status_code == (403 if how == "acting" else 404), how
        assert _audit_seq(session) == before
        assert session.scalar(sa.select(sa.func.count(Score.id))) == scores
        mine = _assignment(session, world.hidden, member)
        assert mine.locked_at is None and mine.conflict_status.value == "recused"


def test_recused_member_finds_no_trace_of_the_candidacy_on_any_page_when_crawling(
    app, world, session
):
    member = world.people.members[0]
    for how, client in both(app, world, member):
        pages = crawl(app, client, seeds(app, session, member.role))
        markers = [HIDDEN_NAME, world.hidden.public_id, *CANARIES.values()]
        leaks = [
            f"{url}: {marker}"
            for url, page in pages.items()
            for marker in markers
            if marker in page.body
        ]
        assert leaks == [], how
        # Every URL naming the candidacy is refused, never shown or redirected to something else.
        naming = {url: p.status for url, p in pages.items() if world.hidden.public_id in url}
        assert naming and set(naming.values()) <= {403, 404}
        assert all(p.status < 500 for p in pages.values()), [
            u for u, p in pages.items() if p.status >= 500
        ]
        # The crawl reached the member's pages: the other candidacies' dossiers among them.
        opened = {url for url, p in pages.items() if p.status == 200}
        for candidacy in [*world.visible, world.hidden2]:
            assert f"/panel/{candidacy.public_id}" in opened


def test_recused_member_counts_only_the_other_candidacies_when_listing(app, world, session):
    member = world.people.members[0]
    for how, client in both(app, world, member):
        page = flat(client.get("/panel").get_data(as_text=True))
        rows = re.findall(r'<th scope="row">(.*?)</th>', page)
        # A, B, C and HIDDEN2: four rows, not five; the hidden one has no row at all.
        assert len(rows) == 4, how
        assert all(HIDDEN_NAME not in row for row in rows)
        assert "Candidate ARG" in page and HIDDEN2_NAME in page
        # Others' locked scores on HIDDEN count nowhere: the dossier of HIDDEN2 shows the three
        # scores of HIDDEN2 only, and its summary rests on them (1, 4, 1: mean 2, median 1).
        dossier = flat(client.get(f"/panel/{world.hidden2.public_id}").get_data(as_text=True))
        assert "Mean 2.0, median 1, spread 3" in dossier or "Mean 2, median 1, spread 3" in dossier
        assert CANARIES["rationale"] not in dossier


def test_recused_member_pages_through_the_other_candidacies_only_when_paged(
    app, world, session, monkeypatch
):
    """Two assignments a page: the four others fill exactly two pages; counted, the hidden one
    would open a third."""
    monkeypatch.setattr("vetting.web.panel.queries.PER_PAGE", 2)
    member = world.people.members[0]
    for how, client in both(app, world, member):
        first, second, third = (
            flat(client.get(f"/panel?page={n}").get_data(as_text=True)) for n in (1, 2, 3)
        )
        assert 'href="/panel?page=2"' in first, how
        assert 'href="/panel?page=3"' not in second, how
        assert len(re.findall(r'<th scope="row">', first + second)) == 4, how
        assert "You have no assignments." in third, how
        assert HIDDEN_NAME not in first + second + third, how


# -- The recused chair: aggregates across the election ------------------------------------------


def test_recused_chair_sees_aggregates_computed_without_the_candidacy_when_deliberating(
    app, world, session
):
    for how, client in both(app, world, world.people.chair):
        page = client.get(f"/panel/{world.visible[0].public_id}/deliberation")
        assert page.status_code == 200, how
        text = flat(page.get_data(as_text=True))

        # The chair may see A, B, C and HIDDEN (cleared and locked on each), not HIDDEN2.
        assert "4 candidacies of this election whose scores you may see" in text
        assert "5 candidacies" not in text

        # Alpha per criterion over the units A (4,4,4,1), B (2,2,2,2), C (3,3,3,3), HIDDEN (3,3,3).
        # Coincidences, ordered pairs within a unit weighted 1/(m-1): A gives o44 = 6/3 = 2 and
        # o14 = o41 = 3/3 = 1; B gives o22 = 12/3 = 4; C gives o33 = 4 and HIDDEN (m = 3) 6/2 = 3,
        # so o33 = 7.
        # n1 = 1, n2 = 4, n3 = 7, n4 = 3, n = 15. Ordinal distances d(c,k) = (sum of n_g from c to
        # k - (n_c + n_k) / 2)^2: d12 = 6.25, d13 = 64, d14 = 169, d23 = 30.25, d24 = 110.25,
        # d34 = 25. Observed: o14 d14 + o41 d41 = 338. Expected: 2 * (4 * 6.25 + 7 * 64 + 3 * 169
        # + 28 * 30.25 + 12 * 110.25 + 21 * 25) = 7350. alpha = 1 - (n - 1) * 338 / 7350 = 0.356.
        # With HIDDEN2 (1, 4, 1) it would be 0.107 on the paper criteria.
        assert text.count("Agreement across the election: alpha 0.356.") == world.criteria
        assert "alpha 0.107" not in text

        # Leniency per item (candidacy, criterion): on A the mean is 3.25 (chair, members 1 and 2
        # +0.75, member 3 -2.25); on B, C and HIDDEN everyone is at the mean; member 1 did not
        # score HIDDEN. Chair and member 2: 0.75 / 4 = +0.19 over 4 candidacies; member 1:
        # 0.75 / 3 = +0.25 over 3; member 3: -2.25 / 4 = -0.56 over 4. HIDDEN2 (mean 2 on each
        # paper criterion: member 1 -1, member 2 +2, member 3 -1) would change all three members'.
        four, three = 4 * world.criteria, 3 * world.criteria
        assert f'<th scope="row">Chris Chair (me)</th> <td>+0.19</td> <td>{four}</td>' in text
        assert f'<th scope="row">Morgan Member 1</th> <td>+0.25</td> <td>{three}</td>' in text
        assert f'<th scope="row">Morgan Member 2</th> <td>+0.19</td> <td>{four}</td>' in text
        assert f'<th scope="row">Morgan Member 3</th> <td>-0.56</td> <td>{four}</td>' in text


def test_recused_chair_meets_404_on_the_candidacys_discussion_when_asked_directly(
    app, world, session
):
    for how, client in both(app, world, world.people.chair):
        pid = world.hidden2.public_id
        for url in (
            f"/panel/{pid}",
            f"/panel/{pid}/deliberation",
            f"/secretariat/candidacies/{pid}",
        ):
            assert client.get(url).status_code == 404, f"{how}: {url}"
        # Nothing awaits the chair's decision: their own conflict was decided by member 2.
        conflicts = client.get("/panel/conflicts").get_data(as_text=True)
        assert HIDDEN2_NAME not in conflicts


def test_recused_chair_finds_no_trace_of_the_candidacy_on_any_page_when_crawling(
    app, world, session
):
    for how, client in both(app, world, world.people.chair):
        pages = crawl(app, client, seeds(app, session, world.people.chair.role))
        markers = [HIDDEN2_NAME, world.hidden2.public_id, CANARY2]
        leaks = [
            f"{url}: {marker}"
            for url, page in pages.items()
            for marker in markers
            if marker in page.body
        ]
        assert leaks == [], how
        naming = {url: p.status for url, p in pages.items() if world.hidden2.public_id in url}
        assert naming and set(naming.values()) <= {403, 404}
        assert all(p.status < 500 for p in pages.values())
        opened = {url for url, p in pages.items() if p.status == 200}
        assert f"/panel/{world.visible[0].public_id}/deliberation" in opened


# -- Public pages ------------------------------------------------------------------------------


def test_public_pages_show_the_recused_member_nothing_beyond_what_anyone_sees_when_signed_in(
    app, world, session
):
    """The public list of candidates names the hidden candidacy, as it does for anyone: the
    crawl leaves public pages out for that reason, and this checks they add nothing."""
    member = world.people.members[0]
    for how, client in both(app, world, member):
        anonymous = app.test_client()
        urls = [
            "/",
            f"/elections/{world.hidden.election_id}",
            f"/candidates/{world.hidden.public_id}",
        ]
        for url in urls:
            signed_in, anyone = client.get(url), anonymous.get(url)
            assert signed_in.status_code == anyone.status_code == 200, how
            main = MAIN.search(signed_in.get_data(as_text=True))
            public = MAIN.search(anyone.get_data(as_text=True))
            assert main and public and main.group(1) == public.group(1), url
