from __future__ import annotations

from datetime import date

import pytest

from vetting.domain import questionnaire as q
from vetting.domain.questionnaire import AnswerValue, DeclarationAnswer, QuestionSpec
from vetting.domain.scoring import summarise, weighted_mean
from vetting.domain.vocabulary import Level, QuestionKind, ReminderKind

K = QuestionKind
LONG = QuestionSpec("1", K.LONG_TEXT, "Why?", word_limit=3)
SHORT = QuestionSpec("2", K.SHORT_TEXT, "Title?")
YES_NO = QuestionSpec("3", K.YES_NO, "Proceedings?", word_limit=5)
ONE = QuestionSpec("4", K.SINGLE_CHOICE, "Language?", choices=("English", "French"))
MANY = QuestionSpec("5", K.MULTIPLE_CHOICE, "Fields?", choices=("Criminal", "Human rights"))
DAY = QuestionSpec("6", K.DATE, "Admitted to the bar on?")
FILE = QuestionSpec("7", K.FILE, "Your CV")
ALL = (LONG, SHORT, YES_NO, ONE, MANY, DAY, FILE)
GOOD = {
    "1": AnswerValue(text="To serve justice."),
    "2": AnswerValue(text="Judge"),
    "3": AnswerValue(choice="no"),
    "4": AnswerValue(choice="French"),
    "5": AnswerValue(choices=("Criminal",)),
    "6": AnswerValue(date_value=date(2001, 9, 1)),
    "7": AnswerValue(has_file=True),
}


def test_complete_answers_pass_when_every_kind_is_answered():
    assert q.validate_answers(ALL, GOOD, for_submission=True) == {}


def test_every_problem_is_listed_at_once_with_its_message_when_nothing_is_answered():
    assert q.validate_answers(ALL, {}, for_submission=True) == {
        "1": "This answer is required.",
        "2": "This answer is required.",
        "3": "Answer yes or no.",
        "4": "Choose one of the options.",
        "5": "Choose at least one option.",
        "6": "Give a date.",
        "7": "Attach a file.",
    }


@pytest.mark.parametrize(
    ("spec", "answer", "message"),
    [
        (LONG, AnswerValue(text="one two three four"), "This answer has 4 words; the limit is 3."),
        (YES_NO, AnswerValue(choice="yes", text="  "), "You answered yes: explain."),
        (ONE, AnswerValue(choice="Spanish"), "“Spanish” is not one of the options."),
        (MANY, AnswerValue(choices=("Criminal", "Tax")), "“Tax” is not one of the options."),
        (SHORT, AnswerValue(text="x" * 301), "This answer is longer than 300 characters."),
        (
            LONG,
            AnswerValue(text="Fine.", language="de"),
            "Choose English or French for this answer.",
        ),
    ],
)
def test_each_kind_reports_its_own_message_when_the_answer_is_wrong(spec, answer, message):
    assert q.check_answer(spec, answer) == message


def test_optional_questions_pass_when_left_empty():
    optional = [QuestionSpec(s.key, s.kind, s.text, False, s.word_limit, s.choices) for s in ALL]
    assert q.validate_answers(optional, {}, for_submission=True) == {}


def test_drafts_are_only_checked_for_what_cannot_be_stored_when_saved():
    assert q.validate_answers(ALL, {}, for_submission=False) == {}
    assert q.validate_answers(
        ALL, {"1": AnswerValue(text="x" * (q.MAX_ANSWER_CHARS + 1))}, for_submission=False
    ) == {"1": f"This answer is longer than {q.MAX_ANSWER_CHARS} characters."}


@pytest.mark.parametrize(
    ("spec", "problems"),
    [
        (
            QuestionSpec("x", K.LONG_TEXT, "Why?"),
            {"word_limit": "A long text question needs a word limit."},
        ),
        (
            QuestionSpec("x", K.SINGLE_CHOICE, "Which?", choices=("A",)),
            {"choices": "Give at least two options, one per line."},
        ),
        (
            QuestionSpec("x", K.MULTIPLE_CHOICE, "Which?", choices=("A", "a")),
            {"choices": "Each option must be different."},
        ),
        (QuestionSpec("x", K.DATE, " "), {"text": "Write the question."}),
        (
            QuestionSpec("x", K.DATE, "When?", word_limit=10),
            {"word_limit": "Only a text answer or a yes/no explanation has a word limit."},
        ),
        (
            QuestionSpec("x", K.SHORT_TEXT, "Name?", choices=("A", "B")),
            {"choices": "Only a choice question has options."},
        ),
        (
            QuestionSpec("x", K.SHORT_TEXT, "Name?", visibility=Level.RESTRICTED),
            {"visibility": "A question is public or for the panel only."},
        ),
    ],
)
def test_template_questions_are_refused_with_a_message_when_badly_defined(spec, problems):
    assert q.check_question(spec) == problems


