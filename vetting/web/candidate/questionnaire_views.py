"""The candidate's questionnaire: answering (with drafts that are never lost), submitting, the
declaration's history and amendments.

Drafts are kept three ways. The page's script (static/questionnaire.js) saves to the autosave
endpoint a moment after typing stops, and keeps an unsent copy in the browser's storage until
the server confirms it, resending it after a new sign-in. Without the script, "Save draft" posts
the form. And a form posted by an expired session (signed out, or its CSRF token gone) is not
turned away: a hook answers it with the typed text kept in a page that signs in again and saves
it in one step (`rescue`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.datastructures import MultiDict
from wtforms import ValidationError

from vetting.domain import questionnaire as rules
from vetting.domain.candidacy_access import is_own_candidate
from vetting.domain.roles import Permission, Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Level, QuestionKind
from vetting.extensions import db
from vetting.models import Answer, Candidacy, TemplateQuestion
from vetting.operations import accounts, reminders, templates
from vetting.operations import questionnaires as ops
from vetting.operations.panel import relation_of
from vetting.web.candidate import bp
from vetting.web.candidate.forms import AmendmentForm, QuestionnaireForm, RescueForm
from vetting.web.files import file_store, send_download, upload_of
from vetting.web.helpers import actor, attempt, candidacy_or_404, run
from vetting.web.policy import public, requires
from vetting.web.words import LANGUAGE_WORDS

RESCUED_ENDPOINTS = frozenset({"candidate.questionnaire"})
# Fields never carried over by the rescue page (the token is stale; the buttons are its own).
NOT_CARRIED = frozenset({"csrf_token", "save", "submit", "email", "password"})


def _own_candidacy(public_id: str) -> Candidacy:
    candidacy = candidacy_or_404(public_id)
    if not is_own_candidate(relation_of(actor(), candidacy, None)):
        abort(404)
    return candidacy


def _default_language() -> str:
    user = actor()
    return user.language if user.language in rules.LANGUAGES else "en"


# --- Reading the posted answers ---------------------------------------------------------------


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()) if value else None
    except ValueError:
        return None


def parse_answers(
    form: MultiDict[str, str],
    files: Mapping[str, Any] | None,
    questions: list[TemplateQuestion],
    default_language: str,
) -> dict[int, ops.AnswerInput]:
    answers: dict[int, ops.AnswerInput] = {}
    for q in questions:
        name = ops.field_of(q.id)
        kind = q.kind
        choices: tuple[str, ...] = ()
        choice: str | None = None
        if kind is QuestionKind.MULTIPLE_CHOICE:
            choices = tuple(form.getlist(f"{name}_choices"))
        elif kind in (QuestionKind.YES_NO, QuestionKind.SINGLE_CHOICE):
            choice = form.get(f"{name}_choice") or None
        upload = upload_of(files.get(f"{name}_file")) if files is not None else None
        answers[q.id] = ops.AnswerInput(
            text=form.get(name, ""),
            choice=choice,
            choices=choices,
            date_value=_date(form.get(f"{name}_date")) if kind is QuestionKind.DATE else None,
            language=form.get(f"{name}_lang") or default_language,
            upload=upload,
            remove_file=bool(form.get(f"{name}_remove")),
        )
    return answers


def parse_declaration(form: MultiDict[str, str]) -> ops.DeclarationInput:
    return ops.DeclarationInput(
        items={
            item.key: rules.DeclarationAnswer(
                answer=form.get(ops.item_field(item.key), ""),
                details=form.get(f"{ops.item_field(item.key)}_details", ""),
            )
            for item in rules.DECLARATION_ITEMS
        },
        signed_name=form.get("signature", ""),
    )


# --- What the page shows ----------------------------------------------------------------------


def _values_from_rows(
    answers: Mapping[int, Answer], draft: Any, default_language: str
) -> dict[str, Any]:
    """The saved draft as the page's field values."""
    values: dict[str, Any] = {}
    for qid, a in answers.items():
        name = ops.field_of(qid)
        values[name] = a.text
        values[f"{name}_choice"] = a.choice or ""
        values[f"{name}_choices"] = list(a.choices or [])
        values[f"{name}_date"] = a.date_value.isoformat() if a.date_value else ""
        values[f"{name}_lang"] = a.language
        values[f"{name}_has_file"] = a.file_id is not None
    if draft is not None:
        for key, given in ops.declaration_answers(draft.items).items():
            values[ops.item_field(key)] = given.answer
            values[f"{ops.item_field(key)}_details"] = given.details
        values["signature"] = draft.signed_name
    values["_default_language"] = default_language
    return values


