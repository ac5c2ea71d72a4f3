"""The questionnaire's rules: questions of a template, answers checked against them, the
declaration on moral character and past conduct, and the deadline's reminders.

Pure: the operations turn rows into these values and back. Validation reports every problem at
once, keyed by the question (or declaration item), so that the page shows each beside its
question and all of them in a summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from vetting.domain.vocabulary import Level, QuestionKind, ReminderKind

LANGUAGES = ("en", "fr")
MAX_ANSWER_CHARS = 20000
MAX_SHORT_TEXT_CHARS = 300
MAX_QUESTION_CHARS = 2000
MAX_CHOICES = 30
MAX_CHOICE_CHARS = 300
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
# The deadline, counted from the day the questionnaire opens (eligibility passed), unless the
# deployment sets QUESTIONNAIRE_DAYS.
DEFAULT_DUE_DAYS = 30


def word_count(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------------------------
# Templates


@dataclass(frozen=True)
class QuestionSpec:
    """A question as the rules see it; `key` is the question's id as text."""

    key: str
    kind: QuestionKind
    text: str
    required: bool = True
    word_limit: int | None = None
    choices: tuple[str, ...] = ()
    visibility: Level = Level.PANEL
    help_text: str = ""


def check_question(spec: QuestionSpec) -> dict[str, str]:
    """Problems with a question the secretariat defines, by field: {field: problem}."""
    problems: dict[str, str] = {}
    if not spec.text.strip():
        problems["text"] = "Write the question."
    elif len(spec.text) > MAX_QUESTION_CHARS:
        problems["text"] = f"A question has at most {MAX_QUESTION_CHARS} characters."
    if spec.visibility not in (Level.PUBLIC, Level.PANEL):
        problems["visibility"] = "A question is public or for the panel only."
    if spec.word_limit is not None:
        if spec.word_limit <= 0:
            problems["word_limit"] = "A word limit is a positive number."
        elif spec.kind not in TEXT_KINDS | {QuestionKind.YES_NO}:
            problems["word_limit"] = "Only a text answer or a yes/no explanation has a word limit."
    elif spec.kind is QuestionKind.LONG_TEXT:
        problems["word_limit"] = "A long text question needs a word limit."
    if spec.kind in CHOICE_KINDS:
        options = [c.strip() for c in spec.choices]
        if len(options) < 2:
            problems["choices"] = "Give at least two options, one per line."
        elif any(not c for c in options):
            problems["choices"] = "An option cannot be empty."
        elif len({c.casefold() for c in options}) != len(options):
            problems["choices"] = "Each option must be different."
        elif len(options) > MAX_CHOICES or any(len(c) > MAX_CHOICE_CHARS for c in options):
            problems["choices"] = (
                f"At most {MAX_CHOICES} options of {MAX_CHOICE_CHARS} characters each."
            )
    elif spec.choices:
        problems["choices"] = "Only a choice question has options."
    return problems


@dataclass(frozen=True)
class Question:
    """A question of the default template (every election starts with these, as version 1)."""

    key: str
    text: str
    level: Level
    max_words: int = 500
    required: bool = True
    yes_no: bool = False

    @property
    def kind(self) -> QuestionKind:
        return QuestionKind.YES_NO if self.yes_no else QuestionKind.LONG_TEXT


QUESTIONS: tuple[Question, ...] = (
    Question("motivation", "Why do you seek this office?", Level.PUBLIC, 400),
    Question(
        "experience",
        "Describe your most relevant professional experience for this office.",
        Level.PUBLIC,
        600,
    ),
    Question(
        "proceedings",
        "Have you ever been the subject of a disciplinary, criminal or ethics proceeding, "
        "or of a complaint of misconduct? If yes, explain.",
        Level.PANEL,
        400,
        yes_no=True,
    ),
)

DEFAULT_TITLE = "Candidate questionnaire"
# (section title, questions): the default template, version 1 of every election's.
DEFAULT_SECTIONS: tuple[tuple[str, tuple[Question, ...]], ...] = (
    ("Motivation and experience", QUESTIONS[:2]),
    ("Conduct", QUESTIONS[2:]),
)


# ---------------------------------------------------------------------------------------------
# Answers


