"""The secretariat's side of the questionnaire: the template builder (per election, versioned),
the deadlines with the overdue list and recorded extensions, and the print view of a candidate's
submitted questionnaire with every version of the declaration (also for cleared panel members;
every read audited)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from vetting.domain import questionnaire as rules
from vetting.domain.roles import Permission, Role
from vetting.domain.vocabulary import Level, QuestionKind
from vetting.extensions import db
from vetting.models import Candidacy, Election, TemplateQuestion
from vetting.operations import questionnaires as ops
from vetting.operations import reminders
from vetting.operations import templates as template_ops
from vetting.web.files import file_store, send_download
from vetting.web.helpers import actor, attempt, candidacy_or_404, flash_errors, run
from vetting.web.panel.support import cleared_view
from vetting.web.policy import requires
from vetting.web.secretariat import bp
from vetting.web.secretariat.questionnaire_forms import (
    ExtensionForm,
    MoveForm,
    QuestionForm,
    RemoveForm,
    SectionForm,
)
from vetting.web.words import LANGUAGE_WORDS, words


def _election_or_404(election_id: int) -> Election:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    return election


def _back(election: Election) -> Any:
    return redirect(url_for("secretariat.questionnaire_builder", election_id=election.id))


def _question_data(form: QuestionForm) -> template_ops.QuestionData:
    return template_ops.QuestionData(
        kind=QuestionKind(form.kind.data),
        text=form.text.data or "",
        help_text=form.help_text.data or "",
        required=bool(form.required.data),
        word_limit=form.word_limit.data,
        visibility=Level(form.visibility.data),
        choices=tuple(line.strip() for line in (form.choices.data or "").splitlines() if line),
    )


def _builder_page(
    election: Election, question_form: QuestionForm | None = None, status: int = 200
) -> tuple[str, int]:
    # Showing the builder makes the default template if the election has none yet.
    current = template_ops.current_template(db.session, election.id, actor())
    db.session.commit()
    parts = template_ops.contents_of(db.session, current.id)
    form = question_form or QuestionForm(formdata=None)
    form.section_id.choices = [SelectChoice(p.section.id, p.section.title) for p in parts]
    return render_template(
        "secretariat/questionnaire_builder.html",
        election=election,
        template=current,
        versions=template_ops.versions_of(db.session, election.id),
        parts=parts,
        question_form=form,
        section_form=SectionForm(formdata=None),
        move_form=MoveForm(formdata=None),
        remove_form=RemoveForm(formdata=None),
        words=words,
        public_level=Level.PUBLIC,
    ), status


@bp.route("/secretariat/elections/<int:election_id>/questionnaire")
@requires(Permission.ELECTION_MANAGE)
def questionnaire_builder(election_id: int) -> object:
    return _builder_page(_election_or_404(election_id))


@bp.route("/secretariat/elections/<int:election_id>/questionnaire/sections", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def questionnaire_section_add(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = SectionForm()
    if form.validate_on_submit():
        run(
            template_ops.add_section,
            actor(),
            election,
            title=form.title.data or "",
            success=_("The section is added."),
        )
    else:
        flash_errors(form)
    return _back(election)


@bp.route(
    "/secretariat/elections/<int:election_id>/questionnaire/sections/<int:section_id>",
    methods=["POST"],
)
@requires(Permission.ELECTION_MANAGE)
def questionnaire_section_rename(election_id: int, section_id: int) -> object:
    election = _election_or_404(election_id)
    form = SectionForm()
    if form.validate_on_submit():
        run(
            template_ops.rename_section,
            actor(),
            election,
            section_id,
            title=form.title.data or "",
            success=_("The section is renamed."),
        )
    else:
        flash_errors(form)
    return _back(election)


@bp.route(
    "/secretariat/elections/<int:election_id>/questionnaire/sections/<int:section_id>/move",
    methods=["POST"],
)
@requires(Permission.ELECTION_MANAGE)
def questionnaire_section_move(election_id: int, section_id: int) -> object:
    election = _election_or_404(election_id)
    form = MoveForm()
    if form.validate_on_submit() and form.direction.data in ("up", "down"):
        offset = -1 if form.direction.data == "up" else 1
        run(template_ops.move_section, actor(), election, section_id, offset=offset)
    else:
        flash(_("Say whether the section moves up or down."), "error")
    return _back(election)


@bp.route(
    "/secretariat/elections/<int:election_id>/questionnaire/sections/<int:section_id>/remove",
    methods=["POST"],
)
@requires(Permission.ELECTION_MANAGE)
def questionnaire_section_remove(election_id: int, section_id: int) -> object:
    election = _election_or_404(election_id)
    if RemoveForm().validate_on_submit():
        run(
            template_ops.remove_section,
            actor(),
            election,
            section_id,
            success=_("The section is removed."),
        )
    return _back(election)


@bp.route("/secretariat/elections/<int:election_id>/questionnaire/questions", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def questionnaire_question_add(election_id: int) -> object:
    election = _election_or_404(election_id)
    current = template_ops.current_template(db.session, election.id, actor())
    form = QuestionForm()
    form.section_id.choices = [
        SelectChoice(p.section.id, p.section.title)
        for p in template_ops.contents_of(db.session, current.id)
    ]
    if not form.validate_on_submit():
        flash_errors(form)
        return _builder_page(election, form, 422)
    outcome = attempt(
        template_ops.add_question, actor(), election, form.section_id.data, _question_data(form)
    )
    if outcome.refusal is not None:
        _show_problems(form, outcome.refusal)
        return _builder_page(election, form, 422)
    flash(_("The question is added."), "success")
    return _back(election)


def _show_problems(form: QuestionForm, refusal: Exception) -> None:
    problems = getattr(refusal, "problems", None)
    if not problems:
        flash(str(refusal), "error")
        return
    for name, message in problems.items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
    flash(str(refusal), "error")


def _question_or_404(election: Election, question_id: int) -> TemplateQuestion:
    current = template_ops.latest_template(db.session, election.id)
    question = db.session.get(TemplateQuestion, question_id)
    if current is None or question is None:
        abort(404)
    if question.id not in {q.id for q in template_ops.questions_of(db.session, current.id)}:
        abort(404)
    return question


@bp.route(
    "/secretariat/elections/<int:election_id>/questionnaire/questions/<int:question_id>",
    methods=["GET", "POST"],
)
@requires(Permission.ELECTION_MANAGE)
def questionnaire_question_edit(election_id: int, question_id: int) -> object:
    election = _election_or_404(election_id)
    question = _question_or_404(election, question_id)
    current = template_ops.latest_template(db.session, election.id)
    assert current is not None
    if request.method == "GET":
        form = QuestionForm(
            formdata=None,
            section_id=question.section_id,
            kind=question.kind.value,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
            word_limit=question.word_limit,
            visibility=question.visibility.value,
            choices="\n".join(question.choices or []),
        )
    else:
        form = QuestionForm()
    form.section_id.choices = [SelectChoice(question.section_id, "")]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            outcome = attempt(
                template_ops.edit_question, actor(), election, question.id, _question_data(form)
            )
            if outcome.refusal is None:
                flash(_("The question is saved."), "success")
                return _back(election)
            _show_problems(form, outcome.refusal)
        status = 422
    return render_template(
        "secretariat/questionnaire_question.html",
        election=election,
        question=question,
        template=current,
        form=form,
    ), status


@bp.route(
    "/secretariat/elections/<int:election_id>/questionnaire/questions/<int:question_id>/move",
    methods=["POST"],
)
@requires(Permission.ELECTION_MANAGE)
def questionnaire_question_move(election_id: int, question_id: int) -> object:
    election = _election_or_404(election_id)
    form = MoveForm()
    if form.validate_on_submit() and form.direction.data in ("up", "down"):
        offset = -1 if form.direction.data == "up" else 1
        run(template_ops.move_question, actor(), election, question_id, offset=offset)
    else:
        flash(_("Say whether the question moves up or down."), "error")
    return _back(election)


@bp.route(
    "/secretariat/elections/<int:election_id>/questionnaire/questions/<int:question_id>/remove",
    methods=["POST"],
)
@requires(Permission.ELECTION_MANAGE)
def questionnaire_question_remove(election_id: int, question_id: int) -> object:
    election = _election_or_404(election_id)
    if RemoveForm().validate_on_submit():
        run(
            template_ops.remove_question,
            actor(),
            election,
            question_id,
            success=_("The question is removed."),
        )
    return _back(election)


# --- Deadlines ---------------------------------------------------------------------------------


@bp.route("/secretariat/questionnaires/deadlines")
@requires(Permission.ELECTION_MANAGE)
def questionnaire_deadlines() -> object:
    rows = reminders.deadlines(db.session)
    return render_template(
        "secretariat/questionnaire_deadlines.html",
        rows=rows,
        overdue=[r for r in rows if r.days_overdue],
        form=ExtensionForm(formdata=None),
        words=words,
    )


@bp.route("/secretariat/candidacies/<public_id>/deadline", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def questionnaire_extend(public_id: str) -> object:
    candidacy = candidacy_or_404(public_id)
    form = ExtensionForm()
    if form.validate_on_submit():
        run(
            reminders.extend_deadline,
            actor(),
            candidacy,
            new_due_on=form.new_due_on.data,
            reason=form.reason.data or "",
            success=_("The deadline is extended; the candidate is told."),
        )
    else:
        flash_errors(form)
    return redirect(url_for("secretariat.questionnaire_deadlines"))


# --- The print view ----------------------------------------------------------------------------


def _reader_or_404(public_id: str) -> Candidacy:
    """The secretariat, or a panel member cleared on this candidacy; anyone else 404."""
    user = actor()
    if user.role is Role.SECRETARIAT:
        return candidacy_or_404(public_id)
    if user.role.is_panel:
        candidacy, _assignment, _rel = cleared_view(public_id)
        return candidacy
    abort(404)


@bp.route("/candidacies/<public_id>/questionnaire/print")
@requires(Permission.CANDIDACY_VIEW)
def questionnaire_print(public_id: str) -> object:
    candidacy = _reader_or_404(public_id)
    response = ops.response_of(db.session, candidacy.id)
    if response is None or response.submitted_at is None:
        abort(404)
    sheet = ops.answer_sheet(db.session, response, levels=frozenset({Level.PUBLIC, Level.PANEL}))
    declarations = ops.declarations_of(db.session, candidacy.id)
    run(ops.note_questionnaire_read, actor(), candidacy, what="print")
    election = db.session.get(Election, candidacy.election_id)
    return render_template(
        "questionnaire/print.html",
        candidacy=candidacy,
        election=election,
        response=response,
        sheet=sheet,
        declarations=declarations,
        items=rules.DECLARATION_ITEMS,
        languages=LANGUAGE_WORDS,
        public_level=Level.PUBLIC,
        reader=actor(),
        printed_on=reminders.today().isoformat(),
    )


@bp.route("/candidacies/<public_id>/questionnaire/files/<int:question_id>")
@requires(Permission.CANDIDACY_VIEW)
def questionnaire_file(public_id: str, question_id: int) -> object:
    candidacy = _reader_or_404(public_id)
    response = ops.response_of(db.session, candidacy.id)
    if response is None or response.submitted_at is None:
        abort(404)
    answer = ops.answers_of(db.session, response.id).get(question_id)
    if answer is None or answer.file_id is None:
        abort(404)
    outcome = attempt(ops.download_answer_file, actor(), candidacy, answer, file_store())
    if outcome.value is None:
        abort(404)
    return send_download(outcome.value)
