"""Forms of the questionnaire builder and of the deadline's extension."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from vetting.domain.questionnaire import MAX_QUESTION_CHARS, MAX_REASON_CHARS
from vetting.domain.vocabulary import Level, QuestionKind
from vetting.web.words import choices


class SectionForm(FlaskForm):
    title = StringField(_l("Section title"), validators=[InputRequired(), Length(max=200)])


class QuestionForm(FlaskForm):
    section_id = SelectField(_l("Section"), coerce=int, choices=[])
    kind = SelectField(
        _l("Kind of answer"),
        choices=choices(QuestionKind),
        default=QuestionKind.LONG_TEXT.value,
    )
    text = TextAreaField(
        _l("Question"),
        validators=[InputRequired(), Length(max=MAX_QUESTION_CHARS)],
        render_kw={"rows": 2},
    )
    help_text = TextAreaField(
        _l("Help for the candidate (optional)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    required = BooleanField(_l("An answer is required"), default=True)
    word_limit = IntegerField(
        _l("Word limit (long text: required; short text and yes/no explanation: optional)"),
        validators=[Optional(), NumberRange(min=1, max=20000)],
    )
    visibility = SelectField(
        _l("Who reads the answer"),
        choices=[
            SelectChoice(Level.PANEL.value, _l("The panel and the secretariat only")),
            SelectChoice(Level.PUBLIC.value, _l("Public: published on the candidate's profile")),
        ],
        default=Level.PANEL.value,
    )
    choices = TextAreaField(
        _l("Options of a choice question, one per line"),
        validators=[Optional(), Length(max=10000)],
        render_kw={"rows": 4},
    )


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[InputRequired()])


class RemoveForm(FlaskForm):
    """The remove buttons send confirm=y: an empty post removes nothing."""

    confirm = HiddenField(validators=[InputRequired()])


class ExtensionForm(FlaskForm):
    new_due_on = DateField(_l("New deadline"), validators=[Optional()])
    reason = TextAreaField(
        _l("Reason for the extension"),
        validators=[Optional(), Length(max=MAX_REASON_CHARS)],
        render_kw={"rows": 2},
    )
