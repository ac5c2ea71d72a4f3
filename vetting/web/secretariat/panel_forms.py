"""The forms of the secretariat's panel and assignment pages: ids travel in the form's body,
never in the address, and each is checked against the election on the server."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from vetting.operations.panels import MAX_CAP, MAX_REVIEWERS_PER_CANDIDACY, AutoMode


class SeatForm(FlaskForm):
    member = SelectField(
        _l("Panel chair or member to seat"),
        coerce=int,
        # Any id may come back: the operation says why a person cannot sit.
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose the person to seat."))],
    )


class MemberForm(FlaskForm):
    """Unseat: the member, by id, in a hidden field."""

    member = IntegerField(validators=[InputRequired()])


class AssignForm(FlaskForm):
    candidacy = HiddenField(validators=[DataRequired(), Length(max=32)])
    member = IntegerField(validators=[InputRequired()])


class UnassignForm(FlaskForm):
    assignment = IntegerField(validators=[InputRequired()])


class AutoAssignForm(FlaskForm):
    mode = RadioField(
        _l("How"),
        choices=[
            SelectChoice(
                AutoMode.EVERYONE.value,
                _l("Every member without a detected conflict on every candidacy"),
            ),
            SelectChoice(
                AutoMode.BALANCED.value,
                _l("A balanced load: a number of reviewers per candidacy, a cap per member"),
            ),
        ],
        default=AutoMode.EVERYONE.value,
        validators=[InputRequired(message=_l("Choose how to assign."))],
    )
    reviewers = IntegerField(
        _l("Reviewers per candidacy (balanced load)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_REVIEWERS_PER_CANDIDACY)],
        default=3,
    )
    cap = IntegerField(
        _l("Most assignments per member in this election (balanced load)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_CAP)],
    )
