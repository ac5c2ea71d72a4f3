"""Forms of the candidate's and the focal point's pages: declared fields only, lengths capped."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from vetting.domain.questionnaire import DECLARATION, MAX_ANSWER_CHARS, QUESTIONS, Question
from vetting.operations.questionnaires import FIELDS

MAX_REASON_CHARS = 2000
MAX_REPLY_CHARS = 20000


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the withdrawal"),
        validators=[Length(max=MAX_REASON_CHARS)],
        render_kw={"rows": 2},
    )


class AnswersField(SelectMultipleField):
    """One checkbox per evidence item shown to the candidate; the operation, not the form, says
    why an item may not be answered."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        pass


class ReplyForm(FlaskForm):
    reply = TextAreaField(
        _l("Your reply"),
        validators=[Length(max=MAX_REPLY_CHARS)],
        render_kw={"rows": 10},
    )
    answers = AnswersField(_l("The items your reply answers"), coerce=int, choices=[])
    files = MultipleFileField(
        _l("Files (optional, at most 5): PDF, PNG, JPEG, Word (.docx), OpenDocument (.odt), text")
    )


class QuestionnaireFormBase(FlaskForm):
    """The fields common to every questionnaire; the questions are added by `questionnaire_form`.

    Nothing here is required: a draft may be incomplete, and the submission's completeness is
    judged by the operation, which reports every problem at once.
    """

    declaration = BooleanField(DECLARATION)
    signature = StringField(
        _l("Signature: type your full name"),
        validators=[Optional(), Length(max=200)],
    )
    language = SelectField(
        _l("Language of your answers"),
        choices=[SelectChoice("en", _l("English")), SelectChoice("fr", _l("French"))],
        default="en",
    )
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit"))

    def answers(self) -> dict[str, str]:
        """The typed values under the operation's field names."""
        values: dict[str, str] = {}
        for name in FIELDS:
            data = self[name].data
            if name == "declaration":
                values[name] = "y" if data else ""
            else:
                values[name] = str(data or "")
        return values

    def add_problems(self, problems: dict[str, str]) -> None:
        """Show each refusal beside its field, as WTForms shows its own errors."""
        for name, message in problems.items():
            if name in self:
                field = self[name]
                field.errors = [*field.errors, message]


def word_limit_help(question: Question) -> Any:
    return _l("At most %(words)s words.", words=question.max_words)


def _questionnaire_form_class() -> type[QuestionnaireFormBase]:
    """Build the form class from the questions, so that a new question needs no new code here."""
    fields: dict[str, Field] = {}
    for question in QUESTIONS:
        if question.yes_no:
            fields[f"{question.key}_choice"] = RadioField(
                question.text,
                choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                validators=[Optional()],
            )
            label: Any = _l("Explanation (required if you answered yes)")
        else:
            label = question.text
        fields[question.key] = TextAreaField(
            label,
            validators=[Length(max=MAX_ANSWER_CHARS)],
            render_kw={"rows": 6},
        )
    return type("QuestionnaireForm", (QuestionnaireFormBase,), fields)


QuestionnaireForm = _questionnaire_form_class()

# The order in which the fields are shown, and so the order of the problems listed at the top.
DISPLAY_ORDER: tuple[str, ...] = tuple(
    name
    for question in QUESTIONS
    for name in ((f"{question.key}_choice", question.key) if question.yes_no else (question.key,))
) + ("declaration", "signature", "language")
