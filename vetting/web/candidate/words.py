"""Stages, categories and outcomes in words, for people rather than for the database."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender, IntegrityOutcome, JudgeList, MeritCategory, Office

STAGE_WORDS = {
    Stage.NOMINATED: _l("Nominated: eligibility is being checked"),
    Stage.QUESTIONNAIRE: _l("Questionnaire open"),
    Stage.PAPER_SCORING: _l("Questionnaire submitted: the panel is reviewing the dossier"),
    Stage.INTERVIEW: _l("Interview"),
    Stage.DELIBERATION: _l("The panel is deliberating"),
    Stage.REPLY_PENDING: _l("Awaiting the candidate's reply to an adverse notice"),
    Stage.FINDING_ADOPTED: _l("Finding adopted, not yet published"),
    Stage.PUBLISHED: _l("Finding published"),
    Stage.CLOSED: _l("Closed"),
    Stage.WITHDRAWN: _l("Withdrawn"),
}

MERIT_WORDS = {
    MeritCategory.HIGHLY_QUALIFIED: _l("Highly qualified"),
    MeritCategory.QUALIFIED: _l("Qualified"),
    MeritCategory.ONLY_FORMALLY_QUALIFIED: _l("Only formally qualified"),
    MeritCategory.NOT_QUALIFIED: _l("Not qualified"),
}

INTEGRITY_WORDS = {
    IntegrityOutcome.NO_ADVERSE_INFORMATION: _l("No adverse information"),
    IntegrityOutcome.CONCERNS_NOTED: _l("Concerns noted"),
    IntegrityOutcome.DOES_NOT_MEET_STANDARD: _l("Does not meet the standard"),
}

LANGUAGE_WORDS = {"en": _l("English"), "fr": _l("French")}

OFFICE_WORDS = {
    Office.JUDGE: _l("Judge"),
    Office.PROSECUTOR: _l("Prosecutor"),
    Office.DEPUTY_PROSECUTOR: _l("Deputy Prosecutor"),
    Office.REGISTRAR: _l("Registrar"),
    Office.TFV_BOARD: _l("Board of Directors of the Trust Fund for Victims"),
    Office.CBF: _l("Committee on Budget and Finance"),
    Office.ACN: _l("Advisory Committee on Nominations"),
    Office.OTHER: _l("Other office"),
}

GENDER_WORDS = {
    Gender.FEMALE: _l("Female"),
    Gender.MALE: _l("Male"),
    Gender.OTHER: _l("Other"),
}

LIST_WORDS = {JudgeList.A: _l("List A"), JudgeList.B: _l("List B"), JudgeList.NONE: ""}


def words() -> dict[str, object]:
    """Everything above, for a template's context."""
    return {
        "stage_words": STAGE_WORDS,
        "merit_words": MERIT_WORDS,
        "integrity_words": INTEGRITY_WORDS,
        "language_words": LANGUAGE_WORDS,
        "office_words": OFFICE_WORDS,
        "gender_words": GENDER_WORDS,
        "list_words": LIST_WORDS,
    }
