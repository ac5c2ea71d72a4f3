"""The confidential channel's public forms: declared fields only, lengths capped."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from vetting.domain.channel import CONTACT_MAX, TEXT_MAX, ContactKind, contact_problem
from vetting.domain.vocabulary import MisconductCategory
from vetting.web.words import choices

CONTACT_CHOICES = [
    SelectChoice(ContactKind.NONE.value, _l("Stay anonymous: no contact")),
    SelectChoice(
        ContactKind.EMAIL.value, _l("Leave an email address (you will receive an acknowledgement)")
    ),
    SelectChoice(ContactKind.PHONE.value, _l("Leave a telephone number")),
]

# Refusals of the domain's contact rules, in words the page can translate.
CONTACT_MESSAGES = {
    "You chose to stay anonymous: leave the contact empty, or choose how we may reach you.": _l(
        "You chose to stay anonymous: leave the contact empty, or choose how we may reach you."
    ),
    "Give the email address or telephone number, or choose to stay anonymous.": _l(
        "Give the email address or telephone number, or choose to stay anonymous."
    ),
    "This is not an email address we can write to (name@example.org).": _l(
        "This is not an email address we can write to (name@example.org)."
    ),
    "Give the telephone number with its country code, in digits (+41 22 555 01 23).": _l(
        "Give the telephone number with its country code, in digits (+41 22 555 01 23)."
    ),
}


class ReportForm(FlaskForm):
    candidacy = SelectField(
        _l("The candidate concerned"),
        validators=[DataRequired(_l("Choose the candidate concerned."))],
    )
    category = SelectField(
        _l("What kind of misconduct"),
        choices=choices(MisconductCategory),
        validators=[InputRequired(_l("Choose the kind of misconduct."))],
    )
    text = TextAreaField(
        _l("What happened (when, where, who saw it; what you know first-hand)"),
        validators=[
            DataRequired(_l("Describe what you are reporting.")),
            Length(max=TEXT_MAX),
        ],
    )
    files = MultipleFileField(_l("Files (optional: PDF, images, Word or OpenDocument, text)"))
    contact_kind = RadioField(
        _l("May the vetting officers contact you?"),
        choices=CONTACT_CHOICES,
        default=ContactKind.NONE.value,
        validators=[InputRequired(_l("Choose whether to stay anonymous."))],
    )
    contact = StringField(
        _l("Your email address or telephone number (seen by the vetting officers only)"),
        validators=[Length(max=CONTACT_MAX)],
    )

    def validate_contact(self, field: Any) -> None:
        try:
            kind = ContactKind(self.contact_kind.data)
        except ValueError:
            return  # the radio field reports its own error
        problem = contact_problem(kind, field.data or "")
        if problem:
            raise ValidationError(str(CONTACT_MESSAGES.get(problem, problem)))


class ReceiptForm(FlaskForm):
    # No format check here: a malformed code gets the same answer as an unknown one.
    code = StringField(
        _l("Your receipt code"), validators=[DataRequired(_l("Enter your receipt code."))]
    )


class AdditionForm(FlaskForm):
    code = HiddenField()
    text = TextAreaField(_l("Information to add"), validators=[Length(max=TEXT_MAX)])
    files = MultipleFileField(_l("Files (optional)"))
