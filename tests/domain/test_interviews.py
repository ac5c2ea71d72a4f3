from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vetting.domain.interviews import invitation_problem

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
