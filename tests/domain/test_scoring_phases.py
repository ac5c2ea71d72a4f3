"""The scoring rules without a database: phases and their stages, locks, "not applicable",
the figures that leave N/A out (checked against values computed by hand), revisions, and the
guards that hold deliberation until both phases are locked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vetting.domain import scoring
from vetting.domain.agreement import distribution, outlier_flags
from vetting.domain.roles import Role
from vetting.domain.scoring import (
    Change,
    Locks,
    Version,
    changes,
    is_revision_open,
    is_scoring_open,
    phases_to_score,
    score_problem,
    summarise,
    visible_phases,
    weighted_mean,
)
from vetting.domain.stages import Action, CandidacyFacts, Stage, TransitionRefused, check_transition
from vetting.domain.vocabulary import ScorePhase

PAPER = ScorePhase.PAPER
LATER = ScorePhase.POST_INTERVIEW
BOTH = {PAPER, LATER}

SCORING = {
    PAPER: {Stage.PAPER_SCORING, Stage.INTERVIEW},
    LATER: {Stage.INTERVIEW},
}
REVISING = {
    PAPER: {Stage.PAPER_SCORING, Stage.INTERVIEW, Stage.DELIBERATION, Stage.REPLY_PENDING},
    LATER: {Stage.INTERVIEW, Stage.DELIBERATION, Stage.REPLY_PENDING},
}


@pytest.mark.parametrize("phase", list(ScorePhase))
@pytest.mark.parametrize("stage", list(Stage))
def test_a_phase_is_scored_and_revised_only_in_its_stages_when_asked_for_every_stage(phase, stage):
    assert is_scoring_open(phase, stage) is (stage in SCORING[phase])
    assert is_revision_open(phase, stage) is (stage in REVISING[phase])


def test_no_score_changes_after_the_finding_when_any_phase_is_asked():
    for stage in (Stage.FINDING_ADOPTED, Stage.PUBLISHED, Stage.CLOSED, Stage.WITHDRAWN):
        assert not any(is_revision_open(phase, stage) for phase in ScorePhase)


@pytest.mark.parametrize(
    ("locks", "stage", "expected"),
    [
        (Locks(), Stage.PAPER_SCORING, [PAPER]),
        (Locks(paper=True), Stage.PAPER_SCORING, []),
        # A reviewer who has not locked the papers may still score them at the interview.
        (Locks(), Stage.INTERVIEW, [PAPER, LATER]),
        (Locks(paper=True), Stage.INTERVIEW, [LATER]),
        (Locks(paper=True, post_interview=True), Stage.INTERVIEW, []),
        (Locks(), Stage.DELIBERATION, []),
        (Locks(), Stage.QUESTIONNAIRE, []),
    ],
)
def test_phases_to_score_are_open_and_unlocked_when_the_rubric_has_both(locks, stage, expected):
    assert phases_to_score(locks, BOTH, stage) == expected


def test_a_phase_the_rubric_lacks_is_never_scored_nor_shown_when_absent():
    assert phases_to_score(Locks(), {PAPER}, Stage.INTERVIEW) == [PAPER]
    assert visible_phases(Locks(paper=True, post_interview=True), {LATER}) == [LATER]


@pytest.mark.parametrize(
    ("locks", "expected"),
    [
        (Locks(), []),
        (Locks(paper=True), [PAPER]),
        (Locks(post_interview=True), [LATER]),
        (Locks(paper=True, post_interview=True), [PAPER, LATER]),
    ],
)
def test_others_scores_of_a_phase_are_visible_only_when_own_phase_is_locked(locks, expected):
    assert visible_phases(locks, BOTH) == expected


@pytest.mark.parametrize(
    ("value", "rationale", "allows_na", "problem"),
    [
        (3, "Solid record.", False, None),
        (None, "Claims no such expertise.", True, None),
        (None, "Claims no such expertise.", False, "M1 cannot be scored as not applicable"),
        (None, "  ", True, "Every score needs a rationale"),
        (3, "", False, "Every score needs a rationale"),
        (0, "x", False, "whole numbers from 1 to 4"),
        (5, "x", True, "whole numbers from 1 to 4"),
    ],
)
def test_score_problem_names_what_is_wrong_when_value_or_rationale_is_bad(
    value, rationale, allows_na, problem
):
    found = score_problem(value, rationale, allows_na=allows_na, code="M1")
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_summary_leaves_not_applicable_out_when_computed_by_hand():
    # Criterion 1: 4, 2, N/A, 3, N/A -> values (2, 3, 4): mean 3.0, median 3, spread 2, 2 N/A.
    # Criterion 2: only N/A -> no figures, 1 N/A.
    first, second = summarise(
        [1, 2], [(1, 4), (1, 2), (1, None), (1, 3), (1, None), (2, None), (9, None)]
    )
    assert (first.values, first.mean, first.median, first.spread) == ((2, 3, 4), 3.0, 3, 2)
    assert first.not_applicable == 2
    assert (second.values, second.mean, second.median, second.spread) == ((), None, None, None)
    assert second.not_applicable == 1


def test_summary_mean_is_not_pulled_down_by_not_applicable_when_values_are_uneven():
    # 1 and 2 with a N/A: mean 1.5 (not 1.0 as if N/A were a zero), median 1.5, spread 1.
    (only,) = summarise([7], [(7, 1), (7, None), (7, 2)])
    assert (only.mean, only.median, only.spread, only.not_applicable) == (1.5, 1.5, 1, 1)


def test_weighted_mean_renormalises_the_weights_when_a_criterion_is_not_applicable():
    weights = {1: 2, 2: 2, 3: 1}
    # All scored: (4*2 + 2*2 + 3*1) / 5 = 15/5 = 3.0.
    assert weighted_mean({1: 4, 2: 2, 3: 3}, weights) == 3.0
    # Criterion 2 N/A: (4*2 + 3*1) / (2 + 1) = 11/3 = 3.67, not 11/5 = 2.2.
    assert weighted_mean({1: 4, 2: None, 3: 3}, weights) == 3.67
    # Everything N/A: no figure at all.
    assert weighted_mean({1: None, 2: None}, weights) is None


def test_distribution_and_outliers_skip_not_applicable_when_it_is_among_the_scores():
    assert distribution([1, None, 4, 4]) == {1: 1, 2: 0, 3: 0, 4: 2}
    # Scores 4, 4, N/A, 1: the 1 is 3 away from the median (4) of the others that are
    # values (4, 4); the N/A is never flagged and does not count as one of the others.
    assert outlier_flags([4, 4, None, 1]) == [False, False, False, True]
    # With the N/A left out, a value has only one other score: nothing can be an outlier.
    assert outlier_flags([4, None, 1]) == [False, False, False]


def _at(minute: int) -> datetime:
    return datetime(2026, 3, 1, 10, minute, tzinfo=UTC)


def test_changes_pair_each_earlier_version_with_what_replaced_it_when_revised_twice():
    versions = [
        Version(2, "Thin record.", "Re-read the judgments.", False, _at(1)),
        Version(3, "Good record.", "Saw the others; I was harsh.", True, _at(2)),
    ]
    assert changes(4, versions) == [
        Change(2, 3, "Re-read the judgments.", False, _at(1)),
        Change(3, 4, "Saw the others; I was harsh.", True, _at(2)),
    ]
    assert changes(None, versions[:1]) == [Change(2, None, "Re-read the judgments.", False, _at(1))]
    assert changes(3, []) == []


# -- the guards ---------------------------------------------------------------------------

READY = dict(assigned_reviewers=3, due_diligence_closed=True)


def _refusal(stage: Stage, action: Action, facts: CandidacyFacts) -> str | None:
    try:
        check_transition(stage, action, Role.PANEL_CHAIR, facts)
    except TransitionRefused as refused:
        return str(refused)
    return None


def test_deliberation_straight_from_the_papers_is_refused_when_criteria_follow_the_interview():
    facts = CandidacyFacts(**READY, has_post_interview_criteria=True)
    reason = _refusal(Stage.PAPER_SCORING, Action.OPEN_DELIBERATION, facts)
    assert reason is not None and "invite the candidate to an interview" in reason
    # Without such criteria, the papers are enough.
    assert _refusal(Stage.PAPER_SCORING, Action.OPEN_DELIBERATION, CandidacyFacts(**READY)) is None


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (
            CandidacyFacts(
                **READY, has_post_interview_criteria=True, interview_unlocked_reviewers=2
            ),
            "2 reviewer(s) have not locked their scores after the interview.",
        ),
        (
            CandidacyFacts(
                **READY,
                has_post_interview_criteria=True,
                interview_unlocked_reviewers=2,
                actor_interview_unlocked=True,
            ),
            "You have not locked your own scores after the interview yet.",
        ),
        (
            CandidacyFacts(**READY, has_post_interview_criteria=True, unlocked_reviewers=1),
            "1 reviewer(s) have not locked their scores.",
        ),
        (CandidacyFacts(**READY, has_post_interview_criteria=True), None),
        # Without criteria after the interview, the interview locks do not count.
        (CandidacyFacts(**READY, interview_unlocked_reviewers=3), None),
    ],
)
def test_deliberation_from_the_interview_needs_both_phases_locked_when_the_rubric_has_both(
    facts, message
):
    assert _refusal(Stage.INTERVIEW, Action.OPEN_DELIBERATION, facts) == message


def test_interview_invitation_needs_only_the_papers_locked_when_asked():
    facts = CandidacyFacts(
        **READY, has_post_interview_criteria=True, interview_unlocked_reviewers=3
    )
    assert _refusal(Stage.PAPER_SCORING, Action.INVITE_TO_INTERVIEW, facts) is None
    unlocked = CandidacyFacts(**READY, unlocked_reviewers=2, actor_unlocked=True)
    # The chair who has not locked hears about their own lock, not how many others have.
    assert (
        _refusal(Stage.PAPER_SCORING, Action.INVITE_TO_INTERVIEW, unlocked)
        == "You have not locked your own scores yet."
    )


def test_phases_are_listed_in_their_order_when_iterated():
    assert scoring.PHASES == (PAPER, LATER)
