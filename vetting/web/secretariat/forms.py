"""The secretariat's forms: declared fields only, lengths capped, closed vocabularies as choices."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender, IntegrityOutcome, JudgeList, MeritCategory, Office
from vetting.models import State
from vetting.web.words import words_of

OFFICE_LABELS = words_of(Office)

GENDER_LABELS = words_of(Gender)

# Longer than the shared words: the secretariat chooses the list, so it sees what each means.
JUDGE_LIST_LABELS = {
    JudgeList.A: _l("List A (criminal law and procedure)"),
    JudgeList.B: _l("List B (international law)"),
    JudgeList.NONE: _l("None (not a judicial election)"),
}

STAGE_LABELS = words_of(Stage)

INTEGRITY_LABELS = words_of(IntegrityOutcome)

MERIT_LABELS = words_of(MeritCategory)

LANGUAGES = [SelectChoice("en", _l("English")), SelectChoice("fr", _l("French"))]

TITLE_MAX = 200
NAME_MAX = 200
EMAIL_MAX = 254
REASON_MAX = 4000
STATEMENT_MAX = 20000
SUMMARY_MAX = 20000


def state_choices(states: Iterable[State]) -> list[SelectChoice]:
    return [SelectChoice(s.code, s.name_en) for s in states]


class ElectionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    office = SelectField(
        _l("Office"),
        choices=[SelectChoice(o.value, label) for o, label in OFFICE_LABELS.items()],
        validators=[DataRequired()],
    )
    seats = IntegerField(
        _l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=100)], default=1
    )
    nomination_opens = DateField(_l("Nominations open on"), validators=[InputRequired()])
    nomination_closes = DateField(_l("Nominations close on"), validators=[InputRequired()])
    vote_date = DateField(_l("Date of the vote (optional)"), validators=[Optional()])


class NominationForm(FlaskForm):
    full_name = StringField(
        _l("Candidate's full name"), validators=[DataRequired(), Length(max=NAME_MAX)]
    )
    email = EmailField(
        _l("Candidate's email"), validators=[DataRequired(), Email(), Length(max=EMAIL_MAX)]
    )
    nationality_code = SelectField(_l("Nationality"), validators=[DataRequired()])
    nominating_state_code = SelectField(_l("Nominating State"), validators=[DataRequired()])
    gender = SelectField(
        _l("Gender"),
        choices=[SelectChoice(g.value, label) for g, label in GENDER_LABELS.items()],
        validators=[DataRequired()],
    )
    judge_list = SelectField(
        _l("List (judicial elections)"),
        choices=[SelectChoice(j.value, label) for j, label in JUDGE_LIST_LABELS.items()],
        validators=[DataRequired()],
    )
    statement = TextAreaField(
        _l("Nomination statement"), validators=[Optional(), Length(max=STATEMENT_MAX)]
    )
    language = SelectField(
        _l("Language of correspondence"), choices=LANGUAGES, validators=[DataRequired()]
    )

    def __init__(self, states: Iterable[State], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = state_choices(states)
        self.nationality_code.choices = choices
        self.nominating_state_code.choices = choices


class StageFilterForm(FlaskForm):
    """The ?stage= filter of the candidacy list: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    stage = SelectField(
        _l("Stage"),
        choices=[SelectChoice("", _l("All stages"))]
        + [SelectChoice(s.value, label) for s, label in STAGE_LABELS.items()],
        validators=[Optional()],
    )


class EligibilityForm(FlaskForm):
    passed = RadioField(
        _l("Eligibility result"),
        choices=[
            SelectChoice("yes", _l("Eligible: the gates are met")),
            SelectChoice("no", _l("Not eligible")),
        ],
        validators=[InputRequired(message=_l("Choose eligible or not eligible."))],
    )
    reason = TextAreaField(
        _l("Reason (gates G1 to G5)"), validators=[DataRequired(), Length(max=REASON_MAX)]
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the withdrawal (the written request)"),
        validators=[DataRequired(), Length(max=REASON_MAX)],
    )


class SummaryForm(FlaskForm):
    text = TextAreaField(_l("Public summary"), validators=[DataRequired(), Length(max=SUMMARY_MAX)])
