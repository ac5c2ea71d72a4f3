"""The secretariat's forms: declared fields only, lengths capped, closed vocabularies as choices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    Gate,
    Gender,
    IntegrityOutcome,
    JudgeList,
    MeritCategory,
    NominationBasis,
    Office,
    RegionalGroup,
    RequirementDimension,
)
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

BASIS_LABELS = words_of(NominationBasis)

GATE_LABELS = words_of(Gate)

DIMENSION_LABELS = words_of(RequirementDimension)

REQUIREMENT_VALUES = {
    RequirementDimension.REGIONAL_GROUP: list(words_of(RegionalGroup).items()),
    RequirementDimension.GENDER: list(GENDER_LABELS.items()),
    RequirementDimension.LIST: [
        (JudgeList.A, JUDGE_LIST_LABELS[JudgeList.A]),
        (JudgeList.B, JUDGE_LIST_LABELS[JudgeList.B]),
    ],
}

OTHER_NATIONALITIES_MAX = 100

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
    other_nationalities = StringField(
        _l("Other nationalities of a dual national (three-letter codes, comma-separated)"),
        description=_l(
            "The nationality above is the deemed one: where the candidate ordinarily exercises "
            "civil and political rights (article 36(7))."
        ),
        validators=[Optional(), Length(max=OTHER_NATIONALITIES_MAX)],
    )
    nomination_basis = SelectField(
        _l("Basis of the nomination"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(b.value, label) for b, label in BASIS_LABELS.items()],
        validators=[Optional()],
    )
    national_procedure = TextAreaField(
        _l("The national procedure followed"),
        validators=[Optional(), Length(max=STATEMENT_MAX)],
    )
    statement = TextAreaField(
        _l("Statement of qualifications"), validators=[Optional(), Length(max=STATEMENT_MAX)]
    )
    language = SelectField(
        _l("Language of correspondence"), choices=LANGUAGES, validators=[DataRequired()]
    )
    late_reason = TextAreaField(
        _l("Reason for a late registration (only after the window has closed)"),
        validators=[Optional(), Length(max=REASON_MAX)],
    )

    def __init__(self, states: Iterable[State], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = state_choices(states)
        self.nationality_code.choices = choices
        self.nominating_state_code.choices = choices

    def other_codes(self) -> tuple[str, ...]:
        return tuple(c for c in (self.other_nationalities.data or "").split(",") if c.strip())

    def basis(self) -> NominationBasis | None:
        return NominationBasis(self.nomination_basis.data) if self.nomination_basis.data else None


class FocalPointNominationForm(NominationForm):
    """A focal point nominates for their own State: no State to choose, and no late
    registration (the secretariat's alone)."""

    def __init__(self, states: Iterable[State], *args: object, **kwargs: object) -> None:
        super().__init__(states, *args, **kwargs)
        del self.nominating_state_code
        del self.late_reason


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
    gate = SelectField(
        _l("Gate"),
        choices=[SelectChoice("", _l("Every gate not yet recorded"))]
        + [SelectChoice(g.value, label) for g, label in GATE_LABELS.items()],
        validators=[Optional()],
        description=_l("A failed result names its gate; a pass may cover every remaining gate."),
    )
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

    def limit_to(self, gates: Iterable[Gate]) -> None:
        """Offer only the gates of the office not yet recorded."""
        wanted = {g.value for g in gates}
        self.gate.choices = [
            c
            for c in self.gate.choices
            if c.value == "" or c.value in wanted  # type: ignore[union-attr]
        ]


class ExtensionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the extension (which requirement the pool misses)"),
        validators=[DataRequired(), Length(max=REASON_MAX)],
    )


class RequirementForm(FlaskForm):
    """One minimum voting requirement: the key names dimension and value, e.g. "list:b"."""

    key = SelectField(_l("Requirement"), validators=[DataRequired()])
    minimum = IntegerField(
        _l("Minimum"), validators=[InputRequired(), NumberRange(min=0, max=100)], default=0
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.key.choices = [
            SelectChoice(f"{d.value}:{v.value}", f"{DIMENSION_LABELS[d]}: {label}")
            for d, values in REQUIREMENT_VALUES.items()
            for v, label in values
        ]


class JudgeInOfficeForm(FlaskForm):
    full_name = StringField(
        _l("Judge's full name"), validators=[DataRequired(), Length(max=NAME_MAX)]
    )
    state_code = SelectField(_l("Nationality"), validators=[DataRequired()])
    term_ends_on = DateField(_l("Term ends on"), validators=[InputRequired()])

    def __init__(self, states: Iterable[State], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.state_code.choices = state_choices(states)


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the withdrawal (the written request)"),
        validators=[DataRequired(), Length(max=REASON_MAX)],
    )


class SummaryForm(FlaskForm):
    text = TextAreaField(_l("Public summary"), validators=[DataRequired(), Length(max=SUMMARY_MAX)])
    # Entered and stored in UTC; the page says so beside the field.
    embargo_until = DateTimeLocalField(
        _l("Not public before (UTC, optional)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[Optional()],
    )
    corrigendum = TextAreaField(
        _l("Corrigendum: what changed and why (shown publicly)"),
        validators=[Optional(), Length(max=REASON_MAX)],
    )

    def embargo(self) -> datetime | None:
        value = self.embargo_until.data
        return value.replace(tzinfo=UTC) if value is not None else None


class ApprovalForm(FlaskForm):
    """The approver approves what they saw: the preview's digest travels with the button."""

    seen = HiddenField(validators=[DataRequired(), Length(max=64)])
