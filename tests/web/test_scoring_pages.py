"""The scoring pages: the form with each criterion's descriptors, weight and phase, "not
applicable" where allowed, a lock per phase, revisions after a lock flagged when made after
seeing others' scores, and nothing of anyone else's scores (nor how many have locked) before
one's own lock of that phase."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from tests.scoring_world import (
    assignment_of,
    expose,
    make_world,
    score_now,
    snapshot,
    to_interview,
)
from tests.web.support import login
from vetting.domain.rubric import SCALE
from vetting.extensions import db
from vetting.models import Score, ScoreRevision, User
from vetting.operations import panel

DESCRIPTORS = {
    "M1": (
        "DESC-M1-1 no competence shown",
        "DESC-M1-2 thin record",
        "DESC-M1-3 sound record",
        "DESC-M1-4 eminent jurist",
    )
}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def client_for(app, user):
    client = app.test_client()
    login(client, user)
    return client


def radio_labels(page: str, criterion_id: int) -> dict[str, str]:
    """Each radio of a criterion's value: its value and the text of the label bound to it."""
    found = {}
    for match in re.finditer(
        rf'<input[^>]*id="(value_{criterion_id}-\d+)"[^>]*value="([^"]+)"', page
    ):
        label = re.search(rf'<label[^>]*for="{match[1]}"[^>]*>([^<]*)</label>', page)
        assert label, f"radio {match[1]} has no label"
        found[match[2]] = label[1].strip()
    return found


# -- the form ------------------------------------------------------------------------------


def test_form_labels_each_level_with_its_descriptor_and_offers_na_only_where_allowed(app, session):
    world = make_world(session, descriptors=DESCRIPTORS)
    page = text_of(client_for(app, world.members[0]).get(f"/panel/{world.candidacy.public_id}"))
    m1 = radio_labels(page, world.criteria["M1"].id)
    assert m1 == {
        "1": f"1 ({SCALE[1]}): DESC-M1-1 no competence shown",
        "2": f"2 ({SCALE[2]}): DESC-M1-2 thin record",
        "3": f"3 ({SCALE[3]}): DESC-M1-3 sound record",
        "4": f"4 ({SCALE[4]}): DESC-M1-4 eminent jurist",
    }
    # Without descriptors, the generic words of the scale; N/A only where the rubric allows it.
    assert radio_labels(page, world.criteria["M2"].id) == {
        str(n): f"{n}: {SCALE[n]}" for n in SCALE
    }
    assert radio_labels(page, world.criteria["M5"].id)["na"] == "Not applicable (N/A)"
    assert page.count('value="na"') == 1
    assert "Weight 2 · On the papers" in page and "May be scored not applicable (N/A)" in page
    # The criterion scored after the interview is not on the form yet, and the page says why.
    assert f'name="value_{world.criteria["M7"].id}"' not in page
    assert "These criteria are scored after the interview" in page


def test_not_applicable_is_saved_from_the_form_and_shown_as_na_when_locked(app, session):
    world = make_world(session)
    member, m5 = world.members[0], world.criteria["M5"]
    data = {f"value_{m5.id}": "na", f"rationale_{m5.id}": "No work on victims is claimed."}
    client = client_for(app, member)
    assert client.post(f"/panel/{world.candidacy.public_id}/scores", data=data).status_code == 302
    saved = session.scalars(sa.select(Score)).one()
    assert (saved.criterion_id, saved.value) == (m5.id, None)
    # Where N/A is not allowed, the form refuses the choice and nothing is saved.
    m1 = world.criteria["M1"]
    before = snapshot(session)
    refused = client.post(
        f"/panel/{world.candidacy.public_id}/scores",
        data={f"value_{m1.id}": "na", f"rationale_{m1.id}": "Moot."},
    )
    assert refused.status_code == 422 and "Not a valid choice" in text_of(refused)
    session.expire_all()
    assert snapshot(session)[:3] == before[:3]  # scores, versions, locks (reads are audited)


def test_sheet_shows_na_and_leaves_it_out_of_the_figures_when_everyone_has_locked(app, session):
    world = make_world(session)
    score_now(session, world, world.chair, values={"M5": None}, lock=True)
    score_now(session, world, world.members[0], value=2, lock=True)
    score_now(session, world, world.members[1], value=4, lock=True)
    session.commit()
    page = text_of(client_for(app, world.chair).get(f"/panel/{world.candidacy.public_id}"))
    sheet = page[page.index("The panel's locked scores") :]
    m5 = sheet[sheet.index("M5 ") : sheet.index("M6 ")]
    # 2 and 4 with one N/A: mean 3.0, median 3.0, spread 2, and the N/A counted apart.
    assert "Mean 3.0, median 3.0, spread 2" in m5
    assert "Not applicable: 1 (left out of the figures)." in m5
    assert re.search(r"Chris Chair \(me\)</th>\s*<td>N/A</td>", m5)


# -- the phases and their locks ------------------------------------------------------------