def _declaration(**overrides):
    items = {i.key: DeclarationAnswer("no") for i in q.DECLARATION_ITEMS}
    items.update(overrides)
    return items


def test_declaration_passes_when_every_item_is_answered_and_signed_with_the_registered_name():
    assert (
        q.validate_declaration(
            _declaration(), signed_name=" amina  DIALLO ", full_name="Amina Diallo"
        )
        == {}
    )


def test_declaration_lists_every_problem_when_items_are_missing_or_unexplained():
    problems = q.validate_declaration(
        {"criminal": DeclarationAnswer("yes", " ")},
        signed_name="A. Diallo",
        full_name="Amina Diallo",
    )
    assert problems["criminal"] == "You answered yes: give the details."
    assert problems["signature"] == "Sign by typing your full name exactly as registered."
    assert all(problems[i.key] == "Answer yes or no." for i in q.DECLARATION_ITEMS[1:])
    assert len(problems) == len(q.DECLARATION_ITEMS) + 1


def test_amendment_needs_a_reason_when_filed():
    assert q.validate_amendment_reason("  ") == "Say why you amend the declaration."
    assert q.validate_amendment_reason("A new complaint was opened.") is None


DUE = date(2027, 3, 31)


@pytest.mark.parametrize(
    ("today", "sent", "expected"),
    [
        (date(2027, 3, 16), set(), None),
        (date(2027, 3, 17), set(), ReminderKind.DAYS_14_BEFORE),
        (date(2027, 3, 20), {ReminderKind.DAYS_14_BEFORE}, None),
        (date(2027, 3, 28), {ReminderKind.DAYS_14_BEFORE}, ReminderKind.DAYS_3_BEFORE),
        # A late first run sends only the latest reminder, never "14 days" after "3 days".
        (date(2027, 3, 29), set(), ReminderKind.DAYS_3_BEFORE),
        (date(2027, 3, 30), {ReminderKind.DAYS_3_BEFORE}, None),
        (date(2027, 3, 31), set(), ReminderKind.DAYS_3_BEFORE),
        (date(2027, 4, 1), {ReminderKind.DAYS_3_BEFORE}, ReminderKind.DAY_1_OVERDUE),
        (date(2027, 4, 1), set(), ReminderKind.DAY_1_OVERDUE),
        (date(2027, 4, 9), {ReminderKind.DAY_1_OVERDUE}, None),
    ],
)
def test_the_reminder_due_follows_the_schedule_when_days_pass(today, sent, expected):
    assert q.reminder_due(DUE, today, sent) is expected


def test_reminder_dates_are_14_and_3_days_before_and_1_after_when_planned():
    assert q.reminder_dates(DUE) == {
        ReminderKind.DAYS_14_BEFORE: date(2027, 3, 17),
        ReminderKind.DAYS_3_BEFORE: date(2027, 3, 28),
        ReminderKind.DAY_1_OVERDUE: date(2027, 4, 1),
    }
    assert q.default_due_on(date(2027, 3, 1)) == DUE
    assert q.days_overdue(DUE, date(2027, 4, 3)) == 3
    assert q.days_overdue(DUE, DUE) == 0


@pytest.mark.parametrize(
    ("new", "reason", "problems"),
    [
        (None, "Illness.", {"new_due_on": "Give the new deadline."}),
        (
            date(2027, 3, 30),
            "Illness.",
            {"new_due_on": "The new deadline must be after the current one (2027-03-31)."},
        ),
        (date(2027, 3, 1), "Illness.", {"new_due_on": "The new deadline must be after today."}),
        (date(2027, 4, 15), "  ", {"reason": "Give the reason for the extension."}),
        (
            date(2028, 4, 15),
            "Illness.",
            {"new_due_on": "An extension reaches at most 180 days ahead."},
        ),
    ],
)
def test_extensions_are_refused_with_a_message_when_date_or_reason_is_wrong(new, reason, problems):
    assert q.check_extension(DUE, new, reason, date(2027, 3, 10)) == problems


def test_summary_matches_hand_computed_statistics_when_scores_vary():
    result = summarise([1, 2], [(1, 4), (1, 2), (1, 3), (2, 1), (9, 4)])
    first, second = result
    assert first.values == (2, 3, 4) and first.mean == 3.0 and first.median == 3
    assert first.spread == 2
    assert second.values == (1,) and second.mean == 1.0 and second.spread == 0


def test_criteria_without_scores_have_no_statistics_when_summarised():
    (only,) = summarise([5], [])
    assert only.values == () and only.mean is None and only.median is None


def test_weighted_mean_uses_the_weights_when_computed():
    assert weighted_mean({1: 4, 2: 1}, {1: 3, 2: 1}) == 3.25
    assert weighted_mean({}, {1: 1}) is None
