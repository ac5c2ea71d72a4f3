from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import CheckboxInput, ListWidget

from vetting.domain.vocabulary import (
    ConflictKind,
    DecisionMethod,
    InterviewMode,
    MeritCategory,
    TieKind,
)
from vetting.models import Criterion, Score
from vetting.web.words import SCALE_WORDS, choices

MAX_TEXT = 10000


class DeclareForm(FlaskForm):
    conflict = RadioField(
        _l("Do you have a conflict of interest with this candidate?"),
        choices=[
            SelectChoice("no", _l("No conflict")),
            SelectChoice("yes", _l("Yes, I have or may have a conflict")),
        ],
        validators=[InputRequired(_l("Answer yes or no."))],
    )
    kind = SelectField(
        _l("Kind of conflict (if yes)"),
        choices=[SelectChoice("", _l("Choose…")), *choices(ConflictKind)],
        validators=[Optional()],
    )
    details = TextAreaField(
        _l(
            "Details (nationality, nominating State, regional group, ICC or ASP employment, "
            "family, political office; with dates)"
        ),
        validators=[Length(max=MAX_TEXT)],
    )


class DecideForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice(
                "none", _l("No conflict: the reviewer takes part as if none had been declared")
            ),
            SelectChoice(
                "manage", _l("Manage: the reviewer takes part, the conflict is on record")
            ),
            SelectChoice("recuse", _l("Recuse: the reviewer takes no part")),
        ],
        validators=[InputRequired(_l("Choose no conflict, manage or recuse."))],
    )
    reason = TextAreaField(
        _l("Reasons"), validators=[DataRequired(_l("Give the reasons.")), Length(max=MAX_TEXT)]
    )


class TieForm(FlaskForm):
    """One of the member's own ties. The State choices are set per request (the view lists the
    States); the operation checks which fields each kind needs."""

    kind = SelectField(
        _l("Kind of tie"),
        choices=[SelectChoice("", _l("Choose…")), *choices(TieKind)],
        validators=[InputRequired(_l("Choose the kind of tie."))],
    )
    state_code = SelectField(
        _l("State (employment by its government, political office in it)"),
        choices=[],
        validate_choice=False,
        validators=[Optional()],
    )
    person_name = StringField(
        _l("Full name of the person (family, personal or financial tie)"),
        validators=[Optional(), Length(max=200)],
    )
    description = TextAreaField(
        _l("Description: the post, the relationship or the interest"),
        validators=[DataRequired(_l("Describe the tie.")), Length(max=MAX_TEXT)],
    )
    starts_on = DateField(
        _l("Since (not needed for a family tie)"),
        validators=[Optional()],
    )
    ends_on = DateField(_l("Until (leave empty while it holds)"), validators=[Optional()])


class EndTieForm(FlaskForm):
    ends_on = DateField(
        _l("Ended on"), validators=[InputRequired(_l("Give the date the tie ended."))]
    )


class AdverseNoticeForm(FlaskForm):
    summary = TextAreaField(
        _l("De-identified summary the candidate will receive"),
        validators=[DataRequired(_l("Write the summary.")), Length(max=MAX_TEXT)],
    )
    window_days = IntegerField(
        _l("Reply window (days)"),
        validators=[
            InputRequired(_l("Give the reply window in days.")),
            NumberRange(min=1, max=60),
        ],
    )