def test_lock_refuses_an_unknown_or_closed_phase_and_changes_nothing_when_posted(app, session):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member)
    session.commit()
    client = client_for(app, member)
    before = snapshot(session)
    for phase, message in (
        ("whenever", "Choose the scores to lock"),
        ("post_interview", "Scores after the interview are not open at this stage."),
    ):
        response = client.post(
            f"/panel/{world.candidacy.public_id}/lock",
            data={"phase": phase},
            follow_redirects=True,
        )
        assert message in text_of(response)
        session.expire_all()
        assert snapshot(session)[:3] == before[:3]  # scores, versions, locks


def test_interview_phase_is_scored_and_locked_on_the_dossier_when_at_the_interview(app, session):
    world = make_world(session)
    to_interview(session, world)
    member, m7 = world.members[0], world.criteria["M7"]
    client = client_for(app, member)
    page = text_of(client.get(f"/panel/{world.candidacy.public_id}"))
    assert f'name="value_{m7.id}"' in page
    assert f'name="value_{world.criteria["M1"].id}"' not in page  # locked: revised instead
    assert "On the papers: locked" in page and "Lock my scores after the interview" in page
    posted = client.post(
        f"/panel/{world.candidacy.public_id}/scores",
        data={f"value_{m7.id}": "4", f"rationale_{m7.id}": "Clear and measured."},
    )
    assert posted.status_code == 302
    client.post(f"/panel/{world.candidacy.public_id}/lock", data={"phase": "post_interview"})
    session.expire_all()
    mine = assignment_of(session, world.candidacy, member)
    assert mine.interview_locked_at is not None


# -- nothing before one's own lock ---------------------------------------------------------


def _phase_split(session, world):
    """At the interview: the chair and the first member have locked both phases (M7 rationale
    a canary); the second member has locked the papers only."""
    to_interview(session, world)
    score_now(session, world, world.chair, value=4, rationale="CANARY-M7-chair", lock=True)
    score_now(session, world, world.members[0], value=1, rationale="CANARY-M7-first", lock=True)
    session.commit()


def test_dossier_shows_others_paper_scores_but_not_the_interview_phase_before_its_lock(
    app, session
):
    world = make_world(session)
    _phase_split(session, world)
    second = world.members[1]
    page = text_of(client_for(app, second).get(f"/panel/{world.candidacy.public_id}"))
    assert "Chris Chair" in page and "M1 assessed" in page  # the papers: locked by all
    assert "CANARY-M7" not in page
    sheet = page[page.index("The panel's locked scores") :]
    assert "M7 " not in sheet


def test_deliberation_page_hides_a_phase_and_its_statistics_when_the_chair_has_not_locked_it(
    app, session
):
    world = make_world(session)
    to_interview(session, world)
    for member in world.members:
        score_now(session, world, member, value=1, rationale="CANARY-M7", lock=True)
    session.commit()
    page = client_for(app, world.chair).get(f"/panel/{world.candidacy.public_id}/deliberation")
    assert page.status_code == 200
    text = text_of(page)
    m7 = world.criteria["M7"].id
    assert "CANARY-M7" not in text
    assert f"criterion-{m7}-h" not in text and f"chart-{m7}-title" not in text
    assert "Criteria of a phase you have not locked are not shown." in text
    # The members' paper scores are there, the chair having locked the papers.
    assert "Morgan Member 1" in text


def test_guard_tells_an_unlocked_chair_to_lock_and_not_how_many_others_have(app, session):
    world = make_world(session, later=())
    for member in world.members:
        score_now(session, world, member, lock=True)
    session.commit()
    client = client_for(app, world.chair)
    response = client.post(
        f"/panel/{world.candidacy.public_id}/deliberation/open", follow_redirects=True
    )
    alerts = " ".join(re.findall(r'class="alert[^"]*"[^>]*>([^<]*)<', text_of(response)))
    assert "You have not locked your own scores yet." in alerts
    assert "reviewer(s)" not in alerts


def test_assignments_list_is_the_same_whether_or_not_others_have_locked(app, session):
    world = make_world(session)
    member = world.members[0]
    client = client_for(app, member)

    def listing() -> str:
        return re.sub(r'value="[^"]*"', "", text_of(client.get("/panel")))

    before = listing()
    score_now(session, world, world.chair, lock=True)
    score_now(session, world, world.members[1], lock=True)
    session.commit()
    assert listing() == before
    assert "Not locked" in before


def test_first_exposure_waits_for_another_reviewers_score_when_alone_to_lock(app, session):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member, lock=True)
    session.commit()
    client = client_for(app, member)
    client.get(f"/panel/{world.candidacy.public_id}")
    session.expire_all()
    assert assignment_of(session, world.candidacy, member).first_saw_others_at is None
    score_now(session, world, world.chair, lock=True)
    session.commit()
    client.get(f"/panel/{world.candidacy.public_id}")
    session.expire_all()
    assert assignment_of(session, world.candidacy, member).first_saw_others_at is not None


