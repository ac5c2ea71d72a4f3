"""The candidate's questionnaire: opening it (which freezes its template version), saving
drafts, submitting with the signed declaration, amending the declaration afterwards, and the
audited reads of the submitted material.

Drafts are server-side rows (`Answer`; the declaration's draft is its version 0, unsigned), so
they survive a closed browser and a restart; a draft is refused only for what could not be
stored, and a refusal changes nothing. Submission checks every answer and the declaration and
lists every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import questionnaire as rules
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import Level, QuestionKind
from vetting.models import (
    Answer,
    Candidacy,
    Declaration,
    QuestionnaireResponse,
    QuestionnaireTemplate,
    StoredFile,
    TemplateQuestion,
    User,
)
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations import reminders, templates
from vetting.operations.diligence import Download
from vetting.operations.errors import Refused
from vetting.operations.files import FileStore, Tampered, Upload
from vetting.operations.nominations import staff_with_role
from vetting.operations.workflow import transition

DRAFT_VERSION = 0


class Incomplete(Refused):
    """Submission (or a draft) refused; `problems` lists every field at once, keyed by
    `field_of(question)`, `item_field(key)` or "signature"/"reason"."""

    def __init__(self, problems: dict[str, str]) -> None:
        count = len(problems)
        super().__init__(
            "1 answer needs attention." if count == 1 else f"{count} answers need attention."
        )
        self.problems = problems


def field_of(question_id: int) -> str:
    return f"q{question_id}"


def item_field(key: str) -> str:
    return f"d_{key}"


@dataclass(frozen=True)
class AnswerInput:
    text: str = ""
    choice: str | None = None
    choices: tuple[str, ...] = ()
    date_value: date | None = None
    language: str = "en"
    upload: Upload | None = None
    remove_file: bool = False


@dataclass(frozen=True)
class DeclarationInput:
    items: Mapping[str, rules.DeclarationAnswer] = field(default_factory=dict)
    signed_name: str = ""


# --- Loading ---------------------------------------------------------------------------------


def response_of(session: Session, candidacy_id: int) -> QuestionnaireResponse | None:
    return session.scalar(
        sa.select(QuestionnaireResponse).where(QuestionnaireResponse.candidacy_id == candidacy_id)
    )


def answers_of(session: Session, response_id: int) -> dict[int, Answer]:
    rows = session.scalars(sa.select(Answer).where(Answer.response_id == response_id)).all()
    return {a.question_id: a for a in rows}


def files_of(session: Session, answers: Mapping[int, Answer]) -> dict[int, StoredFile]:
    ids = [a.file_id for a in answers.values() if a.file_id is not None]
    if not ids:
        return {}
    return {f.id: f for f in session.scalars(sa.select(StoredFile).where(StoredFile.id.in_(ids)))}


def declarations_of(session: Session, candidacy_id: int) -> list[Declaration]:
    """Every signed version, oldest first (the unsigned draft is not part of the history)."""
    return list(
        session.scalars(
            sa.select(Declaration)
            .where(Declaration.candidacy_id == candidacy_id, Declaration.version > DRAFT_VERSION)
            .order_by(Declaration.version)
        )
    )


def declaration_draft(session: Session, candidacy_id: int) -> Declaration | None:
    return session.scalar(
        sa.select(Declaration).where(
            Declaration.candidacy_id == candidacy_id, Declaration.version == DRAFT_VERSION
        )
    )


def declaration_answers(items: Mapping[str, Any] | None) -> dict[str, rules.DeclarationAnswer]:
    result: dict[str, rules.DeclarationAnswer] = {}
    for key, value in (items or {}).items():
        if isinstance(value, dict):
            result[key] = rules.DeclarationAnswer(
                answer=str(value.get("answer") or ""), details=str(value.get("details") or "")
            )
    return result


def value_of(answer: Answer | None) -> rules.AnswerValue:
    if answer is None:
        return rules.AnswerValue()
    return rules.AnswerValue(
        text=answer.text or "",
        choice=answer.choice,
        choices=tuple(answer.choices or ()),
        date_value=answer.date_value,
        has_file=answer.file_id is not None,
        language=answer.language,
    )


# --- Opening ---------------------------------------------------------------------------------


def _own(actor: User, candidacy: Candidacy) -> None:
    if actor.role is not Role.CANDIDATE or actor.id != candidacy.candidate_user_id:
        raise Refused("Only the candidate answers their questionnaire.")


def _own_open_questionnaire(actor: User, candidacy: Candidacy) -> None:
    _own(actor, candidacy)
    if candidacy.stage is not Stage.QUESTIONNAIRE:
        raise Refused("The questionnaire is not open: it was submitted or is not yet available.")


def open_questionnaire(
    session: Session, actor: User, candidacy: Candidacy
) -> QuestionnaireResponse:
    """The candidate's response, tied on first opening to the newest template version, which
    freezes then. Opening again changes nothing."""
    _own_open_questionnaire(actor, candidacy)
    response = response_of(session, candidacy.id)
    if response is not None and response.template_id is not None:
        return response
    template = templates.current_template(session, candidacy.election_id)
    templates.freeze_template(session, actor, template)
    if response is None:
        response = QuestionnaireResponse(candidacy_id=candidacy.id, answers={})
        session.add(response)
    response.template_id = template.id
    response.opened_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.QUESTIONNAIRE_OPEN,
        response,
        {"template_version": template.version},
    )
    reminders.ensure_deadline(session, candidacy, actor)
    return response


def template_of(session: Session, response: QuestionnaireResponse) -> QuestionnaireTemplate:
    assert response.template_id is not None
    template = session.get(QuestionnaireTemplate, response.template_id)
    assert template is not None
    return template


# --- Drafts ----------------------------------------------------------------------------------


def _same(answer: Answer, value: AnswerInput) -> bool:
    return (
        answer.text == value.text
        and (answer.choice or None) == (value.choice or None)
        and tuple(answer.choices or ()) == value.choices
        and answer.date_value == value.date_value
        and answer.language == value.language
        and value.upload is None
        and not (value.remove_file and answer.file_id is not None)
    )


def save_draft(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    answers: Mapping[int, AnswerInput],
    *,
    declaration: DeclarationInput | None = None,
    store: FileStore | None = None,
) -> QuestionnaireResponse:
    """Keep what the candidate typed. Refused (and nothing kept) only when an answer could not
    be stored as given: too long, an unknown option or language, a file of a refused type."""
    _own_open_questionnaire(actor, candidacy)
    response = open_questionnaire(session, actor, candidacy)
    if response.submitted_at is not None:
        raise Refused("The questionnaire was already submitted; its answers are locked.")
    questions = {q.id: q for q in templates.questions_of(session, response.template_id or 0)}
    unknown = [qid for qid in answers if qid not in questions]
    if unknown:
        raise Refused("An answer names a question that is not in your questionnaire.")
    problems: dict[str, str] = {}
    for qid, given in answers.items():
        spec = templates.spec_of(questions[qid])
        value = rules.AnswerValue(
            text=given.text,
            choice=given.choice,
            choices=given.choices,
            date_value=given.date_value,
            language=given.language,
        )
        problem = rules.check_draft(spec, value)
        if problem is None and given.upload is not None:
            if spec.kind is not QuestionKind.FILE:
                problem = "This question does not take a file."
            elif store is None:
                problem = "Files cannot be received here."
            else:
                try:
                    store.check(given.upload)
                except Refused as refused:
                    problem = str(refused)
        if problem is not None:
            problems[field_of(qid)] = problem
    if declaration is not None:
        problems.update(
            {
                (item_field(k) if k != "signature" else k): v
                for k, v in rules.validate_declaration(
                    declaration.items,
                    signed_name=declaration.signed_name,
                    full_name=candidacy.full_name,
                    for_submission=False,
                ).items()
            }
        )
        if len(declaration.signed_name) > 200:
            problems["signature"] = "A signature has at most 200 characters."
    if problems:
        raise Incomplete(problems)

    existing = answers_of(session, response.id)
    changed = 0
    now = utcnow()
    for qid, given in answers.items():
        answer = existing.get(qid)
        if answer is not None and _same(answer, given):
            continue
        if answer is None:
            answer = Answer(response_id=response.id, question_id=qid)
            session.add(answer)
        answer.text = given.text
        answer.choice = given.choice or None
        answer.choices = list(given.choices) or None
        answer.date_value = given.date_value
        answer.language = given.language
        if given.upload is not None and store is not None:
            answer.file_id = store.store(session, given.upload, actor).id
        elif given.remove_file:
            answer.file_id = None
        answer.updated_at = now
        changed += 1
    if declaration is not None and _save_declaration_draft(session, candidacy, declaration):
        changed += 1
    if changed:
        response.updated_at = now
        session.flush()
        audit.record(session, actor, AuditAction.QUESTIONNAIRE_SAVE, response, {"changed": changed})
    return response


def _items_json(items: Mapping[str, rules.DeclarationAnswer]) -> dict[str, Any]:
    known = {item.key for item in rules.DECLARATION_ITEMS}
    return {
        key: {"answer": value.answer, "details": value.details}
        for key, value in items.items()
        if key in known
    }


def _save_declaration_draft(
    session: Session, candidacy: Candidacy, declaration: DeclarationInput
) -> bool:
    draft = declaration_draft(session, candidacy.id)
    items = _items_json(declaration.items)
    if draft is not None and draft.items == items and draft.signed_name == declaration.signed_name:
        return False
    if draft is None:
        draft = Declaration(candidacy_id=candidacy.id, version=DRAFT_VERSION)
        session.add(draft)
    draft.items = items
    draft.signed_name = declaration.signed_name
    draft.wording_version = rules.WORDING_VERSION
    draft.signed_at = utcnow()
    return True


# --- Submission ------------------------------------------------------------------------------


def problems_of(
    session: Session, candidacy: Candidacy, response: QuestionnaireResponse
) -> dict[str, str]:
    """Everything that stands between the saved draft and a submission, keyed by field."""
    questions = templates.questions_of(session, response.template_id or 0)
    saved = answers_of(session, response.id)
    problems = {
        field_of(int(key)): message
        for key, message in rules.validate_answers(
            [templates.spec_of(q) for q in questions],
            {str(q.id): value_of(saved.get(q.id)) for q in questions},
            for_submission=True,
        ).items()
    }
    draft = declaration_draft(session, candidacy.id)
    for key, message in rules.validate_declaration(
        declaration_answers(draft.items if draft else None),
        signed_name=draft.signed_name if draft else "",
        full_name=candidacy.full_name,
    ).items():
        problems[key if key == "signature" else item_field(key)] = message
    return problems


def submit_questionnaire(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    answers: Mapping[int, AnswerInput],
    *,
    declaration: DeclarationInput,
    store: FileStore | None = None,
) -> QuestionnaireResponse:
    response = save_draft(session, actor, candidacy, answers, declaration=declaration, store=store)
    problems = problems_of(session, candidacy, response)
    if problems:
        raise Incomplete(problems)
    now = utcnow()
    response.submitted_at = now
    draft = declaration_draft(session, candidacy.id)
    assert draft is not None
    draft.version = 1
    draft.signed_at = now
    draft.wording_version = rules.WORDING_VERSION
    draft.amendment_reason = None
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.DECLARATION_SIGN,
        draft,
        {"version": 1, "wording_version": rules.WORDING_VERSION},
    )
    transition(session, actor, candidacy, Action.SUBMIT_QUESTIONNAIRE)
    audit.record(session, actor, AuditAction.QUESTIONNAIRE_SUBMIT, response)
    context = {"candidate": candidacy.full_name}
    queue_notice(session, NoticeKind.QUESTIONNAIRE_SUBMITTED, to=actor, context=context)
    for user in staff_with_role(session, Role.SECRETARIAT):
        queue_notice(session, NoticeKind.QUESTIONNAIRE_SUBMITTED, to=user, context=context)
    return response


# --- The declaration after submission --------------------------------------------------------


def amend_declaration(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    declaration: DeclarationInput,
    *,
    reason: str,
) -> Declaration:
    """The continuing duty to disclose: a new signed version, with the reason; the earlier
    versions stay as they were. The secretariat is told."""
    _own(actor, candidacy)
    history = declarations_of(session, candidacy.id)
    if not history:
        raise Refused("The declaration is signed with the questionnaire; submit that first.")
    if candidacy.stage.is_terminal:
        raise Refused("The candidacy is closed or withdrawn: the declaration can no longer change.")
    problems = {
        (key if key == "signature" else item_field(key)): message
        for key, message in rules.validate_declaration(
            declaration.items, signed_name=declaration.signed_name, full_name=candidacy.full_name
        ).items()
    }
    reason_problem = rules.validate_amendment_reason(reason)
    if reason_problem is not None:
        problems["reason"] = reason_problem
    if problems:
        raise Incomplete(problems)
    version = history[-1].version + 1
    amended = Declaration(
        candidacy_id=candidacy.id,
        version=version,
        items=_items_json(declaration.items),
        wording_version=rules.WORDING_VERSION,
        signed_name=" ".join(declaration.signed_name.split()),
        signed_at=utcnow(),
        amendment_reason=reason.strip(),
    )
    session.add(amended)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.DECLARATION_AMEND,
        amended,
        {"version": version, "reason": reason.strip()},
    )
    context = {"candidate": candidacy.full_name, "version": version, "reason": reason.strip()}
    for user in staff_with_role(session, Role.SECRETARIAT):
        queue_notice(session, NoticeKind.DECLARATION_AMENDED, to=user, context=context)
    return amended


# --- Reading the submitted material ----------------------------------------------------------


def note_questionnaire_read(
    session: Session, actor: User, candidacy: Candidacy, *, what: str
) -> None:
    """The submitted questionnaire and the declaration's history are panel-level material:
    every read by someone other than the candidate is on record."""
    audit.record(session, actor, AuditAction.QUESTIONNAIRE_READ, candidacy, {"what": what})


@dataclass(frozen=True)
class SheetRow:
    question: TemplateQuestion
    answer: Answer | None
    file: StoredFile | None


@dataclass(frozen=True)
class SheetSection:
    title: str
    rows: list[SheetRow]


@dataclass(frozen=True)
class AnswerSheet:
    response: QuestionnaireResponse
    template: QuestionnaireTemplate
    sections: list[SheetSection]


def answer_sheet(
    session: Session, response: QuestionnaireResponse, *, levels: frozenset[Level]
) -> AnswerSheet | None:
    """The answers of a response under its template's questions, limited to the questions whose
    visibility is in `levels` (the public sees PUBLIC only); a constant number of statements."""
    if response.template_id is None:
        return None
    template = template_of(session, response)
    saved = answers_of(session, response.id)
    files = files_of(session, saved)
    sections = []
    for part in templates.contents_of(session, template.id):
        rows = [
            SheetRow(
                q,
                saved.get(q.id),
                files.get(saved[q.id].file_id or 0) if q.id in saved else None,
            )
            for q in part.questions
            if q.visibility in levels
        ]
        if rows:
            sections.append(SheetSection(part.section.title, rows))
    return AnswerSheet(response, template, sections)


def download_answer_file(
    session: Session, actor: User, candidacy: Candidacy, answer: Answer, store: FileStore
) -> Download:
    """A file attached to an answer, for the candidate or for whoever the view let read the
    submitted questionnaire; every download (or tampered file) is audited."""
    if answer.file_id is None:
        raise Refused("This answer has no file.")
    stored = session.get(StoredFile, answer.file_id)
    assert stored is not None
    details = {"answer": answer.id, "candidacy": candidacy.id, "file_id": stored.id}
    try:
        data = store.read(stored)
    except Tampered as tampered:
        audit.record(session, actor, AuditAction.FILE_TAMPERED, stored, details)
        return Download(stored, problem=str(tampered))
    audit.record(session, actor, AuditAction.FILE_DOWNLOAD, stored, details)
    return Download(stored, data=data)
