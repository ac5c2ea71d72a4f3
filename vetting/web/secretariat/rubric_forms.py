"""The rubric editor's forms: one criterion with its four descriptors; a move; a removal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from vetting.domain.rubric import MAX_CODE, MAX_DESCRIPTOR, MAX_TITLE, MAX_WEIGHT
from vetting.domain.vocabulary import ScorePhase
from vetting.models import Criterion
from vetting.operations.rubric import CriterionData
from vetting.web.words import choices


def _descriptor(level: int) -> TextAreaField:
    return TextAreaField(
        _l("Level %(level)s: what a %(level)s looks like on this criterion", level=level),
        validators=[
            DataRequired(_l("Describe level %(level)s.", level=level)),
            Length(max=MAX_DESCRIPTOR),
        ],
    )


class CriterionForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Give the criterion a code.")), Length(max=MAX_CODE)],
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the criterion a title.")), Length(max=MAX_TITLE)],
    )
    weight = IntegerField(
        _l("Weight"),
        validators=[
            InputRequired(_l("Give the weight, a whole number.")),
            NumberRange(min=1, max=MAX_WEIGHT, message=_l("The weight is a whole number from 1.")),
        ],
        default=1,
    )
    phase = SelectField(_l("Scored"), choices=choices(ScorePhase), default=ScorePhase.PAPER.value)
    allows_na = BooleanField(_l("A reviewer may score it “not applicable”"))
    descriptor_1 = _descriptor(1)
    descriptor_2 = _descriptor(2)
    descriptor_3 = _descriptor(3)
    descriptor_4 = _descriptor(4)

    def data_for_operation(self) -> CriterionData:
        return CriterionData(
            code=self.code.data or "",
            title=self.title.data or "",
            weight=self.weight.data or 0,
            phase=ScorePhase(self.phase.data),
            allows_na=bool(self.allows_na.data),
            descriptors=(
                self.descriptor_1.data or "",
                self.descriptor_2.data or "",
                self.descriptor_3.data or "",
                self.descriptor_4.data or "",
            ),
        )


def criterion_form(criterion: Criterion | None = None, **kwargs: object) -> CriterionForm:
    """The form, pre-filled from the criterion on record when there is one."""
    if criterion is None:
        return CriterionForm(**kwargs)
    return CriterionForm(
        obj=criterion,
        phase=criterion.phase.value,
        **kwargs,
    )


class MoveForm(FlaskForm):
    direction = SelectField(
        _l("Direction"),
        choices=[SelectChoice("up", _l("Up")), SelectChoice("down", _l("Down"))],
        validators=[InputRequired(_l("Say whether the criterion moves up or down."))],
    )


class RemoveForm(FlaskForm):
    # The code the page showed: a removal from a stale page (after a reorder or an edit) is
    # refused rather than removing another criterion.
    code = HiddenField(validators=[DataRequired(_l("Confirm which criterion to remove."))])