@dataclass(frozen=True)
class AnswerValue:
    """What the candidate gave for one question: text (or the explanation of a yes), a choice
    ("yes"/"no" or an option), options, a date, whether a file is attached, and the language."""

    text: str = ""
    choice: str | None = None
    choices: tuple[str, ...] = ()
    date_value: date | None = None
    has_file: bool = False
    language: str = "en"

    @property
    def is_empty(self) -> bool:
        return (
            not self.text.strip()
            and not self.choice
            and not self.choices
            and self.date_value is None
            and not self.has_file
        )


def check_draft(spec: QuestionSpec, answer: AnswerValue) -> str | None:
    """A draft is checked only for what cannot be stored: size, language, unknown options."""
    if answer.language not in LANGUAGES:
        return "Choose English or French for this answer."
    limit = MAX_SHORT_TEXT_CHARS if spec.kind is QuestionKind.SHORT_TEXT else MAX_ANSWER_CHARS
    if len(answer.text) > limit:
        return f"This answer is longer than {limit} characters."
    if spec.kind is QuestionKind.YES_NO and answer.choice not in (None, "", "yes", "no"):
        return "Answer yes or no."
    if spec.kind in CHOICE_KINDS:
        given = answer.choices or ((answer.choice,) if answer.choice else ())
        unknown = [c for c in given if c not in spec.choices]
        if unknown:
            return f"“{unknown[0]}” is not one of the options."
        if spec.kind is QuestionKind.SINGLE_CHOICE and len(answer.choices) > 1:
            return "Choose one option only."
    return None


def check_answer(spec: QuestionSpec, answer: AnswerValue) -> str | None:
    """The problem with one answer at submission, or None."""
    problem = check_draft(spec, answer)
    if problem is not None:
        return problem
    kind = spec.kind
    text = answer.text.strip()
    if kind is QuestionKind.YES_NO:
        if answer.choice not in ("yes", "no"):
            return "Answer yes or no." if spec.required or text else None
        if answer.choice == "yes" and not text:
            return "You answered yes: explain."
    elif kind in TEXT_KINDS:
        if spec.required and not text:
            return "This answer is required."
    elif kind is QuestionKind.SINGLE_CHOICE:
        if spec.required and not answer.choice:
            return "Choose one of the options."
    elif kind is QuestionKind.MULTIPLE_CHOICE:
        if spec.required and not answer.choices:
            return "Choose at least one option."
    elif kind is QuestionKind.DATE:
        if spec.required and answer.date_value is None:
            return "Give a date."
    elif kind is QuestionKind.FILE and spec.required and not answer.has_file:
        return "Attach a file."
    if spec.word_limit is not None and word_count(text) > spec.word_limit:
        return f"This answer has {word_count(text)} words; the limit is {spec.word_limit}."
    return None


def validate_answers(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, AnswerValue],
    *,
    for_submission: bool,
) -> dict[str, str]:
    """Every problem at once, by question key, in the questions' order."""
    problems: dict[str, str] = {}
    for spec in questions:
        answer = answers.get(spec.key, AnswerValue())
        problem = check_answer(spec, answer) if for_submission else check_draft(spec, answer)
        if problem is not None:
            problems[spec.key] = problem
    return problems


# ---------------------------------------------------------------------------------------------
# The declaration on moral character and past conduct


@dataclass(frozen=True)
class DeclarationItem:
    key: str
    text: str


WORDING_VERSION = "2026-1"
DECLARATION_ITEMS: tuple[DeclarationItem, ...] = (
    DeclarationItem(
        "criminal",
        "Have you ever been charged with, prosecuted for or convicted of a criminal offence, "
        "in any country?",
    ),
    DeclarationItem(
        "disciplinary",
        "Have you ever been the subject of disciplinary proceedings by an employer, a court, a "
        "bar or another professional body?",
    ),
    DeclarationItem(
        "misconduct",
        "Has any finding of misconduct, including sexual harassment, harassment, "
        "discrimination or abuse of authority, ever been made against you?",
    ),
    DeclarationItem(
        "pending",
        "Are you aware of any investigation, complaint or proceeding concerning you that is "
        "pending or that may be opened?",
    ),
    DeclarationItem(
        "conflicts",
        "Do you hold any interest, office or relationship that could create a conflict of "
        "interest with the office you seek?",
    ),
    DeclarationItem(
        "other",
        "Is there any other fact about your conduct that could bear on your moral character "
        "or bring the Court into disrepute if it became known?",
    ),
)
DECLARATION = (
    "I declare that the information I have given is true and complete, and I accept the "
    "continuing duty to disclose any fact that bears on my moral character."
)
MAX_DETAILS_CHARS = 10000
MAX_REASON_CHARS = 5000