# -- revisions -----------------------------------------------------------------------------


def _revise(client, world, code, **fields):
    criterion = world.criteria[code]
    prefix = f"revise-{criterion.id}"
    return client.post(
        f"/panel/{world.candidacy.public_id}/scores/{criterion.id}/revise",
        data={f"{prefix}-{name}": value for name, value in fields.items()},
    )


def test_revision_after_seeing_others_is_flagged_on_the_sheet_and_the_deliberation_page(
    app, session
):
    world = make_world(session, later=())
    member = world.members[0]
    score_now(session, world, world.chair, value=3, lock=True)
    score_now(session, world, world.members[1], value=3, lock=True)
    score_now(session, world, member, value=2, lock=True)
    session.commit()
    client = client_for(app, member)
    client.get(f"/panel/{world.candidacy.public_id}")  # the others' scores are shown
    response = _revise(
        client,
        world,
        "M2",
        value="3",
        rationale="The appeal judgments show more than I credited.",
        reason="The chair's reading of the 2019 appeals persuaded me.",
    )
    assert response.status_code == 302
    revision = session.scalars(sa.select(ScoreRevision)).one()
    assert (revision.value, revision.after_exposure) == (2, True)
    flag = "Changed after seeing others' scores"
    change = "2 to 3"
    reason = "The chair's reading of the 2019 appeals persuaded me."
    dossier = text_of(client.get(f"/panel/{world.candidacy.public_id}"))
    assert flag in dossier and change in dossier and reason in dossier
    assert "Score 2, rationale: M2 assessed" in dossier  # the earlier version
    deliberation = text_of(
        client_for(app, world.chair).get(f"/panel/{world.candidacy.public_id}/deliberation")
    )
    assert "Scores changed after their authors had seen other reviewers' scores:" in deliberation
    assert f"M2, Morgan Member 1: 2 to 3, reason: {reason}" in deliberation
    assert flag in deliberation and "Score 2, rationale: M2 assessed" in deliberation


def test_revision_before_exposure_is_kept_but_not_flagged_when_nobody_else_has_locked(app, session):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member, value=2, lock=True)
    session.commit()
    client = client_for(app, member)
    response = _revise(client, world, "M1", value="1", rationale="Weaker.", reason="Re-read.")
    assert response.status_code == 302
    page = text_of(client.get(f"/panel/{world.candidacy.public_id}"))
    assert "Changed after the lock" in page and "Changed after seeing others' scores" not in page


def test_revision_is_refused_and_changes_nothing_when_the_reason_is_missing(app, session):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member, lock=True)
    expose(session, world, member)
    client = client_for(app, member)
    before = snapshot(session)
    response = _revise(client, world, "M1", value="4", rationale="Better.", reason="")
    assert response.status_code == 422
    assert "Give the reason for the change." in text_of(response)
    session.expire_all()
    after = snapshot(session)
    assert after[:3] == before[:3]  # scores, versions and locks; the re-render reads are audited


def test_revision_of_an_unknown_criterion_or_by_a_recused_chair_answers_404(app, session):
    world = make_world(session, recused_chair=True)
    score_now(session, world, world.members[0], lock=True)
    session.commit()
    client = client_for(app, world.members[0])
    url = f"/panel/{world.candidacy.public_id}/scores/999999/revise"
    assert client.post(url, data={}).status_code == 404
    cochair = session.scalar(sa.select(User).where(User.email == "cochair@example.org"))
    recused = client_for(app, cochair)
    assert _revise(recused, world, "M1", value="1", rationale="x", reason="y").status_code == 404


# -- statement counts ----------------------------------------------------------------------


@contextmanager
def counting(app) -> Iterator[list[str]]:
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


def test_dossier_and_deliberation_run_the_same_statements_when_panel_and_revisions_grow(
    app, session
):
    counts = []
    for members, domain in ((2, "small.example.org"), (5, "large.example.org")):
        world = make_world(session, members=members, domain=domain, later=())
        for reviewer in world.reviewers:
            score_now(session, world, reviewer, value=2, lock=True)
            expose(session, world, reviewer)
        # Every member revises two scores after exposure: more rows, more versions.
        for reviewer in world.members:
            for code in ("M1", "M2"):
                panel.revise_score(
                    session,
                    reviewer,
                    world.candidacy,
                    assignment_of(session, world.candidacy, reviewer),
                    panel.ScoreInput(world.criteria[code].id, 3, "Revised."),
                    reason="Discussed.",
                )
        session.commit()
        client = client_for(app, world.chair)
        urls = [
            f"/panel/{world.candidacy.public_id}",
            f"/panel/{world.candidacy.public_id}/deliberation",
        ]
        measured = []
        for url in urls:
            with counting(app) as statements:
                assert client.get(url).status_code == 200
            measured.append(len(statements))
        counts.append(measured)
    assert counts[0] == counts[1]
