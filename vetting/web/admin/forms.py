"""The administrators' forms: declared fields only, lengths capped, roles as a closed choice."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from vetting.domain.roles import Role
from vetting.domain.vocabulary import Gender
from vetting.models import State, User
from vetting.operations.staffing import INVITABLE_ROLES
from vetting.web.words import choices

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.SECRETARIAT: _l("Secretariat"),
    Role.PANEL_CHAIR: _l("Panel chair"),
    Role.PANEL_MEMBER: _l("Panel member"),
    Role.VETTING_OFFICER: _l("Vetting officer"),
    Role.CANDIDATE: _l("Candidate"),
    Role.FOCAL_POINT: _l("State focal point"),
}


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in INVITABLE_ROLES],
        validators=[DataRequired()],
    )
    state_code = SelectField(
        _l("State (the State represented by a focal point; a panel member's nationality)"),
        validators=[Optional()],
    )
    gender = SelectField(
        _l("Gender (panel chairs and members only: the panel's balance)"),
        choices=[SelectChoice("", _l("Not recorded"))] + choices(Gender),
        validators=[Optional()],
    )
    language = SelectField(
        _l("Language of correspondence"),
        choices=[SelectChoice("en", _l("English")), SelectChoice("fr", _l("French"))],
        validators=[DataRequired()],
    )

    def __init__(self, states: Iterable[State], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.state_code.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(s.code, s.name_en) for s in states
        ]


class ActAsForm(FlaskForm):
    """Acting as another user starts with whom and why; the audit log keeps both. Any user id
    passes the form: the operation gives the clear reason when one may not be acted as."""

    user = SelectField(_l("User"), coerce=int, validate_choice=False, validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason (for example, the support request you are answering)"),
        validators=[DataRequired(), Length(max=500)],
    )

    def __init__(self, users: Iterable[User], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user.choices = [
            SelectChoice(u.id, f"{u.full_name} ({ROLE_LABELS[u.role]}, {u.email})") for u in users
        ]
