"""The candidate's and the public's words: stages told from the candidate's side (the staff
wording is in vetting.web.words, which supplies everything else)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender, IntegrityOutcome, JudgeList, MeritCategory, Office
from vetting.web.words import LANGUAGE_WORDS, words_of

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

# The rest is shared with every other page.
MERIT_WORDS = words_of(MeritCategory)
INTEGRITY_WORDS = words_of(IntegrityOutcome)
OFFICE_WORDS = words_of(Office)
GENDER_WORDS = words_of(Gender)
LIST_WORDS = words_of(JudgeList)


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
