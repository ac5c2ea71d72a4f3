"""The skeleton questionnaire: fixed questions, validated all at once on submission.

Templates built by the secretariat replace this list later; the validation contract stays:
every problem is reported together, and nothing is locked until all are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

from vetting.domain.vocabulary import Level


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    level: Level
    max_words: int = 500
    required: bool = True
    yes_no: bool = False


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

DECLARATION = (
    "I declare that the information I have given is true and complete, and I accept the "
    "continuing duty to disclose any fact that bears on my moral character."
)

MAX_ANSWER_CHARS = 20000


def word_count(text: str) -> int:
    return len(text.split())


def validate(answers: dict[str, str], *, full_name: str, for_submission: bool) -> dict[str, str]:
    """Return {field: problem}. Drafts are checked only for size; submission for everything."""
    problems: dict[str, str] = {}
    for q in QUESTIONS:
        text = (answers.get(q.key) or "").strip()
        if len(text) > MAX_ANSWER_CHARS:
            problems[q.key] = f"This answer is longer than {MAX_ANSWER_CHARS} characters."
            continue
        if not for_submission:
            continue
        if q.yes_no:
            choice = answers.get(f"{q.key}_choice")
            if choice not in ("yes", "no"):
                problems[f"{q.key}_choice"] = "Answer yes or no."
            elif choice == "yes" and not text:
                problems[q.key] = "You answered yes: explain."
        elif q.required and not text:
            problems[q.key] = "This answer is required."
        if word_count(text) > q.max_words:
            problems[q.key] = (
                f"This answer has {word_count(text)} words; the limit is {q.max_words}."
            )
    if for_submission:
        signature = " ".join((answers.get("signature") or "").split())
        if not answers.get("declaration"):
            problems["declaration"] = "You must accept the declaration."
        if signature.casefold() != " ".join(full_name.split()).casefold():
            problems["signature"] = "Sign by typing your full name exactly as registered."
    return problems