def _values_from_form(form: MultiDict[str, str], saved: dict[str, Any]) -> dict[str, Any]:
    """What was just posted, over what is saved (so a refused post shows the typed text)."""
    values = dict(saved)
    for key in form:
        if key.endswith("_choices"):
            values[key] = form.getlist(key)
        else:
            values[key] = form.get(key)
    # A multiple choice with every box unticked sends nothing: it was cleared, not left alone.
    for key in list(values):
        if key.endswith("_choices") and key not in form and "csrf_token" in form:
            values[key] = []
    return values


def _render_page(
    candidacy: Candidacy,
    response: Any,
    *,
    values: dict[str, Any] | None = None,
    problems: Mapping[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    parts = templates.contents_of(db.session, response.template_id)
    saved = ops.answers_of(db.session, response.id)
    files = ops.files_of(db.session, saved)
    draft = ops.declaration_draft(db.session, candidacy.id)
    shown = values or _values_from_rows(saved, draft, _default_language())
    shown.setdefault("_default_language", _default_language())
    labels = {ops.field_of(q.id): q.text for part in parts for q in part.questions}
    labels.update({ops.item_field(i.key): i.text for i in rules.DECLARATION_ITEMS})
    labels["signature"] = _("Signature")
    html = render_template(
        "candidate/questionnaire.html",
        candidacy=candidacy,
        response=response,
        parts=parts,
        saved=saved,
        files=files,
        values=shown,
        problems=dict(problems or {}),
        labels=labels,
        items=rules.DECLARATION_ITEMS,
        statement=rules.DECLARATION,
        wording_version=rules.WORDING_VERSION,
        form=QuestionnaireForm(formdata=None),
        languages=LANGUAGE_WORDS,
        kinds=QuestionKind,
        public_level=Level.PUBLIC,
        field_of=ops.field_of,
        item_field=ops.item_field,
        due_on=candidacy.questionnaire_due_on,
        days_overdue=rules.days_overdue(candidacy.questionnaire_due_on, reminders.today()),
    )
    return html, status


def _render_submitted(candidacy: Candidacy, response: Any) -> str:
    sheet = ops.answer_sheet(db.session, response, levels=frozenset({Level.PUBLIC, Level.PANEL}))
    return render_template(
        "candidate/questionnaire_submitted.html",
        candidacy=candidacy,
        response=response,
        sheet=sheet,
        declarations=ops.declarations_of(db.session, candidacy.id),
        items=rules.DECLARATION_ITEMS,
        languages=LANGUAGE_WORDS,
        kinds=QuestionKind,
        may_amend=not candidacy.stage.is_terminal,
        file_url=lambda question_id: url_for(
            "candidate.questionnaire_file", public_id=candidacy.public_id, question_id=question_id
        ),
    )


# --- The questionnaire ------------------------------------------------------------------------


@bp.route("/candidate/<public_id>/questionnaire", methods=["GET", "POST"])
@requires(Permission.QUESTIONNAIRE_ANSWER)
def questionnaire(public_id: str) -> object:
    candidacy = _own_candidacy(public_id)
    response = ops.response_of(db.session, candidacy.id)
    if response is not None and response.submitted_at is not None and request.method == "GET":
        return _render_submitted(candidacy, response)
    if candidacy.stage is not Stage.QUESTIONNAIRE:
        if request.method == "POST":
            # Refused by the operation, which says why; the typed text is shown back.
            run(ops.save_draft, actor(), candidacy, {})
        return render_template("candidate/questionnaire_closed.html", candidacy=candidacy), (
            422 if request.method == "POST" else 200
        )
    if response is None or response.template_id is None:
        opened = attempt(ops.open_questionnaire, actor(), candidacy)
        if opened.value is None:
            abort(404)
        response = opened.value
    if request.method == "GET":
        return _render_page(candidacy, response)

    form = QuestionnaireForm()
    questions = templates.questions_of(db.session, response.template_id or 0)
    answers = parse_answers(request.form, request.files, questions, _default_language())
    declaration = parse_declaration(request.form)
    saved_values = _values_from_rows(
        ops.answers_of(db.session, response.id),
        ops.declaration_draft(db.session, candidacy.id),
        _default_language(),
    )
    if not form.validate_on_submit():
        return _render_page(
            candidacy, response, values=_values_from_form(request.form, saved_values), status=422
        )
    # Nothing typed is ever lost: the draft is committed on its own before the submission is
    # attempted, so a refused submission still leaves the answers saved.
    saving = attempt(
        ops.save_draft, actor(), candidacy, answers, declaration=declaration, store=file_store()
    )
    if saving.refusal is not None:
        flash(str(saving.refusal), "error")
        problems = getattr(saving.refusal, "problems", {})
        return _render_page(
            candidacy,
            response,
            values=_values_from_form(request.form, saved_values),
            problems=problems,
            status=422,
        )
    if not form.submit.data:
        flash(_("Your draft is saved."), "success")
        return redirect(url_for("candidate.questionnaire", public_id=public_id))
    submitted = attempt(ops.submit_questionnaire, actor(), candidacy, {}, declaration=declaration)
    if submitted.refusal is None:
        flash(_("Your questionnaire is submitted."), "success")
        return redirect(url_for("candidate.questionnaire", public_id=public_id))
    flash(str(submitted.refusal), "error")
    db.session.expire_all()
    response = ops.response_of(db.session, candidacy.id)
    return _render_page(
        candidacy,
        response,
        problems=getattr(submitted.refusal, "problems", {}),
        status=422,
    )


@bp.route("/candidate/<public_id>/questionnaire/autosave", methods=["POST"])
@requires(Permission.QUESTIONNAIRE_ANSWER)
def questionnaire_autosave(public_id: str) -> object:
    """The script's draft save: the whole form but its files; JSON back."""
    candidacy = _own_candidacy(public_id)
    response = ops.response_of(db.session, candidacy.id)
    if response is None or response.template_id is None:
        return jsonify(ok=False, message=_("Open the questionnaire first.")), 409
    questions = templates.questions_of(db.session, response.template_id)
    answers = parse_answers(request.form, None, questions, _default_language())
    outcome = attempt(
        ops.save_draft, actor(), candidacy, answers, declaration=parse_declaration(request.form)
    )
    if outcome.refusal is not None:
        return jsonify(
            ok=False,
            message=str(outcome.refusal),
            problems=getattr(outcome.refusal, "problems", {}),
        ), 422
    saved = outcome.value
    assert saved is not None
    return jsonify(ok=True, saved_at=saved.updated_at.isoformat())


@bp.route("/candidate/<public_id>/questionnaire/files/<int:question_id>")
@requires(Permission.QUESTIONNAIRE_ANSWER)
def questionnaire_file(public_id: str, question_id: int) -> object:
    candidacy = _own_candidacy(public_id)
    response = ops.response_of(db.session, candidacy.id)
    if response is None:
        abort(404)
    answer = ops.answers_of(db.session, response.id).get(question_id)
    if answer is None or answer.file_id is None:
        abort(404)
    outcome = attempt(ops.download_answer_file, actor(), candidacy, answer, file_store())
    if outcome.value is None:
        abort(404)
    return send_download(outcome.value)


# --- The declaration's history and amendments -------------------------------------------------


@bp.route("/candidate/<public_id>/declaration", methods=["GET", "POST"])
@requires(Permission.QUESTIONNAIRE_ANSWER)
def declaration(public_id: str) -> object:
    candidacy = _own_candidacy(public_id)
    history = ops.declarations_of(db.session, candidacy.id)
    if not history:
        abort(404)
    form = AmendmentForm()
    latest = history[-1]
    values: dict[str, Any] = {}
    for key, given in ops.declaration_answers(latest.items).items():
        values[ops.item_field(key)] = given.answer
        values[f"{ops.item_field(key)}_details"] = given.details
    problems: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values.update({k: request.form.get(k) for k in request.form})
        if form.validate_on_submit():
            outcome = attempt(
                ops.amend_declaration,
                actor(),
                candidacy,
                parse_declaration(request.form),
                reason=form.reason.data or "",
            )
            if outcome.refusal is None:
                flash(_("Your amendment is filed; the secretariat is told."), "success")
                return redirect(url_for("candidate.declaration", public_id=public_id))
            flash(str(outcome.refusal), "error")
            problems = getattr(outcome.refusal, "problems", {})
        status = 422
    return render_template(
        "candidate/declaration.html",
        candidacy=candidacy,
        history=history,
        items=rules.DECLARATION_ITEMS,
        values=values,
        problems=problems,
        form=form,
        item_field=ops.item_field,
        may_amend=not candidacy.stage.is_terminal,
    ), status


# --- A form posted by an expired session ------------------------------------------------------


def _csrf_ok() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return False
    return True


def _carried(form: MultiDict[str, str]) -> list[tuple[str, str]]:
    return [(k, v) for k, values in form.lists() if k not in NOT_CARRIED for v in values]


def _rescue_page(public_id: str, carried: list[tuple[str, str]], status: int) -> tuple[str, int]:
    return render_template(
        "candidate/questionnaire_rescue.html",
        public_id=public_id,
        carried=carried,
        texts=[(k, v) for k, v in carried if v.strip() and len(v) > 3],
        form=RescueForm(formdata=None),
        signed_in=current_user.is_authenticated,
        had_files=any(f.filename for f in request.files.values()),
    ), status


def rescue_expired_post() -> Any:
    """Before the CSRF check and the access policy: a questionnaire posted by a session that
    has ended (signed out elsewhere, expired, its CSRF token gone) is shown back with its text,
    on a page that signs in again and saves it, instead of being turned away and lost."""
    if request.method != "POST" or request.endpoint not in RESCUED_ENDPOINTS:
        return None
    if current_user.is_authenticated and _csrf_ok():
        return None
    public_id = (request.view_args or {}).get("public_id", "")
    return _rescue_page(public_id, _carried(request.form), 401)


def install_rescue(app: Flask) -> None:
    # First in line: CSRFProtect's and the policy's hooks would refuse the post outright.
    app.before_request_funcs.setdefault(None, []).insert(0, rescue_expired_post)


bp.record_once(lambda state: install_rescue(state.app))


@bp.route("/candidate/<public_id>/questionnaire/rescue", methods=["POST"])
@public
def questionnaire_rescue(public_id: str) -> object:
    """Sign in (unless still signed in) and save the carried draft. Public at the route level
    because the sender's session has ended; the view authenticates, and saves only into the
    signed-in candidate's own open questionnaire."""
    form = RescueForm()
    carried = _carried(request.form)
    if not form.validate_on_submit():
        return _rescue_page(public_id, carried, 400)
    if not current_user.is_authenticated:
        if not form.email.data or not form.password.data:
            flash(_("Give your email and password to sign in again."), "error")
            return _rescue_page(public_id, carried, 401)
        user = accounts.authenticate(db.session, form.email.data or "", form.password.data or "")
        db.session.commit()
        if user is None:
            flash(_("The email or password is not correct."), "error")
            return _rescue_page(public_id, carried, 401)
        session.clear()
        login_user(user)
    user = actor()
    candidacy = candidacy_or_404(public_id)
    if user.role is not Role.CANDIDATE or not is_own_candidate(relation_of(user, candidacy, None)):
        abort(404)
    response = ops.response_of(db.session, candidacy.id)
    if response is None or response.template_id is None:
        abort(404)
    kept = MultiDict(carried)
    questions = templates.questions_of(db.session, response.template_id)
    outcome = run(
        ops.save_draft,
        user,
        candidacy,
        parse_answers(kept, None, questions, _default_language()),
        declaration=parse_declaration(kept),
        success=_("You are signed in again and your draft is saved."),
    )
    if outcome.refusal is not None:
        saved = _values_from_rows(
            ops.answers_of(db.session, response.id),
            ops.declaration_draft(db.session, candidacy.id),
            _default_language(),
        )
        return _render_page(
            candidacy,
            response,
            values=_values_from_form(kept, saved),
            problems=getattr(outcome.refusal, "problems", {}),
            status=422,
        )
    return redirect(url_for("candidate.questionnaire", public_id=public_id))
