from __future__ import annotations

import pytest

from vetting.domain.rubric import (
    GENERIC_CRITERIA,
    JUDGE_CRITERIA,
    LEADERSHIP_CRITERIA,
    CriterionSpec,
    criterion_problems,
    default_criteria,
    frozen_problem,
    moved,
    normalise_code,
    removal_problem,
)
from vetting.domain.vocabulary import Office, ScorePhase

RUBRICS = {"judges": JUDGE_CRITERIA, "leadership": LEADERSHIP_CRITERIA, "generic": GENERIC_CRITERIA}
DESCRIBED = ("Level one.", "Level two.", "Level three.", "Level four.")


@pytest.mark.parametrize("name", RUBRICS)
def test_every_default_criterion_has_four_distinct_descriptors_when_seeded(name):
    for spec in RUBRICS[name]:
        assert len(spec.descriptors) == 4, spec.code
        assert all(text.strip() for text in spec.descriptors), spec.code
        assert len(set(spec.descriptors)) == 4, f"{spec.code}: levels must differ"
        # One sentence each, and specific: not the generic scale words.
        for text in spec.descriptors:
            assert text.endswith("."), (spec.code, text)
            assert len(text) <= 240, (spec.code, text)
            assert "meets the criterion" not in text.lower()


@pytest.mark.parametrize("name", RUBRICS)
def test_every_default_rubric_passes_the_editors_own_rules_when_checked(name):
    specs = RUBRICS[name]
    for spec in specs:
        others = [s.code for s in specs if s is not spec]
        assert criterion_problems(spec, others) == [], spec.code


def test_judges_communication_is_scored_after_the_interview_and_the_record_on_paper():
    phases = {s.code: s.phase for s in JUDGE_CRITERIA}
    assert phases["M7"] is ScorePhase.POST_INTERVIEW
    assert [c for c, p in phases.items() if p is ScorePhase.PAPER] == [
        "M1",
        "M2",
        "M3",
        "M4",
        "M5",
        "M6",
    ]


def test_only_the_judges_expertise_on_violence_may_be_not_applicable():
    allowing = [(name, s.code) for name, specs in RUBRICS.items() for s in specs if s.allows_na]
    assert allowing == [("judges", "M5")]


def test_every_default_rubric_has_an_interview_criterion_and_a_paper_one():
    for name, specs in RUBRICS.items():
        phases = {s.phase for s in specs}
        assert phases == {ScorePhase.PAPER, ScorePhase.POST_INTERVIEW}, name


@pytest.mark.parametrize(
    ("office", "rubric"),
    [
        (Office.JUDGE, JUDGE_CRITERIA),
        (Office.PROSECUTOR, LEADERSHIP_CRITERIA),
        (Office.DEPUTY_PROSECUTOR, LEADERSHIP_CRITERIA),
        (Office.REGISTRAR, LEADERSHIP_CRITERIA),
        (Office.TFV_BOARD, GENERIC_CRITERIA),
        (Office.CBF, GENERIC_CRITERIA),
    ],
)
def test_office_gets_its_default_rubric_when_an_election_is_created(office, rubric):
    assert default_criteria(office) is rubric


def _spec(**changes) -> CriterionSpec:
    values = {"code": "M8", "title": "Languages", "weight": 1, "descriptors": DESCRIBED}
    return CriterionSpec(**{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "others", "expected"),
    [
        ({}, ["M1"], []),
        ({"code": " m8 "}, ["M1"], []),
        ({"code": ""}, [], ["Give the criterion a code, such as M8."]),
        (
            {"code": "M 8"},
            [],
            ["A code is at most 8 letters, digits, dots or hyphens, such as M8."],
        ),
        (
            {"code": "M123456789"},
            [],
            ["A code is at most 8 letters, digits, dots or hyphens, such as M8."],
        ),
        (
            {"code": "m1"},
            ["M1"],
            ["The code M1 is already used by another criterion of this rubric."],
        ),
        ({"title": "  "}, [], ["Give the criterion a title."]),
        ({"title": "x" * 201}, [], ["The title is longer than 200 characters."]),
        ({"weight": 0}, [], ["The weight is a positive whole number (1 or more)."]),
        ({"weight": -2}, [], ["The weight is a positive whole number (1 or more)."]),
        ({"weight": 1.5}, [], ["The weight is a positive whole number (1 or more)."]),
        ({"weight": True}, [], ["The weight is a positive whole number (1 or more)."]),
        ({"weight": 101}, [], ["The weight is at most 100."]),
        (
            {"descriptors": ("A.", " ", "C.", "D.")},
            [],
            ["Describe what every level looks like on this criterion: level 2 has no descriptor."],
        ),
        (
            {"descriptors": ("", "B.", "", "")},
            [],
            [
                "Describe what every level looks like on this criterion: levels 1, 3, 4 have "
                "no descriptor."
            ],
        ),
        (
            {"descriptors": ("A.", "B.", "C.", "x" * 1001)},
            [],
            ["A descriptor is at most 1000 characters (level 4)."],
        ),
        (
            {"code": "", "title": "", "weight": 0},
            [],
            [
                "Give the criterion a code, such as M8.",
                "Give the criterion a title.",
                "The weight is a positive whole number (1 or more).",
            ],
        ),
    ],
)
def test_criterion_is_refused_with_every_reason_when_it_breaks_the_rules(changes, others, expected):
    assert criterion_problems(_spec(**changes), others) == expected


def test_code_is_compared_in_capitals_without_spaces():
    assert normalise_code("  m8.a ") == "M8.A"


def test_rubric_keeps_at_least_one_criterion_when_one_is_removed():
    assert removal_problem(2) is None
    assert "at least one criterion" in (removal_problem(1) or "")


def test_rubric_is_frozen_once_a_score_is_saved():
    assert frozen_problem(False) is None
    assert "frozen" in (frozen_problem(True) or "")


@pytest.mark.parametrize(
    ("item", "step", "expected"),
    [
        (2, -1, [2, 1, 3]),
        (2, 1, [1, 3, 2]),
        (1, -1, None),
        (3, 1, None),
        (1, 1, [2, 1, 3]),
    ],
)
def test_criterion_moves_one_place_when_it_has_a_neighbour(item, step, expected):
    assert moved([1, 2, 3], item, step) == expected
