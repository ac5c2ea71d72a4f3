"""The default rubric for judicial elections (domain.md, 'Rubric for judges')."""

from __future__ import annotations

from dataclasses import dataclass

from vetting.domain.vocabulary import Office


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    title: str
    weight: int = 1


JUDGE_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec("M1", "Legal expertise", 2),
    CriterionSpec("M2", "Trial and judicial experience with complex proceedings", 2),
    CriterionSpec("M3", "Independence and impartiality", 2),
    CriterionSpec("M4", "Collegiality in an international bench", 1),
    CriterionSpec("M5", "Expertise on violence against women and children, and on victims", 1),
    CriterionSpec("M6", "Knowledge of the Rome Statute system", 1),
    CriterionSpec("M7", "Communication and judgment", 1),
)

LEADERSHIP_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec("M1", "Professional expertise", 2),
    CriterionSpec("M2", "Prosecution, trial or management experience", 2),
    CriterionSpec("M3", "Independence and integrity", 2),
    CriterionSpec("M4", "Leadership and management", 1),
    CriterionSpec("M5", "Workplace culture and prevention of misconduct", 1),
    CriterionSpec("M6", "Knowledge of the Rome Statute system", 1),
    CriterionSpec("M7", "Communication and judgment", 1),
)

GENERIC_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec("M1", "Expertise for the office", 2),
    CriterionSpec("M2", "Relevant experience", 1),
    CriterionSpec("M3", "Independence and integrity", 2),
    CriterionSpec("M4", "Communication and judgment", 1),
)


def default_criteria(office: Office) -> tuple[CriterionSpec, ...]:
    if office is Office.JUDGE:
        return JUDGE_CRITERIA
    if office in (Office.PROSECUTOR, Office.DEPUTY_PROSECUTOR, Office.REGISTRAR):
        return LEADERSHIP_CRITERIA
    return GENERIC_CRITERIA


SCALE = {
    1: "Does not meet the criterion",
    2: "Partly meets the criterion",
    3: "Meets the criterion",
    4: "Exceeds the criterion",
}
