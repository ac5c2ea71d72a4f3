from __future__ import annotations

import pytest

from vetting.domain.offices import (
    RULES,
    default_voting_requirements,
    nomination_problems,
    rules_for,
)
from vetting.domain.vocabulary import (
    Gate,
    JudgeList,
    NominationBasis,
    Office,
    RegionalGroup,
    RequirementDimension,
)

NON_JUDICIAL = [o for o in Office if o is not Office.JUDGE]


def test_every_office_has_rules_when_listed():
    assert set(RULES) == set(Office)


def test_judges_need_a_list_both_bases_and_all_five_gates_when_judicial():
    rules = rules_for(Office.JUDGE)
    assert rules.judicial and rules.needs_list and rules.has_voting_requirements
    assert rules.checks_judges_in_office
    assert rules.bases == {NominationBasis.NATIONAL_JUDICIAL, NominationBasis.PCA_NATIONAL_GROUP}
    assert rules.gates == (Gate.G1, Gate.G2, Gate.G3, Gate.G4, Gate.G5)


@pytest.mark.parametrize("office", NON_JUDICIAL)
def test_other_offices_skip_the_list_gate_and_take_another_basis_when_not_judicial(office):
    rules = rules_for(office)
    assert not rules.needs_list and not rules.has_voting_requirements
    assert not rules.checks_judges_in_office
    assert Gate.G3 not in rules.gates and Gate.G1 in rules.gates and Gate.G5 in rules.gates
    assert rules.bases == {NominationBasis.OTHER}


@pytest.mark.parametrize(
    ("office", "has_g4"),
    [
        (Office.PROSECUTOR, True),
        (Office.DEPUTY_PROSECUTOR, True),
        (Office.REGISTRAR, True),
        (Office.TFV_BOARD, False),
        (Office.CBF, False),
        (Office.ACN, False),
        (Office.OTHER, False),
    ],
)
def test_language_gate_applies_to_statute_offices_when_fluency_is_a_criterion(office, has_g4):
    assert (Gate.G4 in rules_for(office).gates) is has_g4


def _problems(office=Office.JUDGE, **overrides):
    values = {
        "judge_list": JudgeList.A,
        "basis": NominationBasis.NATIONAL_JUDICIAL,
        "national_procedure": "Selected by the judicial council after a public call.",
        "statement": "Thirty years on the bench.",
    }
    values.update(overrides)
    return nomination_problems(office, **values)


def test_a_complete_judicial_nomination_has_no_problem_when_all_is_given():
    assert _problems() == []
    assert _problems(basis=NominationBasis.PCA_NATIONAL_GROUP) == []


def test_each_missing_part_is_named_when_a_judicial_nomination_is_incomplete():
    assert _problems(
        judge_list=JudgeList.NONE, basis=None, national_procedure=" ", statement=""
    ) == [
        "A candidate for judge must be on List A or List B.",
        "Choose the basis of the nomination.",
        "Describe the national procedure by which the candidate was chosen.",
        "The statement of qualifications is required.",
    ]


def test_other_basis_is_refused_when_the_office_is_judge():
    assert _problems(basis=NominationBasis.OTHER) == [
        "A judge is nominated under article 36(4)(a)(i) (the procedure for the highest "
        "judicial offices) or 36(4)(a)(ii) (the ICJ Statute's procedure)."
    ]


def test_article_36_basis_and_a_list_are_refused_when_the_office_is_not_judicial():
    assert (
        _problems(Office.PROSECUTOR, basis=NominationBasis.OTHER, judge_list=JudgeList.NONE) == []
    )
    assert _problems(
        Office.CBF, basis=NominationBasis.NATIONAL_JUDICIAL, judge_list=JudgeList.B
    ) == [
        "Lists A and B are for judicial elections only: choose none.",
        "Article 36(4)(a) concerns judges only: for this office, choose another national "
        "procedure and describe it.",
    ]


def test_default_requirements_are_the_bench_minimums_pro_rata_when_six_seats():
    minimums = default_voting_requirements(6)
    # 9 x 6/18 = 3; 5 x 6/18 = 1.67 -> 2; 6 x 6/18 = 2; 2 x 6/18 = 0.67 -> 1.
    assert minimums[(RequirementDimension.LIST, "a")] == 3
    assert minimums[(RequirementDimension.LIST, "b")] == 2
    assert minimums[(RequirementDimension.GENDER, "female")] == 2
    assert minimums[(RequirementDimension.GENDER, "male")] == 2
    for group in RegionalGroup:
        assert minimums[(RequirementDimension.REGIONAL_GROUP, group.value)] == 1
    assert len(minimums) == 2 + 2 + len(RegionalGroup)


def test_default_requirements_round_up_when_seats_are_few():
    minimums = default_voting_requirements(1)
    # 9/18 = 0.5 -> 1; 2/18 -> 1.
    assert minimums[(RequirementDimension.LIST, "a")] == 1
    assert minimums[(RequirementDimension.REGIONAL_GROUP, "african")] == 1
    assert default_voting_requirements(18)[(RequirementDimension.LIST, "a")] == 9
    assert default_voting_requirements(0) == {}
