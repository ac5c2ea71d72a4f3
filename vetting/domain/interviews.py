"""Interviews: the candidate is invited at least ten days ahead, told the purpose, the format
and the criteria (the practice of the Parliamentary Assembly of the Council of Europe's
committee on the election of judges)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from vetting.domain.vocabulary import ConflictStatus, ScorePhase

MIN_NOTICE = timedelta(days=10)
MAX_PURPOSE_CHARS = 2000
# Members who take part in the panel's work on a candidacy.
CLEARED = frozenset({ConflictStatus.NONE, ConflictStatus.MANAGED})


def invitation_problem(scheduled_at: datetime, now: datetime, purpose: str) -> str | None:
    """Why the invitation cannot go out as it stands, or None."""
    if scheduled_at.tzinfo is None:
        return "The interview time must carry its time zone."
    if scheduled_at < now + MIN_NOTICE:
        earliest = (now + MIN_NOTICE).strftime("%Y-%m-%d %H:%M UTC")
        return f"An interview is announced at least ten days ahead: the earliest is {earliest}."
    if not purpose.strip():
        return "State the purpose of the interview for the candidate."
    if len(purpose) > MAX_PURPOSE_CHARS:
        return f"The purpose is longer than {MAX_PURPOSE_CHARS} characters."
    return None


def attendance_problem(
    chosen: Sequence[int],
    statuses: Mapping[int, ConflictStatus],
    names: Mapping[int, str],
    *,
    confirming: bool = False,
) -> str | None:
    """Why these panel members cannot be recorded as present at the interview, or None.

    `statuses` holds the conflict status of every member assigned to the candidacy; `names`
    the names of the chosen members. At least one member must be present, and each one must be
    cleared on the candidacy (no conflict, or a managed one): a recused member takes no part,
    and a member who is not assigned, or whose conflict is undeclared or undecided, may not sit.
    """
    if not chosen:
        if confirming:
            return "Confirm which panel members were present at the interview: at least one."
        return "Choose the panel members who will be present at the interview: at least one."
    for member_id in dict.fromkeys(chosen):
        name = names.get(member_id, "This member")
        status = statuses.get(member_id)
        if status is None:
            return f"{name} is not assigned to this candidacy and cannot sit at its interview."
        if status is ConflictStatus.RECUSED:
            return f"{name} is recused on this candidacy and cannot sit at its interview."
        if status not in CLEARED:
            return (
                f"{name} is not cleared on this candidacy (conflict not declared or not yet "
                "decided) and cannot sit at its interview."
            )
    return None


def interview_criteria(phases: Sequence[tuple[str, ScorePhase]]) -> list[str]:
    """The criteria the invitation names, as (label, phase) in rubric order: those scored
    after the interview when the rubric has any, else every criterion (then the interview
    informs them all)."""
    after = [label for label, phase in phases if phase is ScorePhase.POST_INTERVIEW]
    return after or [label for label, _phase in phases]
