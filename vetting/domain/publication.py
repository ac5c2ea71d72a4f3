"""Publishing a candidacy's summary: working days, the notification lead time, the embargo,
the suggested first draft and the two-person rule.

Time is timezone-aware UTC throughout; working days are Monday to Friday counted in UTC, less
the installation's holidays (VETTING_HOLIDAYS, read by vetting.config.parse_holidays). The lead
time is a floor the secretariat may lengthen with an embargo, never a ceiling.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

# domain.md: the finding reaches the candidate and the nominating State "5+ working days
# before publication".
LEAD_WORKING_DAYS = 5


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(UTC)


def is_working_day(moment: datetime, holidays: Collection[date] = frozenset()) -> bool:
    """Monday to Friday, in UTC, unless the day is one of `holidays`."""
    day = _aware(moment, "moment")
    return day.weekday() < 5 and day.date() not in holidays


def add_working_days(
    moment: datetime, n: int, holidays: Collection[date] = frozenset()
) -> datetime:
    """The same time of day, `n` working days later (in UTC). Each step moves to the next
    calendar day and counts it only when it is a working day: Friday 18:00 plus one working
    day is Monday 18:00, Saturday 10:00 plus one is Monday 10:00, and with 25 December a
    holiday, Thursday 24 December 2026 plus one is Monday 28 December."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = _aware(moment, "moment")
    left = n
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def release_time(
    now: datetime,
    embargo: datetime | None,
    notified_at: datetime | None,
    holidays: Collection[date] = frozenset(),
) -> datetime:
    """When an approved version becomes public: not before now, not before the embargo, and
    (for a first version, whose finding notices went out at `notified_at`) not before the lead
    time has run, holidays not counted. A corrigendum passes `notified_at=None`: it is sent
    with its approval."""
    moments = [_aware(now, "now")]
    if embargo is not None:
        moments.append(_aware(embargo, "embargo"))
    if notified_at is not None:
        lead_ends = add_working_days(
            _aware(notified_at, "notified_at"), LEAD_WORKING_DAYS, holidays
        )
        moments.append(lead_ends)
    return max(moments)


def embargo_problem(embargo: datetime | None, now: datetime) -> str | None:
    """An embargo set in the past would hold nothing back: it is refused, not ignored."""
    if embargo is None:
        return None
    if _aware(embargo, "embargo") <= _aware(now, "now"):
        return "The embargo date is in the past: choose a later date, or none."
    return None


@dataclass(frozen=True)
class Phrases:
    """The sentences of the suggested draft; the web layer passes them translated."""

    heading: str = "Summary of the vetting of {candidate}, candidate in {election}."
    eligible: str = "The panel found the candidate eligible for the office."
    ineligible: str = "The panel found that the candidate does not meet the eligibility criteria."
    merit: str = "On the merits, the panel found the candidate {merit}."


@dataclass(frozen=True)
class SummaryFacts:
    """What of the finding may be public. The panel's reasons, any dissent and the integrity
    outcome are not: they never reach this function."""

    candidate: str
    election: str
    eligible: bool
    merit_words: str


def suggested_text(facts: SummaryFacts, phrases: Phrases | None = None) -> str:
    """A first draft for version 1, in paragraphs the public page keeps apart."""
    words = phrases or Phrases()
    paragraphs = [words.heading.format(candidate=facts.candidate, election=facts.election)]
    if facts.eligible:
        paragraphs.append(words.eligible)
        paragraphs.append(words.merit.format(merit=facts.merit_words))
    else:
        paragraphs.append(words.ineligible)
    return "\n\n".join(paragraphs)


def is_second_person(approver_id: int, authors: Collection[int]) -> bool:
    """The two-person rule: a version is approved by someone who neither drafted nor edited
    it. A version with no known author cannot be approved (nobody would be the first)."""
    return bool(authors) and approver_id not in authors
