from __future__ import annotations

from vetting.domain import questionnaire
from vetting.domain.scoring import summarise, weighted_mean

GOOD = {
    "motivation": "To serve.",
    "experience": "Trial judge.",
    "proceedings_choice": "no",
    "proceedings": "",
    "declaration": "y",
    "signature": "Amina  Diallo",
}


def test_complete_answers_pass_when_signed_with_the_registered_name():
    assert questionnaire.validate(GOOD, full_name="Amina Diallo", for_submission=True) == {}


def test_every_problem_is_listed_at_once_when_submission_is_incomplete():
    problems = questionnaire.validate({}, full_name="Amina Diallo", for_submission=True)
    assert set(problems) == {
        "motivation",
        "experience",
        "proceedings_choice",
        "declaration",
        "signature",
    }


def test_yes_needs_an_explanation_when_answered_yes():
    answers = {**GOOD, "proceedings_choice": "yes", "proceedings": "  "}
    problems = questionnaire.validate(answers, full_name="Amina Diallo", for_submission=True)
    assert problems == {"proceedings": "You answered yes: explain."}


def test_word_limit_is_enforced_when_submitting():
    answers = {**GOOD, "motivation": "word " * 401}
    problems = questionnaire.validate(answers, full_name="Amina Diallo", for_submission=True)
    assert "401 words" in problems["motivation"]


def test_drafts_are_only_size_checked_when_saved():
    assert questionnaire.validate({}, full_name="X", for_submission=False) == {}
    huge = {"motivation": "x" * (questionnaire.MAX_ANSWER_CHARS + 1)}
    assert "motivation" in questionnaire.validate(huge, full_name="X", for_submission=False)


def test_summary_matches_hand_computed_statistics_when_scores_vary():
    result = summarise([1, 2], [(1, 4), (1, 2), (1, 3), (2, 1), (9, 4)])
    first, second = result
    assert first.values == (2, 3, 4) and first.mean == 3.0 and first.median == 3
    assert first.spread == 2
    assert second.values == (1,) and second.mean == 1.0 and second.spread == 0


def test_criteria_without_scores_have_no_statistics_when_summarised():
    (only,) = summarise([5], [])
    assert only.values == () and only.mean is None and only.median is None


def test_weighted_mean_uses_the_weights_when_computed():
    assert weighted_mean({1: 4, 2: 1}, {1: 3, 2: 1}) == 3.25
    assert weighted_mean({}, {1: 1}) is None
