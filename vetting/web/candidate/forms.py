"""Forms of the candidate's and the focal point's pages: declared fields only, lengths capped."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from vetting.domain.questionnaire import MAX_REASON_CHARS as MAX_AMENDMENT_REASON_CHARS

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


class QuestionnaireForm(FlaskForm):
    """The CSRF token and the two buttons. The answers are read by the view from one family of
    fields per question (q<id>, q<id>_choice, q<id>_lang ...), since each template version has
    its own questions; their checks are the domain's (vetting.domain.questionnaire)."""

    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit"))


class AmendmentForm(FlaskForm):
    """The amendment's reason and signature; its declaration items are read like the
    questionnaire's (d_<key>, d_<key>_details)."""

    reason = TextAreaField(
        _l("Why you amend the declaration"),
        validators=[Length(max=MAX_AMENDMENT_REASON_CHARS)],
        render_kw={"rows": 3},
    )
    signature = StringField(
        _l("Signature: type your full name"), validators=[Optional(), Length(max=200)]
    )


class RescueForm(FlaskForm):
    """Signing in again from the page that kept a draft posted by an expired session."""

    email = StringField(_l("Email"), validators=[Optional(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=200)])