class MultiCheckboxField(SelectMultipleField):
    """A choice of several, one checkbox each (rendered by _forms.html `field`). The choices are
    set per request; the operation, not the form, says why a value is refused."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        pass


def at_least_one(message: Any) -> Any:
    """A required choice of several, without the `required` attribute (which, on checkboxes,
    would ask a browser to tick every one)."""

    def check(_form: Any, field: Any) -> None:
        if not field.data:
            raise StopValidation(str(message))

    return check


class InterviewForm(FlaskForm):
    scheduled_at = DateTimeLocalField(
        _l("Date and time (UTC)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Give the date and time of the interview."))],
    )
    mode = SelectField(_l("Format"), choices=choices(InterviewMode))
    purpose = TextAreaField(
        _l("Purpose, as the candidate will read it"),
        validators=[DataRequired(_l("State the purpose.")), Length(max=2000)],
    )
    present = MultiCheckboxField(
        _l("Panel members who will be present"),
        coerce=int,
        validators=[at_least_one(_l("Choose at least one panel member."))],
    )


class InterviewNotesForm(FlaskForm):
    notes = TextAreaField(
        _l("Interview notes (panel only)"),
        validators=[DataRequired(_l("Write the notes.")), Length(max=MAX_TEXT)],
    )
    present = MultiCheckboxField(
        _l("Panel members who were present"),
        coerce=int,
        validators=[at_least_one(_l("Confirm at least one panel member."))],
    )


def panel_choices(form: InterviewForm | InterviewNotesForm, members: Sequence[Any]) -> None:
    """Offer the cleared members (users) as the choices of `present`."""
    form.present.choices = [SelectChoice(m.id, m.full_name) for m in members]


class FindingForm(FlaskForm):
    """The finding; `finding_form` adds one required reasons field per criterion."""

    criteria: Sequence[Criterion] = ()
    merit_category = SelectField(_l("Merit category"), choices=choices(MeritCategory))
    reasons = TextAreaField(
        _l("Overall reasons"),
        validators=[DataRequired(_l("State the reasons.")), Length(max=MAX_TEXT)],
    )
    method = RadioField(
        _l("Adopted by"),
        choices=choices(DecisionMethod),
        default=DecisionMethod.CONSENSUS.value,
        # The page pre-selects consensus; a request without the field means the same.
        validators=[Optional()],
    )
    votes_for = IntegerField(
        _l("Votes for (if by vote)"), validators=[Optional(), NumberRange(min=0, max=99)]
    )
    votes_against = IntegerField(
        _l("Votes against (if by vote)"), validators=[Optional(), NumberRange(min=0, max=99)]
    )
    abstentions = IntegerField(
        _l("Abstentions (if by vote)"), validators=[Optional(), NumberRange(min=0, max=99)]
    )
    dissent = TextAreaField(
        _l("Dissent, in the dissenting members' own words"),
        validators=[Optional(), Length(max=MAX_TEXT)],
    )
    signed_name = StringField(
        _l("Signature of the chair: type your full name"),
        validators=[DataRequired(_l("Sign the finding: type your full name.")), Length(max=200)],
    )

    def reason_fields(self) -> list[tuple[Criterion, Any]]:
        return [(c, self[f"reason_{c.id}"]) for c in self.criteria]

    def criterion_reasons(self) -> dict[int, str]:
        return {c.id: field.data or "" for c, field in self.reason_fields()}

    def head_fields(self) -> list[Any]:
        return [self.merit_category]

    def tail_fields(self) -> list[Any]:
        return [
            self.reasons,
            self.method,
            self.votes_for,
            self.votes_against,
            self.abstentions,
            self.dissent,
            self.signed_name,
        ]


def finding_form(criteria: Sequence[Criterion], **kwargs: Any) -> FindingForm:
    """A finding form with a required reasons field for exactly this rubric's criteria."""

    class Form(FindingForm):
        pass

    Form.criteria = tuple(criteria)
    for criterion in criteria:
        setattr(
            Form,
            f"reason_{criterion.id}",
            TextAreaField(
                _l("Reasons on %(code)s %(title)s", code=criterion.code, title=criterion.title),
                validators=[
                    DataRequired(_l("Give the panel's reasons on this criterion.")),
                    Length(max=MAX_TEXT),
                ],
            ),
        )
    return Form(**kwargs)


NOT_APPLICABLE = "na"


def level_choices(criterion: Criterion) -> list[SelectChoice]:
    """The criterion's scale as radio options, each labelled with its level and what that
    level means on this criterion (the generic scale words when it has no descriptor), then
    "not applicable" where the criterion allows it."""
    options = []
    for level, word in SCALE_WORDS.items():
        descriptor = (getattr(criterion, f"descriptor_{level}", "") or "").strip()
        label = (
            _l("%(n)s (%(word)s): %(text)s", n=level, word=word, text=descriptor)
            if descriptor
            else _l("%(n)s: %(word)s", n=level, word=word)
        )
        options.append(SelectChoice(str(level), label))
    if criterion.allows_na:
        options.append(SelectChoice(NOT_APPLICABLE, _l("Not applicable (N/A)")))
    return options


