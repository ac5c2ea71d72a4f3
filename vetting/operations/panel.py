"""The panel's verbs, gathered from the modules that hold them (conflicts, scoring,
interviews, findings), so that callers can write panel.declare_conflict(...)."""

from vetting.operations.conflicts import decide_conflict, declare_conflict, relation_of
from vetting.operations.findings import FindingData, adopt_finding, open_deliberation
from vetting.operations.interviews import InterviewData, invite_to_interview, record_interview_notes
from vetting.operations.scoring import (
    ScoreInput,
    lock_scores,
    note_first_exposure,
    revise_score,
    save_scores,
)

__all__ = [
    "FindingData",
    "InterviewData",
    "ScoreInput",
    "adopt_finding",
    "decide_conflict",
    "declare_conflict",
    "invite_to_interview",
    "lock_scores",
    "note_first_exposure",
    "open_deliberation",
    "record_interview_notes",
    "relation_of",
    "revise_score",
    "save_scores",
]
