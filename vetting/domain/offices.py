"""What each office asks of a nomination (Rome Statute arts 36, 42, 43; domain.md, "Offices and
their rules"): whether the candidate is on List A or B, which nomination bases are allowed,
which eligibility gates apply, and, for judicial elections, the default minimum voting
requirements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from vetting.domain.vocabulary import (
    Gate,
    Gender,
    JudgeList,
    NominationBasis,
    Office,
    RegionalGroup,
    RequirementDimension,
)

ALL_GATES = (Gate.G1, Gate.G2, Gate.G3, Gate.G4, Gate.G5)
# Every office but the judges' and the ASP bodies': fluent English or French is a criterion
# (arts 42(3), 43(3)), so G4 applies; the List A/B gate (G3) is the judges' alone.
_STATUTE_OFFICE_GATES = (Gate.G1, Gate.G2, Gate.G4, Gate.G5)
_BODY_GATES = (Gate.G1, Gate.G2, Gate.G5)

# Nationality clashes (art. 36(7)) and the minimum voting requirements concern the bench only.
JUDICIAL_BASES = frozenset({NominationBasis.NATIONAL_JUDICIAL, NominationBasis.PCA_NATIONAL_GROUP})
OTHER_BASES = frozenset({NominationBasis.OTHER})

# The bench: 18 judges (art. 36(1)), a third elected every three years.
BENCH_SEATS = 18
# The minimums of the bench as a whole (ICC-ASP/3/Res.6): at least nine List A and five List B
# judges, six of each gender, two of each regional group.
BENCH_MINIMUMS: dict[tuple[RequirementDimension, str], int] = {
    (RequirementDimension.LIST, JudgeList.A.value): 9,
    (RequirementDimension.LIST, JudgeList.B.value): 5,
    (RequirementDimension.GENDER, Gender.FEMALE.value): 6,
    (RequirementDimension.GENDER, Gender.MALE.value): 6,
    **{(RequirementDimension.REGIONAL_GROUP, g.value): 2 for g in RegionalGroup},
}


@dataclass(frozen=True)
class OfficeRules:
    office: Office
    judicial: bool
    # Whether the candidate is on List A or List B (art. 36(5)).
    needs_list: bool
    bases: frozenset[NominationBasis]
    gates: tuple[Gate, ...]

    @property
    def checks_judges_in_office(self) -> bool:
        """No two judges may be nationals of the same State (art. 36(7))."""
        return self.judicial

    @property
    def has_voting_requirements(self) -> bool:
        return self.judicial


RULES: dict[Office, OfficeRules] = {
    Office.JUDGE: OfficeRules(Office.JUDGE, True, True, JUDICIAL_BASES, ALL_GATES),
    Office.PROSECUTOR: OfficeRules(
        Office.PROSECUTOR, False, False, OTHER_BASES, _STATUTE_OFFICE_GATES
    ),
    Office.DEPUTY_PROSECUTOR: OfficeRules(
        Office.DEPUTY_PROSECUTOR, False, False, OTHER_BASES, _STATUTE_OFFICE_GATES
    ),
    Office.REGISTRAR: OfficeRules(
        Office.REGISTRAR, False, False, OTHER_BASES, _STATUTE_OFFICE_GATES
    ),
    Office.TFV_BOARD: OfficeRules(Office.TFV_BOARD, False, False, OTHER_BASES, _BODY_GATES),
    Office.CBF: OfficeRules(Office.CBF, False, False, OTHER_BASES, _BODY_GATES),
    Office.ACN: OfficeRules(Office.ACN, False, False, OTHER_BASES, _BODY_GATES),
    Office.OTHER: OfficeRules(Office.OTHER, False, False, OTHER_BASES, _BODY_GATES),
}


def rules_for(office: Office) -> OfficeRules:
    return RULES[office]


def nomination_problems(
    office: Office,
    *,
    judge_list: JudgeList,
    basis: NominationBasis | None,
    national_procedure: str,
    statement: str,
) -> list[str]:
    """What the office's rules find wrong with a nomination, each in words for the user."""
    rules = rules_for(office)
    problems = []
    if rules.needs_list and judge_list is JudgeList.NONE:
        problems.append("A candidate for judge must be on List A or List B.")
    if not rules.needs_list and judge_list is not JudgeList.NONE:
        problems.append("Lists A and B are for judicial elections only: choose none.")
    if basis is None:
        problems.append("Choose the basis of the nomination.")
    elif basis not in rules.bases:
        if rules.judicial:
            problems.append(
                "A judge is nominated under article 36(4)(a)(i) (the procedure for the highest "
                "judicial offices) or 36(4)(a)(ii) (the ICJ Statute's procedure)."
            )
        else:
            problems.append(
                "Article 36(4)(a) concerns judges only: for this office, choose another "
                "national procedure and describe it."
            )
    if not national_procedure.strip():
        problems.append("Describe the national procedure by which the candidate was chosen.")
    if not statement.strip():
        problems.append("The statement of qualifications is required.")
    return problems


def default_voting_requirements(seats: int) -> dict[tuple[RequirementDimension, str], int]:
    """The default minimums of a judicial election of `seats` seats: the bench's minimums in
    proportion to the seats filled, rounded up (six seats: three List A, two List B, two of
    each gender, one of each regional group). The secretariat adjusts them per election to the
    judges who remain in office [I]."""
    if seats < 1:
        return {}
    return {
        key: math.ceil(minimum * seats / BENCH_SEATS) for key, minimum in BENCH_MINIMUMS.items()
    }