def radio_value(score: Score) -> str:
    """A score as its radio's value: "na" for not applicable."""
    return NOT_APPLICABLE if score.value is None else str(score.value)


def value_of(data: str | None) -> int | None:
    """A radio's value as a score: None for not applicable."""
    return None if data == NOT_APPLICABLE else int(data or 0)


class ScoringForm(FlaskForm):
    """One value and one rationale per criterion; fields are added per rubric by scoring_form.

    A criterion may be left blank to save a draft of the others; a value without a rationale
    is refused here, and locking refuses while any criterion of the phase is unscored.
    """

    criteria: Sequence[Criterion] = ()

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"value_{c.id}"], self[f"rationale_{c.id}"]) for c in self.criteria]

    def inputs(self) -> list[tuple[int, int | None, str]]:
        return [
            (c.id, value_of(value.data), rationale.data or "")
            for c, value, rationale in self.rows()
            if value.data
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        filled = 0
        for _criterion, value, rationale in self.rows():
            if value.data:
                filled += 1
                if not (rationale.data or "").strip():
                    rationale.errors = [*rationale.errors, _l("Every score needs a rationale.")]
                    ok = False
            elif (rationale.data or "").strip():
                value.errors = [*value.errors, _l("Choose a value for this rationale.")]
                ok = False
        if not filled and ok:
            self.form_errors.append(_l("Score at least one criterion."))
            ok = False
        return ok


def scoring_form(criteria: Sequence[Criterion], mine: dict[int, Score]) -> ScoringForm:
    """A form class with declared fields for exactly these criteria (the ones the reviewer
    scores now: the phases open at this stage and not yet locked)."""

    class Form(ScoringForm):
        pass

    Form.criteria = tuple(criteria)
    for criterion in criteria:
        setattr(
            Form,
            f"value_{criterion.id}",
            RadioField(
                f"{criterion.code} {criterion.title}",
                choices=level_choices(criterion),
                validators=[Optional()],
            ),
        )
        setattr(
            Form,
            f"rationale_{criterion.id}",
            TextAreaField(
                _l("Rationale for %(code)s", code=criterion.code),
                validators=[Length(max=MAX_TEXT)],
            ),
        )
    data = {}
    for criterion_id, score in mine.items():
        data[f"value_{criterion_id}"] = radio_value(score)
        data[f"rationale_{criterion_id}"] = score.rationale
    return Form(data=data)


class RevisionForm(FlaskForm):
    """A change to one locked score: the new value and rationale, and the reason for it."""

    value = RadioField(_l("New score"), validators=[InputRequired(_l("Choose the new score."))])
    rationale = TextAreaField(
        _l("Rationale"),
        validators=[DataRequired(_l("Every score needs a rationale.")), Length(max=MAX_TEXT)],
    )
    reason = TextAreaField(
        _l("Reason for the change"),
        validators=[DataRequired(_l("Give the reason for the change.")), Length(max=MAX_TEXT)],
    )


def revision_form(
    criterion: Criterion, score: Score | None, *, submitted: bool = False
) -> RevisionForm:
    """The revision form of one criterion, prefixed by it so that a page may hold one per
    criterion; pre-filled with the score on record, or read from the request when submitted."""
    data = {
        "value": radio_value(score) if score is not None else None,
        "rationale": score.rationale if score is not None else "",
    }
    prefix = f"revise-{criterion.id}"
    form = (
        RevisionForm(prefix=prefix, data=data)
        if submitted
        else RevisionForm(prefix=prefix, formdata=None, data=data)
    )
    form.value.choices = level_choices(criterion)
    form.value.label.text = _l("New score for %(code)s", code=criterion.code)
    return form
