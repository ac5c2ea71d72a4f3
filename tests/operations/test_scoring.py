"""Scoring operations in two phases: saving, N/A, the lock of each phase, revisions after a lock
(before and after first exposure, versions kept), the deliberation guard, the all-locked notice,
and the election-wide ratings a viewer may see. Every refusal leaves everything as it was."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.scoring_world import (
    assignment_of,
    audit_data,
    expose,
    make_world,
    score_now,
    snapshot,
    to_interview,
)
from vetting.domain.events import AuditAction
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ScorePhase
from vetting.models import Notice, Score, ScoreRevision
from vetting.notices import NoticeKind
from vetting.notices.rendering import render
from vetting.operations import Refused, panel, workflow
from vetting.operations.agreement import visible_ratings
from vetting.scenarios import score_all, walk


def _save(session, world, user, items):
    """items: (code, value, rationale)."""
    panel.save_scores(
        session,
        user,
        world.candidacy,
        assignment_of(session, world.candidacy, user),
        [panel.ScoreInput(world.criteria[code].id, value, text) for code, value, text in items],
    )


def _refused(session, match, call, *args, **kwargs):
    """The call is refused with the message, and nothing at all has changed."""
    before = snapshot(session)
    with pytest.raises(Refused, match=match):
        call(*args, **kwargs)
    assert snapshot(session) == before
    session.rollback()


def _score_of(session, world, user, code) -> Score:
    return session.scalars(
        sa.select(Score).where(
            Score.assignment_id == assignment_of(session, world.candidacy, user).id,
            Score.criterion_id == world.criteria[code].id,
        )
    ).one()


# -- saving and N/A -----------------------------------------------------------------------


def test_post_interview_criteria_are_refused_when_the_candidacy_is_on_the_papers(session):
    world = make_world(session)
    member = world.members[0]
    _refused(
        session,
        "M7 is scored after the interview, not at this stage",
        _save,
        session,
        world,
        member,
        [("M1", 3, "Solid."), ("M7", 3, "Too early.")],
    )
    _save(session, world, member, [("M1", 3, "Solid.")])
    assert session.scalar(sa.select(sa.func.count(Score.id))) == 1


def test_not_applicable_is_saved_with_its_rationale_when_the_criterion_allows_it(session):
    world = make_world(session)
    member = world.members[0]
    _save(session, world, member, [("M5", None, "Claims no such expertise."), ("M1", 4, "Fine.")])
    score = _score_of(session, world, member, "M5")
    assert (score.value, score.rationale) == (None, "Claims no such expertise.")
    data = json.loads(audit_data(session, AuditAction.SCORE_SAVE)[-1])
    assert data["not_applicable"] == [world.criteria["M5"].id]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([("M1", None, "Does not apply.")], "M1 cannot be scored as not applicable"),
        ([("M5", None, "   ")], "Every score needs a rationale"),
        ([("M2", 0, "Zero.")], "whole numbers from 1 to 4"),
        ([("M2", 3, "a"), ("M2", 4, "b")], "scored twice"),
        ([], "Score at least one criterion"),
    ],
)
def test_bad_scores_are_refused_and_nothing_changes_when_saved(session, items, message):
    world = make_world(session)
    _refused(session, message, _save, session, world, world.members[0], items)
    assert session.scalar(sa.select(sa.func.count(Score.id))) == 0


# -- the locks ----------------------------------------------------------------------------


def test_paper_lock_names_the_unscored_criteria_and_changes_nothing_when_one_is_missing(session):
    world = make_world(session)
    member = world.members[0]
    _save(session, world, member, [(c, 3, "ok") for c in ("M1", "M2", "M3", "M4", "M5")])
    session.commit()
    mine = assignment_of(session, world.candidacy, member)
    _refused(
        session,
        r"1 criterion\(s\) still have no score \(M6\)",
        panel.lock_scores,
        session,
        member,
        world.candidacy,
        mine,
    )


def test_paper_lock_leaves_the_interview_phase_open_when_the_papers_are_scored(session):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member)
    mine = assignment_of(session, world.candidacy, member)
    assert panel.lock_scores(session, member, world.candidacy, mine) is ScorePhase.PAPER
    session.commit()
    assert mine.locked_at is not None and mine.interview_locked_at is None
    assert json.loads(audit_data(session, AuditAction.SCORE_LOCK)[-1]) == {"phase": "paper"}
    # The post-interview phase cannot be locked before the interview, nor the papers twice.
    _refused(
        session,
        "Scores after the interview are not open at this stage",
        panel.lock_scores,
        session,
        member,
        world.candidacy,
        mine,
        ScorePhase.POST_INTERVIEW,
    )
    mine = assignment_of(session, world.candidacy, member)
    _refused(
        session,
        "already locked",
        panel.lock_scores,
        session,
        member,
        world.candidacy,
        mine,
        ScorePhase.PAPER,
    )
    # A locked phase is no longer saved as a draft: it is revised, with a reason.
    _refused(
        session, "M1 is locked: revise it", _save, session, world, member, [("M1", 2, "Again.")]
    )


def test_interview_phase_is_scored_and_locked_when_the_candidacy_is_at_the_interview(session):
    world = make_world(session)
    to_interview(session, world)
    member = world.members[0]
    mine = assignment_of(session, world.candidacy, member)
    _refused(
        session,
        r"1 criterion\(s\) still have no score \(M7\)",
        panel.lock_scores,
        session,
        member,
        world.candidacy,
        mine,
    )
    _save(session, world, member, [("M7", 4, "Clear, measured answers.")])
    mine = assignment_of(session, world.candidacy, member)
    assert panel.lock_scores(session, member, world.candidacy, mine) is ScorePhase.POST_INTERVIEW
    session.commit()
    assert mine.interview_locked_at is not None
    _refused(
        session,
        "nothing left to lock",
        panel.lock_scores,
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
    )


def test_a_rubric_without_a_phase_refuses_to_lock_it_when_asked(session):
    world = make_world(session, later=())
    member = world.members[0]
    score_now(session, world, member)
    _refused(
        session,
        "no criteria scored after the interview",
        panel.lock_scores,
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
        ScorePhase.POST_INTERVIEW,
    )


# -- the guard and the notice -------------------------------------------------------------


def test_deliberation_waits_for_every_interview_lock_when_the_rubric_scores_after_it(session):
    world = make_world(session)
    for reviewer in world.reviewers:
        score_now(session, world, reviewer, lock=True)
    session.commit()
    # Straight from the papers: refused, the interview is required.
    _refused(
        session,
        "invite the candidate to an interview before deliberation opens",
        panel.open_deliberation,
        session,
        world.chair,
        world.candidacy,
    )
    to_interview(session, world)
    score_now(session, world, world.chair, lock=True)
    session.commit()
    _refused(
        session,
        r"2 reviewer\(s\) have not locked their scores after the interview",
        panel.open_deliberation,
        session,
        world.chair,
        world.candidacy,
    )
    for member in world.members:
        score_now(session, world, member, lock=True)
    panel.open_deliberation(session, world.chair, world.candidacy)
    assert world.candidacy.stage is Stage.DELIBERATION


def test_the_guard_names_the_chairs_own_lock_when_the_chair_has_not_locked(session):
    world = make_world(session, later=())
    for member in world.members:
        score_now(session, world, member, lock=True)
    session.commit()
    # Two others have locked: the chair, unlocked, is not told how many.
    _refused(
        session,
        "^You have not locked your own scores yet.$",
        panel.open_deliberation,
        session,
        world.chair,
        world.candidacy,
    )


def test_deliberation_opens_from_the_papers_when_the_rubric_scores_nothing_after(session):
    world = make_world(session, later=())
    score_all(session, world.people, world.candidacy)
    panel.open_deliberation(session, world.chair, world.candidacy)
    assert world.candidacy.stage is Stage.DELIBERATION


def test_guard_facts_take_three_statements_when_the_panel_grows(session):
    counts = []
    for members, domain in ((1, "small.example.org"), (4, "large.example.org")):
        world = make_world(session, members=members, domain=domain)
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args, into=statements):  # noqa: ANN001
            into.append(statement)

        # Loaded before counting: the objects expired at the world's commit.
        assert world.candidacy.election_id and world.chair.id
        engine = session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            facts = workflow.gather_facts(session, world.candidacy, world.chair)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        assert facts.assigned_reviewers >= members + 1
        assert facts.has_post_interview_criteria and facts.actor_unlocked
        counts.append(len(statements))
    assert counts == [3, 3]


def test_all_locked_is_sent_per_phase_to_the_assigned_chair_and_never_to_a_recused_one(session):
    world = make_world(session, recused_chair=True)

    def notices() -> list[tuple[int, str, str]]:
        return list(
            session.execute(
                sa.select(Notice.recipient_user_id, Notice.subject, Notice.body)
                .where(Notice.kind == "all_locked")
                .order_by(Notice.id)
            ).all()
        )

    for member in world.members:
        score_now(session, world, member, lock=True)
    assert notices() == []  # the chair has not locked the papers yet
    to_interview(session, world)
    (papers,) = notices()
    assert papers[0] == world.chair.id
    assert papers[1] == "Scores on the papers locked: Amina Diallo"
    assert "can be invited to the interview" in papers[2]
    for reviewer in world.reviewers:
        score_now(session, world, reviewer, lock=True)
    assert [n[:2] for n in notices()] == [
        (world.chair.id, "Scores on the papers locked: Amina Diallo"),
        (world.chair.id, "All scores locked: Amina Diallo"),
    ]


def test_all_locked_comes_once_when_the_rubric_has_only_the_papers(session):
    world = make_world(session, later=())
    for reviewer in world.reviewers:
        score_now(session, world, reviewer, lock=True)
    subjects = session.scalars(sa.select(Notice.subject).where(Notice.kind == "all_locked")).all()
    assert subjects == ["All scores locked: Amina Diallo"]


def test_the_papers_notice_is_in_french_when_rendered_in_french():
    context = {"candidate": "Amina Diallo", "phase": "paper"}
    english = render(NoticeKind.ALL_LOCKED, "en", context)
    french = render(NoticeKind.ALL_LOCKED, "fr", context)
    assert english[0] == "Scores on the papers locked: Amina Diallo"
    assert french[0] == "Notes sur dossier verrouillées : Amina Diallo"
    assert "invité à l’entretien" in french[1]


# -- revisions ----------------------------------------------------------------------------


def test_a_score_before_its_lock_is_changed_on_the_form_not_revised_when_unlocked(session):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member)
    _refused(
        session,
        "not locked: change M1 on the scoring form",
        panel.revise_score,
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
        panel.ScoreInput(world.criteria["M1"].id, 4, "Better."),
        reason="Re-read.",
    )


def test_revision_keeps_the_earlier_version_and_is_not_flagged_when_before_exposure(session):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member, value=2, lock=True)
    revision = panel.revise_score(
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
        panel.ScoreInput(world.criteria["M2"].id, 3, "The 2019 appeal judgment shows more."),
        reason="I had missed the appeal judgments.",
    )
    score = _score_of(session, world, member, "M2")
    assert (score.value, score.rationale) == (3, "The 2019 appeal judgment shows more.")
    assert not score.changed_after_exposure
    kept = session.scalars(sa.select(ScoreRevision)).one()
    assert kept is revision
    assert (kept.score_id, kept.value, kept.rationale) == (score.id, 2, "M2 assessed")
    assert (kept.reason, kept.after_exposure, kept.revised_by_id) == (
        "I had missed the appeal judgments.",
        False,
        member.id,
    )
    data = json.loads(audit_data(session, AuditAction.SCORE_REVISE)[-1])
    assert data == {
        "criterion": world.criteria["M2"].id,
        "revision": kept.id,
        "phase": "paper",
        "after_exposure": False,
    }


def test_revision_is_flagged_as_after_exposure_when_the_reviewer_had_seen_others(session):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member, value=2, lock=True)
    expose(session, world, member)
    panel.revise_score(
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
        panel.ScoreInput(world.criteria["M5"].id, None, "On reflection the criterion is moot."),
        reason="The others convinced me it does not apply.",
    )
    score = _score_of(session, world, member, "M5")
    assert score.value is None and score.changed_after_exposure
    kept = session.scalars(sa.select(ScoreRevision)).one()
    assert (kept.value, kept.after_exposure) == (2, True)
    assert json.loads(audit_data(session, AuditAction.SCORE_REVISE)[-1])["after_exposure"] is True
    # A second change keeps both earlier versions, oldest first.
    panel.revise_score(
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
        panel.ScoreInput(world.criteria["M5"].id, 3, "Some work on victims after all."),
        reason="Found the 2018 report.",
    )
    versions = session.execute(
        sa.select(ScoreRevision.value, ScoreRevision.reason).order_by(ScoreRevision.id)
    ).all()
    assert versions == [
        (2, "The others convinced me it does not apply."),
        (None, "Found the 2018 report."),
    ]


@pytest.mark.parametrize(
    ("code", "value", "rationale", "reason", "message"),
    [
        ("M1", 4, "Better.", "   ", "Give the reason for the change"),
        ("M1", 3, "M1 assessed", "No change.", "Nothing changed"),
        ("M1", None, "Moot.", "Why not.", "M1 cannot be scored as not applicable"),
        ("M1", 4, "", "A reason.", "Every score needs a rationale"),
        ("M7", 4, "Early.", "A reason.", "are not locked: change M7"),
    ],
)
def test_bad_revisions_are_refused_and_change_nothing_when_asked(
    session, code, value, rationale, reason, message
):
    world = make_world(session)
    member = world.members[0]
    score_now(session, world, member, lock=True)
    session.commit()
    _refused(
        session,
        message,
        panel.revise_score,
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
        panel.ScoreInput(world.criteria[code].id, value, rationale),
        reason=reason,
    )


def test_revision_of_anothers_score_is_refused_when_the_assignment_is_not_mine(session):
    world = make_world(session)
    owner, other = world.members
    score_now(session, world, owner, lock=True)
    session.commit()
    _refused(
        session,
        "belongs to another reviewer",
        panel.revise_score,
        session,
        other,
        world.candidacy,
        assignment_of(session, world.candidacy, owner),
        panel.ScoreInput(world.criteria["M1"].id, 1, "Sabotage."),
        reason="None.",
    )


def test_revision_is_allowed_in_deliberation_and_refused_once_the_finding_is_adopted(session):
    world = make_world(session)
    walk(session, world.people, world.candidacy, Stage.DELIBERATION)
    member = world.members[0]
    change = panel.ScoreInput(world.criteria["M7"].id, 2, "Weaker than I first thought.")
    panel.revise_score(
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
        change,
        reason="Discussed the answers on case management.",
    )
    walk(session, world.people, world.candidacy, Stage.FINDING_ADOPTED)
    session.commit()
    _refused(
        session,
        "can no longer be changed at this stage",
        panel.revise_score,
        session,
        member,
        world.candidacy,
        assignment_of(session, world.candidacy, member),
        panel.ScoreInput(world.criteria["M7"].id, 4, "Back up."),
        reason="Second thoughts.",
    )


# -- what a viewer may see across the election --------------------------------------------


def test_visible_ratings_hold_a_phase_back_until_the_viewer_has_locked_it(session):
    world = make_world(session)
    to_interview(session, world)
    first, second = world.members
    score_now(session, world, world.chair, value=4, lock=True)
    score_now(session, world, first, value=2, lock=True)
    m7 = world.criteria["M7"].id
    # The second member has locked the papers only: the others' M7 stays hidden from them.
    mine = visible_ratings(session, world.candidacy.election_id, second.id)
    assert m7 not in {r.criterion_id for r in mine.ratings}
    assert len(mine.ratings) == 3 * 6  # three reviewers, six criteria on the papers
    # The chair sees M7 from those who locked it (themself and the first member), not more.
    chair = visible_ratings(session, world.candidacy.election_id, world.chair.id)
    assert sorted(r.value for r in chair.ratings if r.criterion_id == m7) == [2, 4]


def test_not_applicable_is_no_rating_when_the_election_figures_are_read(session):
    world = make_world(session)
    for reviewer in world.reviewers:
        score_now(session, world, reviewer, values={"M5": None}, lock=True)
    found = visible_ratings(session, world.candidacy.election_id, world.chair.id)
    assert world.criteria["M5"].id not in {r.criterion_id for r in found.ratings}
    assert len(found.ratings) == 3 * 5
