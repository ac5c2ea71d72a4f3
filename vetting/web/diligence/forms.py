from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from vetting.domain.vocabulary import EvidenceKind, IntegrityOutcome, Level
from vetting.web.words import choices


class EvidenceForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(EvidenceKind), validators=[InputRequired()])
    source = StringField(
        _l("Source"),
        validators=[DataRequired(_l("Name the source.")), Length(max=300)],
    )
    obtained_on = DateField(
        _l("Date obtained"),
        validators=[DataRequired(_l("Give the date obtained, as YYYY-MM-DD."))],
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(_l("Summarise the item.")), Length(max=10000)],
    )
    level = SelectField(_l("Confidentiality level"), choices=choices(Level))
    verified = BooleanField(_l("Verified"))
    relied_on = BooleanField(_l("Relied on"))
    file = FileField(
        _l("File (optional): PDF, PNG, JPEG, Word (.docx), OpenDocument (.odt) or UTF-8 text")
    )


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("Integrity outcome"), choices=choices(IntegrityOutcome))
    memo = TextAreaField(
        _l("Memo for the panel (no complaint material, no complainant identity)"),
        validators=[DataRequired(_l("Write the memo for the panel.")), Length(max=20000)],
    )
