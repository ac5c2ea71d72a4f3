"""The closed vocabularies in words, for people rather than for the database: one place for
every page. Templates call `words(member)`; forms take `choices(EnumClass)`."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
    DecisionMethod,
    EvidenceKind,
    Gate,
    Gender,
    IntegrityOutcome,
    InterviewMode,
    JudgeList,
    Level,
    MeritCategory,
    MisconductCategory,
    NominationBasis,
    Office,
    QuestionKind,
    RegionalGroup,
    ReminderKind,
    RequirementDimension,
    ScorePhase,
    TieKind,
    TriageOutcome,
)

WORDS: dict[enum.Enum, object] = {
    Stage.NOMINATED: _l("Nominated"),
    Stage.QUESTIONNAIRE: _l("Questionnaire"),
    Stage.PAPER_SCORING: _l("Paper scoring"),
    Stage.INTERVIEW: _l("Interview"),
    Stage.DELIBERATION: _l("Deliberation"),
    Stage.REPLY_PENDING: _l("Reply pending"),
    Stage.FINDING_ADOPTED: _l("Finding adopted"),
    Stage.PUBLISHED: _l("Published"),
    Stage.CLOSED: _l("Closed"),
    Stage.WITHDRAWN: _l("Withdrawn"),
    ConflictStatus.UNDECLARED: _l("Not declared yet"),
    ConflictStatus.NONE: _l("No conflict"),
    ConflictStatus.DECLARED: _l("Conflict declared, awaiting the chair"),
    ConflictStatus.MANAGED: _l("Conflict managed"),
    ConflictStatus.RECUSED: _l("Recused"),
    IntegrityOutcome.NO_ADVERSE_INFORMATION: _l("No adverse information"),
    IntegrityOutcome.CONCERNS_NOTED: _l("Concerns noted"),
    IntegrityOutcome.DOES_NOT_MEET_STANDARD: _l("Does not meet the standard"),
    MeritCategory.HIGHLY_QUALIFIED: _l("Highly qualified"),
    MeritCategory.QUALIFIED: _l("Qualified"),
    MeritCategory.ONLY_FORMALLY_QUALIFIED: _l("Only formally qualified"),
    MeritCategory.NOT_QUALIFIED: _l("Not qualified"),
    Level.PUBLIC: _l("Public"),
    Level.STATES: _l("States"),
    Level.PANEL: _l("Panel"),
    Level.CANDIDATE_OWN: _l("Candidate's own"),
    Level.RESTRICTED: _l("Restricted"),
    EvidenceKind.CV: _l("CV"),
    EvidenceKind.NOMINATION_STATEMENT: _l("Nomination statement"),
    EvidenceKind.REFERENCE: _l("Reference"),
    EvidenceKind.FORMER_EMPLOYER_CHECK: _l("Former employer check"),
    EvidenceKind.SECURITY_CHECK: _l("Security check"),
    EvidenceKind.OPEN_SOURCE: _l("Open source"),
    EvidenceKind.INTERVIEW_NOTE: _l("Interview note"),
    EvidenceKind.COMPLAINT_SUMMARY: _l("Complaint summary"),
    EvidenceKind.CANDIDATE_REPLY: _l("Candidate's reply"),
    MisconductCategory.HUMAN_RIGHTS: _l("Human-rights violations"),
    MisconductCategory.HARASSMENT: _l("Harassment, including sexual harassment"),
    MisconductCategory.ABUSE_OF_AUTHORITY: _l("Abuse of authority"),
    MisconductCategory.DISCRIMINATION_BULLYING: _l("Discrimination and bullying"),
    MisconductCategory.FRAUD_CORRUPTION_OTHER: _l("Fraud, corruption or other serious breach"),
    ConflictKind.SAME_NATIONALITY: _l("Same nationality as the candidate"),
    ConflictKind.NOMINATING_STATE: _l("My State nominated the candidate"),
    ConflictKind.PROFESSIONAL: _l("Professional relationship"),
    ConflictKind.PERSONAL: _l("Personal or family relationship"),
    ConflictKind.FINANCIAL: _l("Financial interest"),
    ConflictKind.OTHER: _l("Other"),
    InterviewMode.IN_PERSON: _l("In person"),
    InterviewMode.VIDEO: _l("By video"),
    DecisionMethod.CONSENSUS: _l("Consensus"),
    DecisionMethod.VOTE: _l("Vote"),
    Office.JUDGE: _l("Judge"),
    Office.PROSECUTOR: _l("Prosecutor"),
    Office.DEPUTY_PROSECUTOR: _l("Deputy Prosecutor"),
    Office.REGISTRAR: _l("Registrar"),
    Office.TFV_BOARD: _l("Board of Directors of the Trust Fund for Victims"),
    Office.CBF: _l("Committee on Budget and Finance"),
    Office.ACN: _l("Advisory Committee on Nominations"),
    Office.OTHER: _l("Other office"),
    Gender.FEMALE: _l("Female"),
    Gender.MALE: _l("Male"),
    Gender.OTHER: _l("Other"),
    JudgeList.A: _l("List A"),
    JudgeList.B: _l("List B"),
    JudgeList.NONE: "",
    TieKind.STATE_EMPLOYMENT: _l("Employment by a State's government"),
    TieKind.POLITICAL_OFFICE: _l("Political office in a State"),
    TieKind.ICC_ASP_EMPLOYMENT: _l("Employment at the ICC or the ASP"),
    TieKind.FAMILY: _l("Family relationship"),
    TieKind.PERSONAL: _l("Personal relationship"),
    TieKind.FINANCIAL: _l("Financial tie"),
    ScorePhase.PAPER: _l("On the papers"),
    ScorePhase.POST_INTERVIEW: _l("After the interview"),
    TriageOutcome.OUT_OF_SCOPE: _l("Out of scope"),
    TriageOutcome.NEEDS_INFORMATION: _l("Needs more information"),
    TriageOutcome.NOT_SUBSTANTIATED: _l("Not substantiated"),
    TriageOutcome.CREDIBLE_CONCERN: _l("Credible concern"),
    RegionalGroup.AFRICAN: _l("African Group"),
    RegionalGroup.ASIA_PACIFIC: _l("Asia-Pacific Group"),
    RegionalGroup.EASTERN_EUROPEAN: _l("Eastern European Group"),
    RegionalGroup.LATIN_AMERICAN_CARIBBEAN: _l("Latin American and Caribbean Group"),
    RegionalGroup.WESTERN_EUROPEAN_OTHER: _l("Western European and Other States Group"),
}

WORDS.update(
    {
        NominationBasis.NATIONAL_JUDICIAL: _l(
            "Art. 36(4)(a)(i): the procedure for the highest judicial offices"
        ),
        NominationBasis.PCA_NATIONAL_GROUP: _l(
            "Art. 36(4)(a)(ii): the procedure of the ICJ Statute (national group)"
        ),
        NominationBasis.OTHER: _l("Another national procedure"),
        Gate.G1: _l("G1 National of a State Party, no nationality clash"),
        Gate.G2: _l("G2 Qualified for the office"),
        Gate.G3: _l("G3 List A/B competence matches the declared list"),
        Gate.G4: _l("G4 Excellent knowledge of English or French"),
        Gate.G5: _l("G5 Nominated through the required procedure, with a statement"),
        RequirementDimension.REGIONAL_GROUP: _l("Regional group"),
        RequirementDimension.GENDER: _l("Gender"),
        RequirementDimension.LIST: _l("List"),
        QuestionKind.SHORT_TEXT: _l("Short text"),
        QuestionKind.LONG_TEXT: _l("Long text"),
        QuestionKind.YES_NO: _l("Yes or no, with an explanation on yes"),
        QuestionKind.SINGLE_CHOICE: _l("One choice"),
        QuestionKind.MULTIPLE_CHOICE: _l("Several choices"),
        QuestionKind.DATE: _l("Date"),
        QuestionKind.FILE: _l("File"),
        ReminderKind.DAYS_14_BEFORE: _l("14 days before the deadline"),
        ReminderKind.DAYS_3_BEFORE: _l("3 days before the deadline"),
        ReminderKind.DAY_1_OVERDUE: _l("1 day overdue"),
    }
)

LANGUAGE_WORDS = {"en": _l("English"), "fr": _l("French")}


def words_of(enum_cls: type[enum.Enum]) -> dict[enum.Enum, object]:
    """The words for every member of one vocabulary, in its order."""
    return {member: WORDS[member] for member in enum_cls}


# The rubric's 1-4 scale, with the descriptors of vetting.domain.rubric.SCALE, translatable.
SCALE_WORDS: dict[int, object] = {
    1: _l("Does not meet the criterion"),
    2: _l("Partly meets the criterion"),
    3: _l("Meets the criterion"),
    4: _l("Exceeds the criterion"),
}


def words(member: enum.Enum | None) -> object:
    if member is None:
        return ""
    return WORDS.get(member, member.value.replace("_", " "))


def choices(
    enum_cls: type[enum.Enum], labels: dict[enum.Enum, object] | None = None
) -> list[SelectChoice]:
    """SelectField choices over an enum, stored by value and shown in words."""
    return [
        SelectChoice(m.value, (labels or WORDS).get(m, words(m)))  # type: ignore[arg-type]
        for m in enum_cls
    ]
