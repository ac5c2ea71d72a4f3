from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vetting.domain.interviews import attendance_problem, interview_criteria, invitation_problem
from vetting.domain.vocabulary import ConflictStatus, ScorePhase

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("when", "purpose", "problem"),
    [
        (NOW + timedelta(days=10), "Criteria M1-M7.", None),
        (NOW + timedelta(days=30), "Criteria M1-M7.", None),
        (NOW + timedelta(days=10) - timedelta(minutes=1), "Criteria.", "at least ten days"),
        (NOW + timedelta(days=2), "Criteria.", "earliest is 2026-12-11 09:00 UTC"),
        (NOW + timedelta(days=12), "   ", "purpose"),
        ((NOW + timedelta(days=12)).replace(tzinfo=None), "Criteria.", "time zone"),
        (NOW + timedelta(days=12), "x" * 2001, "longer than"),
    ],
)
def test_invitation_is_checked_for_notice_and_purpose_when_scheduled(when, purpose, problem):
    found = invitation_problem(when, NOW, purpose)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


# --- the panel members present ---------------------------------------------------------------

N, M, R, D, U = (
    ConflictStatus.NONE,
    ConflictStatus.MANAGED,
    ConflictStatus.RECUSED,
    ConflictStatus.DECLARED,
    ConflictStatus.UNDECLARED,
)
STATUSES = {1: N, 2: M, 3: R, 4: D, 5: U}
NAMES = {1: "Ann", 2: "Ben", 3: "Cleo", 4: "Dan", 5: "Eve", 9: "Zed"}


@pytest.mark.parametrize(
    ("chosen", "problem"),
    [
        ([1], None),
        ([1, 2], None),
        ([2, 2], None),
        ([], "Choose the panel members who will be present at the interview: at least one."),
        ([1, 3], "Cleo is recused on this candidacy and cannot sit at its interview."),
        ([9], "Zed is not assigned to this candidacy and cannot sit at its interview."),
        ([4], "Dan is not cleared on this candidacy"),
        ([5, 1], "Eve is not cleared on this candidacy"),
    ],
)
def test_only_cleared_members_may_sit_at_the_interview(chosen, problem):
    found = attendance_problem(chosen, STATUSES, NAMES)
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)


def test_confirmation_of_presence_asks_for_who_was_present_when_nobody_is_ticked():
    assert attendance_problem([], STATUSES, NAMES, confirming=True) == (
        "Confirm which panel members were present at the interview: at least one."
    )


def test_invitation_names_the_interview_criteria_when_the_rubric_has_any():
    P, A = ScorePhase.PAPER, ScorePhase.POST_INTERVIEW
    assert interview_criteria([("M1 Law", P), ("M7 Judgment", A), ("M8 Languages", A)]) == [
        "M7 Judgment",
        "M8 Languages",
    ]
    assert interview_criteria([("M1 Law", P), ("M2 Trials", P)]) == ["M1 Law", "M2 Trials"]
