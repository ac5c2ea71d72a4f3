"""The rubrics: the defaults each election starts with, and the rules a rubric must keep when
the secretariat edits it (domain.md, 'Rubric for judges'; Rome Statute arts 36, 42, 43).

Every criterion is scored 1-4; each level has a written descriptor saying what that level
looks like on *that* criterion, so that two reviewers giving a 3 mean the same thing.

Phases. A criterion is scored on the papers (the dossier, the questionnaire, the references
and the vetting officer's memo) or after the interview. Only what the interview is the best
evidence for is left to it:
- judges: M7 (communication and judgment) is assessed at the interview; M1-M6 rest on a
  verifiable record (judgments, pleadings, publications, references, declarations), which an
  hour of questions would only blur;
- Prosecutor, Deputy Prosecutors, Registrar: M5 (workplace culture and prevention of
  misconduct) and M7 after the interview, where the candidate's own approach to harassment,
  abuse of authority and reporting is put to them (the lesson of the 2020 Prosecutor
  election); the rest on the record;
- other offices: M4 (communication and judgment) after the interview.

Not applicable. Only the judges' M5 may be scored "not applicable": art. 36(8)(b) asks States
to take into account the need for judges with that expertise *on the bench*; it is not a
qualification every judge must hold, so a candidate who claims none is not marked down for it.
Every other criterion is a requirement of the office (arts 36(3), 42(3), 43(3)) and applies to
every candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from vetting.domain.vocabulary import Office, ScorePhase

PAPER = ScorePhase.PAPER
INTERVIEW = ScorePhase.POST_INTERVIEW

MAX_CODE = 8
MAX_TITLE = 200
MAX_DESCRIPTOR = 1000
MAX_WEIGHT = 100
LEVELS = (1, 2, 3, 4)
# A short code the reviewers and the public can cite: letters, digits, a dot or a hyphen.
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9.\-]*")


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    title: str
    weight: int = 1
    phase: ScorePhase = PAPER
    allows_na: bool = False
    # What a 1, 2, 3 and 4 look like on this criterion, in that order.
    descriptors: tuple[str, str, str, str] = ("", "", "", "")


JUDGE_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        "M1",
        "Legal expertise",
        2,
        descriptors=(
            "Shows no established competence in criminal law and procedure (List A) or in the "
            "relevant areas of international law (List B).",
            "Shows working knowledge of the relevant field, but the record of competence is "
            "thin, dated or remote from the law the Court applies.",
            "Shows established competence in the relevant field, evidenced by a sustained "
            "record of judgments, pleadings, teaching or publications.",
            "Is a recognised authority in the relevant field whose work has shaped national or "
            "international jurisprudence or doctrine.",
        ),
    ),
    CriterionSpec(
        "M2",
        "Trial and judicial experience with complex proceedings",
        2,
        descriptors=(
            "Has little or no experience of conducting or litigating proceedings, or of "
            "professional legal work relevant to the Court's judicial work.",
            "Has experience of proceedings or of relevant legal work, but mostly of limited "
            "scale or complexity.",
            "Has substantial experience as judge, prosecutor or counsel in complex criminal "
            "proceedings (List A), or extensive professional legal experience relevant to the "
            "Court's judicial work (List B).",
            "Has long experience presiding over or leading complex, multi-party proceedings, "
            "such as mass-crime or international cases, conducted fairly and expeditiously.",
        ),
    ),
    CriterionSpec(
        "M3",
        "Independence and impartiality",
        2,
        descriptors=(
            "The record shows ties, activities or conduct incompatible with judicial "
            "independence (art. 40), or a pattern of partial conduct.",
            "The record raises unresolved questions about outside activities, political "
            "affiliations or conduct that would have to be managed.",
            "The record shows independent and impartial conduct, with outside activities "
            "declared and compatible with judicial office.",
            "The record shows independence tested under pressure, such as rulings against "
            "powerful interests, and a clear practice of disclosure and recusal.",
        ),
    ),
    CriterionSpec(
        "M4",
        "Collegiality in an international bench",
        1,
        descriptors=(
            "Shows no experience of working with colleagues from other legal systems, or "
            "references report difficulty in collegial work.",
            "Has some collegial or multicultural experience, but little evidence of building "
            "agreement across legal traditions.",
            "Has worked well on collegial benches or international bodies, with references "
            "attesting to respectful and constructive collegial work.",
            "Has a record of building consensus among colleagues from different legal systems, "
            "such as joint judgments or the leadership of international bodies, while "
            "respecting dissent.",
        ),
    ),
    CriterionSpec(
        "M5",
        "Expertise on violence against women and children, and on victims",
        1,
        allows_na=True,
        descriptors=(
            "Shows no awareness of sexual and gender-based violence, violence against "
            "children, or the participation and protection of victims.",
            "Shows general awareness of these issues without specific professional experience "
            "of them.",
            "Has specific professional experience of these issues, such as cases, training or "
            "policy work on gender-based violence, violence against children or victims' rights.",
            "Has recognised legal expertise on these issues, such as leading cases or standards, "
            "of the kind art. 36(8)(b) asks the bench to include.",
        ),
    ),
    CriterionSpec(
        "M6",
        "Knowledge of the Rome Statute system",
        1,
        descriptors=(
            "Shows little knowledge of the Rome Statute, the Rules of Procedure and Evidence or "
            "the Court's case law.",
            "Shows general knowledge of the Statute, without practical engagement with the "
            "Court or other international criminal jurisdictions.",
            "Shows sound knowledge of the Statute, the Rules and the main case law, through "
            "practice, teaching or national implementing work.",
            "Shows deep knowledge of the whole system, complementarity and the victims' regime "
            "included, through sustained work before or with the Court or comparable tribunals.",
        ),
    ),
    CriterionSpec(
        "M7",
        "Communication and judgment",
        1,
        phase=INTERVIEW,
        descriptors=(
            "At the interview, answers were unclear or unsound, and the law was applied poorly "
            "to the facts put to the candidate.",
            "At the interview, answers were understandable but uneven, with gaps in reasoning or "
            "in command of the working language.",
            "At the interview, answers were clear, reasoned and balanced, in excellent English "
            "or French.",
            "At the interview, answers were precise and persuasive, weighing competing "
            "considerations with evident sound judgment under questioning.",
        ),
    ),
)

_INDEPENDENCE_OF_OFFICE = (
    "The record shows ties or conduct incompatible with the independence of the office "
    "(arts 42(5) and 43).",
    "The record raises unresolved questions about outside activities or affiliations that would "
    "have to be managed.",
    "The record shows independent conduct, with outside activities declared and compatible "
    "with the office.",
    "The record shows independence kept under political or institutional pressure, with a "
    "clear practice of disclosure and recusal.",
)

LEADERSHIP_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        "M1",
        "Professional expertise",
        2,
        descriptors=(
            "Shows no established competence in the field the office requires.",
            "Shows relevant competence, but limited in depth or breadth for an office of this "
            "level.",
            "Is highly competent in the field the office requires: criminal law and prosecution "
            "for the Office of the Prosecutor, law and public administration for the Registry.",
            "Is a recognised leader in that field, whose work has set standards at national or "
            "international level.",
        ),
    ),
    CriterionSpec(
        "M2",
        "Prosecution, trial or management experience",
        2,
        descriptors=(
            "Has little practical experience of prosecuting or trying criminal cases, or of "
            "managing a comparable institution.",
            "Has practical experience, but of limited scale, seniority or complexity.",
            "Has extensive practical experience in the prosecution or trial of criminal cases "
            "(Prosecutor, Deputy Prosecutor) or in running a complex public institution "
            "(Registrar).",
            "Has led complex investigations and prosecutions, or a large institution, at the "
            "highest level, with documented results.",
        ),
    ),
    CriterionSpec("M3", "Independence and integrity", 2, descriptors=_INDEPENDENCE_OF_OFFICE),
    CriterionSpec(
        "M4",
        "Leadership and management",
        1,
        descriptors=(
            "Shows no record of leading teams or organisations, or references report serious "
            "failures of leadership.",
            "Has led teams, with little evidence of managing budgets, strategy or change at scale.",
            "Has led a sizeable organisation or unit well, with references attesting to sound "
            "planning, delegation and accountability.",
            "Has built or reformed an institution, with documented results and staff who "
            "attest to fair and effective leadership.",
        ),
    ),
    CriterionSpec(
        "M5",
        "Workplace culture and prevention of misconduct",
        1,
        phase=INTERVIEW,
        descriptors=(
            "Shows no grasp of harassment, abuse of authority or discrimination as risks the "
            "head of an organ must prevent and address.",
            "Acknowledges these risks in general terms, without a concrete approach to "
            "prevention or response.",
            "Sets out a concrete approach to a respectful workplace: prevention, safe reporting, "
            "fair investigation and protection from retaliation.",
            "Sets out a credible, specific plan grounded in their own record of building a "
            "respectful workplace and acting on misconduct.",
        ),
    ),
    CriterionSpec(
        "M6",
        "Knowledge of the Rome Statute system",
        1,
        descriptors=(
            "Shows little knowledge of the Rome Statute, the Rules or the Court's practice.",
            "Shows general knowledge of the Statute, without practical engagement with the "
            "Court or other international jurisdictions.",
            "Shows sound knowledge of the Statute and of the organ's role in the Court, through "
            "practice, teaching or national implementing work.",
            "Shows deep knowledge of the whole system, complementarity and the victims' regime "
            "included, through sustained work before or with the Court or comparable bodies.",
        ),
    ),
    CriterionSpec(
        "M7",
        "Communication and judgment",
        1,
        phase=INTERVIEW,
        descriptors=(
            "At the interview, answers were unclear or unsound, and showed poor judgment on "
            "the situations put to the candidate.",
            "At the interview, answers were understandable but uneven, with gaps in reasoning or "
            "in command of the working language.",
            "At the interview, answers were clear, reasoned and balanced, in fluent English or "
            "French.",
            "At the interview, answers were precise and persuasive, weighing competing "
            "considerations with evident sound judgment under questioning.",
        ),
    ),
)

GENERIC_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        "M1",
        "Expertise for the office",
        2,
        descriptors=(
            "Shows none of the expertise the office's terms of reference require.",
            "Shows some of the required expertise, but not at the level the office requires.",
            "Shows the expertise the office requires, evidenced by qualifications and relevant "
            "work.",
            "Is a recognised expert, nationally or internationally, in the field the office "
            "requires.",
        ),
    ),
    CriterionSpec(
        "M2",
        "Relevant experience",
        1,
        descriptors=(
            "Has little experience relevant to the office's mandate.",
            "Has relevant experience, but limited in seniority, length or scope.",
            "Has substantial, senior experience directly relevant to the office's mandate.",
            "Has long senior experience in the mandate's field, in international or "
            "multilateral bodies included.",
        ),
    ),
    CriterionSpec("M3", "Independence and integrity", 2, descriptors=_INDEPENDENCE_OF_OFFICE),
    CriterionSpec(
        "M4",
        "Communication and judgment",
        1,
        phase=INTERVIEW,
        descriptors=(
            "At the interview, answers were unclear or unsound.",
            "At the interview, answers were understandable but uneven in reasoning or language.",
            "At the interview, answers were clear, reasoned and balanced, in fluent English or "
            "French.",
            "At the interview, answers were precise and persuasive, showing sound judgment "
            "under questioning.",
        ),
    ),
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


# --- the editor's rules --------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """Codes are compared and stored in capitals, without surrounding spaces."""
    return code.strip().upper()


def criterion_problems(spec: CriterionSpec, other_codes: Iterable[str]) -> list[str]:
    """Everything wrong with this criterion as the secretariat stated it, in one go; empty when
    it may be saved. `other_codes` are the codes of the election's other criteria."""
    problems: list[str] = []
    code = normalise_code(spec.code)
    if not code:
        problems.append("Give the criterion a code, such as M8.")
    elif len(code) > MAX_CODE or not CODE_PATTERN.fullmatch(code):
        problems.append(
            f"A code is at most {MAX_CODE} letters, digits, dots or hyphens, such as M8."
        )
    elif code in {normalise_code(c) for c in other_codes}:
        problems.append(f"The code {code} is already used by another criterion of this rubric.")
    title = spec.title.strip()
    if not title:
        problems.append("Give the criterion a title.")
    elif len(title) > MAX_TITLE:
        problems.append(f"The title is longer than {MAX_TITLE} characters.")
    if isinstance(spec.weight, bool) or not isinstance(spec.weight, int) or spec.weight < 1:
        problems.append("The weight is a positive whole number (1 or more).")
    elif spec.weight > MAX_WEIGHT:
        problems.append(f"The weight is at most {MAX_WEIGHT}.")
    empty = [
        str(level) for level, text in zip(LEVELS, spec.descriptors, strict=True) if not text.strip()
    ]
    if empty:
        problems.append(
            "Describe what every level looks like on this criterion: level "
            f"{', '.join(empty)} has no descriptor."
            if len(empty) == 1
            else "Describe what every level looks like on this criterion: levels "
            f"{', '.join(empty)} have no descriptor."
        )
    long = [
        str(level)
        for level, text in zip(LEVELS, spec.descriptors, strict=True)
        if len(text.strip()) > MAX_DESCRIPTOR
    ]
    if long:
        problems.append(
            f"A descriptor is at most {MAX_DESCRIPTOR} characters (level {', '.join(long)})."
        )
    return problems


def removal_problem(criteria_left: int) -> str | None:
    """A rubric keeps at least one criterion; `criteria_left` counts them before removal."""
    if criteria_left <= 1:
        return "A rubric keeps at least one criterion: add another before removing this one."
    return None


def frozen_problem(scores_saved: bool) -> str | None:
    """Once a reviewer has saved a score in the election, the rubric they scored against no
    longer changes: every score must mean what it meant when it was given."""
    if scores_saved:
        return (
            "The rubric is frozen: a reviewer has already saved a score in this election, and "
            "every score must keep meaning what it meant when it was given."
        )
    return None


def moved(order: list[int], item: int, step: int) -> list[int] | None:
    """The order with `item` moved `step` places (-1 up, +1 down); None when it cannot move."""
    index = order.index(item)
    target = index + step
    if target < 0 or target >= len(order):
        return None
    result = list(order)
    result[index], result[target] = result[target], result[index]
    return result
