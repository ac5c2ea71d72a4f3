"""Closed vocabularies of the domain: offices, outcomes, levels. Stored by their lowercase value."""

from __future__ import annotations

import enum


class Office(enum.Enum):
    JUDGE = "judge"
    PROSECUTOR = "prosecutor"
    DEPUTY_PROSECUTOR = "deputy_prosecutor"
    REGISTRAR = "registrar"
    TFV_BOARD = "tfv_board"
    CBF = "cbf"
    ACN = "acn"
    OTHER = "other"


class RegionalGroup(enum.Enum):
    AFRICAN = "african"
    ASIA_PACIFIC = "asia_pacific"
    EASTERN_EUROPEAN = "eastern_european"
    LATIN_AMERICAN_CARIBBEAN = "latin_american_caribbean"
    WESTERN_EUROPEAN_OTHER = "western_european_other"


class Gender(enum.Enum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class JudgeList(enum.Enum):
    """Article 36(5): List A (criminal law and procedure) or List B (international law)."""

    A = "a"
    B = "b"
    NONE = "none"


class Level(enum.Enum):
    """Confidentiality levels, from the widest audience to the narrowest."""

    PUBLIC = "public"
    STATES = "states"
    PANEL = "panel"
    CANDIDATE_OWN = "candidate_own"
    RESTRICTED = "restricted"


class MeritCategory(enum.Enum):
    """The Advisory Committee on Nominations' four findings categories."""

    HIGHLY_QUALIFIED = "highly_qualified"
    QUALIFIED = "qualified"
    ONLY_FORMALLY_QUALIFIED = "only_formally_qualified"
    NOT_QUALIFIED = "not_qualified"


class IntegrityOutcome(enum.Enum):
    NO_ADVERSE_INFORMATION = "no_adverse_information"
    CONCERNS_NOTED = "concerns_noted"
    DOES_NOT_MEET_STANDARD = "does_not_meet_standard"

    @property
    def is_adverse(self) -> bool:
        return self is not IntegrityOutcome.NO_ADVERSE_INFORMATION


class EvidenceKind(enum.Enum):
    CV = "cv"
    NOMINATION_STATEMENT = "nomination_statement"
    REFERENCE = "reference"
    FORMER_EMPLOYER_CHECK = "former_employer_check"
    SECURITY_CHECK = "security_check"
    OPEN_SOURCE = "open_source"
    INTERVIEW_NOTE = "interview_note"
    COMPLAINT_SUMMARY = "complaint_summary"
    CANDIDATE_REPLY = "candidate_reply"


class ConflictStatus(enum.Enum):
    """Where a reviewer's assignment stands on conflicts of interest."""

    UNDECLARED = "undeclared"
    NONE = "none"
    DECLARED = "declared"
    MANAGED = "managed"
    RECUSED = "recused"


class MisconductCategory(enum.Enum):
    """ICC-ASP/22/Res.3, annex II, para. 11."""

    HUMAN_RIGHTS = "human_rights"
    HARASSMENT = "harassment"
    ABUSE_OF_AUTHORITY = "abuse_of_authority"
    DISCRIMINATION_BULLYING = "discrimination_bullying"
    FRAUD_CORRUPTION_OTHER = "fraud_corruption_other"


class ConflictKind(enum.Enum):
    """Electoral conflicts of interest (domain.md, 'What comparable systems teach')."""

    SAME_NATIONALITY = "same_nationality"
    NOMINATING_STATE = "nominating_state"
    PROFESSIONAL = "professional"
    PERSONAL = "personal"
    FINANCIAL = "financial"
    OTHER = "other"


class DecisionMethod(enum.Enum):
    """How the panel adopted a finding."""

    CONSENSUS = "consensus"
    VOTE = "vote"


class InterviewMode(enum.Enum):
    IN_PERSON = "in_person"
    VIDEO = "video"


class TieKind(enum.Enum):
    """What a panel member declares about their own ties, each with its dates."""

    STATE_EMPLOYMENT = "state_employment"
    POLITICAL_OFFICE = "political_office"
    ICC_ASP_EMPLOYMENT = "icc_asp_employment"
    FAMILY = "family"
    PERSONAL = "personal"
    FINANCIAL = "financial"


class ScorePhase(enum.Enum):
    """A criterion is scored on the papers, or after the interview."""

    PAPER = "paper"
    POST_INTERVIEW = "post_interview"


class TriageOutcome(enum.Enum):
    """A vetting officer's assessment of one report through the confidential channel."""

    OUT_OF_SCOPE = "out_of_scope"
    NEEDS_INFORMATION = "needs_information"
    NOT_SUBSTANTIATED = "not_substantiated"
    CREDIBLE_CONCERN = "credible_concern"


class NominationBasis(enum.Enum):
    """How the nominating State chose its candidate (art. 36(4)(a)), or another procedure for
    offices that are not judicial."""

    NATIONAL_JUDICIAL = "art_36_4_a_i"  # the procedure for the highest judicial offices
    PCA_NATIONAL_GROUP = "art_36_4_a_ii"  # the ICJ Statute's procedure (national groups)
    OTHER = "other"


class Gate(enum.Enum):
    """The eligibility gates of domain.md ('Rubric for judges')."""

    G1 = "g1"  # national of a State Party, no nationality clash
    G2 = "g2"  # qualified for the office (highest judicial office for judges)
    G3 = "g3"  # List A/B competence matches the declared list
    G4 = "g4"  # excellent knowledge of English or French
    G5 = "g5"  # nominated through the required procedure, with a statement


class RequirementDimension(enum.Enum):
    """What a minimum voting requirement counts (art. 36(8) and ASP resolutions)."""

    REGIONAL_GROUP = "regional_group"
    GENDER = "gender"
    LIST = "list"


class QuestionKind(enum.Enum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    DATE = "date"
    FILE = "file"


class ReminderKind(enum.Enum):
    """Questionnaire deadline reminders (domain.md, 'Notices')."""

    DAYS_14_BEFORE = "days_14_before"
    DAYS_3_BEFORE = "days_3_before"
    DAY_1_OVERDUE = "day_1_overdue"