@dataclass(frozen=True)
class DeclarationAnswer:
    answer: str = ""  # "yes" | "no" | "" (not yet answered)
    details: str = ""


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def validate_declaration(
    items: Mapping[str, DeclarationAnswer],
    *,
    signed_name: str,
    full_name: str,
    for_submission: bool = True,
) -> dict[str, str]:
    """Problems by item key (and "signature"): every item answered yes or no, details on a
    yes, and the full name typed exactly as registered (spaces and case aside)."""
    problems: dict[str, str] = {}
    for item in DECLARATION_ITEMS:
        given = items.get(item.key, DeclarationAnswer())
        if len(given.details) > MAX_DETAILS_CHARS:
            problems[item.key] = f"These details are longer than {MAX_DETAILS_CHARS} characters."
        elif given.answer not in ("", "yes", "no"):
            problems[item.key] = "Answer yes or no."
        elif not for_submission:
            continue
        elif given.answer == "":
            problems[item.key] = "Answer yes or no."
        elif given.answer == "yes" and not given.details.strip():
            problems[item.key] = "You answered yes: give the details."
    if for_submission and (
        not signed_name.strip() or normalise_name(signed_name) != normalise_name(full_name)
    ):
        problems["signature"] = "Sign by typing your full name exactly as registered."
    return problems


def validate_amendment_reason(reason: str) -> str | None:
    if not reason.strip():
        return "Say why you amend the declaration."
    if len(reason) > MAX_REASON_CHARS:
        return f"The reason is longer than {MAX_REASON_CHARS} characters."
    return None


# ---------------------------------------------------------------------------------------------
# The deadline and its reminders (domain.md, notices: 14 and 3 days before, 1 day overdue)

REMINDER_OFFSETS: dict[ReminderKind, int] = {
    ReminderKind.DAYS_14_BEFORE: -14,
    ReminderKind.DAYS_3_BEFORE: -3,
    ReminderKind.DAY_1_OVERDUE: 1,
}


def default_due_on(opened_on: date, days: int = DEFAULT_DUE_DAYS) -> date:
    return opened_on + timedelta(days=days)


def reminder_dates(due_on: date) -> dict[ReminderKind, date]:
    """The day each reminder of this deadline goes out."""
    return {kind: due_on + timedelta(days=offset) for kind, offset in REMINDER_OFFSETS.items()}


def reminder_due(
    due_on: date, today: date, sent: frozenset[ReminderKind] | set[ReminderKind]
) -> ReminderKind | None:
    """The reminder to send today for this deadline, if any: the latest whose day has come,
    unless it (or a later one) was sent. A late run sends only the latest, so a candidate never
    receives a "14 days left" after the "3 days left"; before the deadline only the reminders
    "before" apply, after it only the overdue one."""
    dates = reminder_dates(due_on)
    reached = [kind for kind, day in dates.items() if day <= today]
    if not reached:
        return None
    latest = max(reached, key=lambda kind: dates[kind])
    if today > due_on and latest is not ReminderKind.DAY_1_OVERDUE:
        return None
    later_or_same = {kind for kind, day in dates.items() if day >= dates[latest]}
    if later_or_same & set(sent):
        return None
    return latest


def days_overdue(due_on: date | None, today: date) -> int:
    if due_on is None or today <= due_on:
        return 0
    return (today - due_on).days


MAX_EXTENSION_DAYS = 180


def check_extension(
    current_due_on: date | None, new_due_on: date | None, reason: str, today: date
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if new_due_on is None:
        problems["new_due_on"] = "Give the new deadline."
    elif new_due_on <= today:
        problems["new_due_on"] = "The new deadline must be after today."
    elif current_due_on is not None and new_due_on <= current_due_on:
        problems["new_due_on"] = (
            f"The new deadline must be after the current one ({current_due_on.isoformat()})."
        )
    elif new_due_on > today + timedelta(days=MAX_EXTENSION_DAYS):
        problems["new_due_on"] = f"An extension reaches at most {MAX_EXTENSION_DAYS} days ahead."
    if not reason.strip():
        problems["reason"] = "Give the reason for the extension."
    elif len(reason) > MAX_REASON_CHARS:
        problems["reason"] = f"The reason is longer than {MAX_REASON_CHARS} characters."
    return problems
