from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from vetting.domain.publication import (
    LEAD_WORKING_DAYS,
    Phrases,
    SummaryFacts,
    add_working_days,
    embargo_problem,
    is_second_person,
    is_working_day,
    release_time,
    suggested_text,
)


def utc(day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in March 2027: the 1st is a Monday, the 6th and 7th a weekend."""
    return datetime(2027, 3, day, hour, minute, tzinfo=UTC)


def test_lead_time_is_five_working_days_when_domain_md_is_read():
    assert LEAD_WORKING_DAYS == 5


@pytest.mark.parametrize(
    ("day", "working"),
    [(1, True), (2, True), (3, True), (4, True), (5, True), (6, False), (7, False), (8, True)],
)
def test_working_days_are_monday_to_friday_when_counted_in_utc(day, working):
    assert is_working_day(utc(day)) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (utc(1), 0, utc(1)),  # no days: the same moment
        (utc(1), 1, utc(2)),  # Monday + 1 = Tuesday
        (utc(1), 4, utc(5)),  # Monday + 4 = Friday
        (utc(1), 5, utc(8)),  # Monday + 5 = next Monday
        (utc(3), 5, utc(10)),  # Wednesday + 5 = next Wednesday
        (utc(5, 18, 30), 1, utc(8, 18, 30)),  # Friday evening + 1 = Monday evening
        (utc(5, 23, 59), 5, utc(12, 23, 59)),  # Friday late + 5 = next Friday, same time
        (utc(6, 10), 1, utc(8, 10)),  # Saturday + 1 = Monday
        (utc(7, 10), 1, utc(8, 10)),  # Sunday + 1 = Monday
        (utc(6, 10), 5, utc(12, 10)),  # Saturday + 5 = Friday
        (utc(4), 2, utc(8)),  # Thursday + 2 skips the weekend
        (utc(1), 10, utc(15)),  # two whole weeks
    ],
)
def test_working_days_are_added_skipping_weekends_when_counted(start, n, expected):
    assert add_working_days(start, n) == expected


def test_working_days_are_counted_in_utc_when_the_moment_has_another_offset():
    # Saturday 00:30 in Paris is still Friday 23:30 in UTC: Friday + 1 working day is Monday.
    paris = timezone(timedelta(hours=1))
    start = datetime(2027, 3, 6, 0, 30, tzinfo=paris)
    result = add_working_days(start, 1)
    assert result == utc(8, 23, 30)
    assert result.tzinfo == UTC


# Christmas 2026: Thursday 24 December, a holiday on Friday 25 (and on Friday 1 January 2027).
CHRISTMAS = frozenset({date(2026, 12, 25), date(2027, 1, 1)})


def test_a_holiday_is_no_working_day_when_listed():
    thursday = datetime(2026, 12, 24, 9, tzinfo=UTC)
    friday = datetime(2026, 12, 25, 9, tzinfo=UTC)
    assert is_working_day(friday) is True
    assert is_working_day(friday, CHRISTMAS) is False
    assert is_working_day(thursday, CHRISTMAS) is True


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Thursday + 1 skips the holiday Friday and the weekend.
        (datetime(2026, 12, 24, 9), 1, datetime(2026, 12, 28, 9)),
        # The lead time across Christmas and New Year: 5 working days are 28-31 Dec and 4 Jan.
        (datetime(2026, 12, 24, 9), 5, datetime(2027, 1, 4, 9)),
        # Notified on the holiday itself: counting starts the next working day.
        (datetime(2026, 12, 25, 9), 1, datetime(2026, 12, 28, 9)),
    ],
)
def test_working_days_skip_the_holidays_when_some_are_listed(start, n, expected):
    start, expected = start.replace(tzinfo=UTC), expected.replace(tzinfo=UTC)
    assert add_working_days(start, n, CHRISTMAS) == expected


def test_a_holiday_on_a_weekend_changes_nothing_when_counted():
    saturday = frozenset({date(2027, 3, 6)})
    assert add_working_days(utc(5), 1, saturday) == add_working_days(utc(5), 1) == utc(8)


def test_release_waits_longer_when_the_lead_time_crosses_holidays():
    notified = datetime(2026, 12, 23, 9, tzinfo=UTC)
    now = datetime(2026, 12, 23, 10, tzinfo=UTC)
    assert release_time(now, None, notified) == datetime(2026, 12, 30, 9, tzinfo=UTC)
    # 24, 28, 29, 30 and 31 December: the 25th does not count.
    assert release_time(now, None, notified, CHRISTMAS) == datetime(2026, 12, 31, 9, tzinfo=UTC)


def test_working_days_are_refused_when_the_moment_is_naive():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_days(datetime(2027, 3, 1, 9), 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        is_working_day(datetime(2027, 3, 1, 9))


def test_working_days_are_refused_when_negative():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(utc(1), -1)


@pytest.mark.parametrize(
    ("now", "embargo", "notified", "expected"),
    [
        # Approved the day after the notices: the lead time holds it 5 working days on.
        (utc(2), None, utc(1), utc(8)),
        # Notified on Friday evening: released the next Friday evening.
        (utc(8), None, utc(5, 19), utc(12, 19)),
        # An embargo later than the lead time wins.
        (utc(2), utc(20, 12), utc(1), utc(20, 12)),
        # An embargo earlier than the lead time does not shorten it.
        (utc(2), utc(3, 12), utc(1), utc(8)),
        # Approved long after the lead time ran: public at once.
        (utc(15), None, utc(1), utc(15)),
        (utc(15), utc(10), utc(1), utc(15)),
        # A corrigendum (no notified_at): now, or the embargo.
        (utc(15), None, None, utc(15)),
        (utc(15), utc(16, 8), None, utc(16, 8)),
    ],
)
def test_release_is_the_latest_of_now_embargo_and_lead_time_when_approved(
    now, embargo, notified, expected
):
    assert release_time(now, embargo, notified) == expected


def test_release_is_in_utc_when_the_embargo_has_another_offset():
    new_york = timezone(timedelta(hours=-5))
    embargo = datetime(2027, 3, 20, 7, 0, tzinfo=new_york)
    result = release_time(utc(2), embargo, utc(1))
    assert result == utc(20, 12)
    assert result.tzinfo == UTC


def test_release_is_refused_when_a_moment_is_naive():
    with pytest.raises(ValueError, match="embargo"):
        release_time(utc(2), datetime(2027, 3, 20), utc(1))
    with pytest.raises(ValueError, match="now"):
        release_time(datetime(2027, 3, 2), None, None)


@pytest.mark.parametrize(
    ("embargo", "problem"),
    [(None, None), (utc(2, 9, 1), None), (utc(2, 9), "in the past"), (utc(1), "in the past")],
)
def test_embargo_is_refused_when_not_in_the_future(embargo, problem):
    found = embargo_problem(embargo, utc(2, 9))
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_suggested_text_states_eligibility_and_merit_when_eligible():
    text = suggested_text(SummaryFacts("Amina Diallo", "Judges 2027", True, "highly qualified"))
    paragraphs = text.split("\n\n")
    assert paragraphs == [
        "Summary of the vetting of Amina Diallo, candidate in Judges 2027.",
        "The panel found the candidate eligible for the office.",
        "On the merits, the panel found the candidate highly qualified.",
    ]


def test_suggested_text_omits_the_merit_when_not_eligible():
    text = suggested_text(SummaryFacts("Amina Diallo", "Judges 2027", False, "qualified"))
    assert "does not meet the eligibility criteria" in text
    assert "qualified" not in text.replace("criteria", "")


def test_suggested_text_uses_the_phrases_given_when_translated():
    phrases = Phrases(
        heading="Résumé : {candidate} ({election}).",
        eligible="Éligible.",
        ineligible="Inéligible.",
        merit="Appréciation : {merit}.",
    )
    text = suggested_text(SummaryFacts("Amina Diallo", "Juges 2027", True, "qualifiée"), phrases)
    assert text == "Résumé : Amina Diallo (Juges 2027).\n\nÉligible.\n\nAppréciation : qualifiée."


@pytest.mark.parametrize(
    ("approver", "authors", "allowed"),
    [
        (2, {1}, True),  # a second member
        (1, {1}, False),  # the drafter
        (2, {1, 2}, False),  # a member who edited the draft
        (3, {1, 2}, True),  # a third member
        (1, set(), False),  # no known author: nobody is the first person
    ],
)
def test_two_person_rule_holds_when_approving(approver, authors, allowed):
    assert is_second_person(approver, authors) is allowed
