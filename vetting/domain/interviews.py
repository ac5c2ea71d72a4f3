"""Interviews: the candidate is invited at least ten days ahead, told the purpose, the format
and the criteria (the practice of the Parliamentary Assembly of the Council of Europe's
committee on the election of judges)."""

from __future__ import annotations

from datetime import datetime, timedelta

MIN_NOTICE = timedelta(days=10)
MAX_PURPOSE_CHARS = 2000


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
