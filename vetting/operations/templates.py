"""Questionnaire templates: built by the secretariat per election, versioned, frozen when the
first candidate opens one.

Every election has a template: the default (the skeleton's questions, version 1) is created on
first use, so that elections made before templates existed keep working. The secretariat edits
the newest version. While no candidate has opened it, it changes in place; once frozen, an edit
first copies it into the next version and changes the copy, which candidates who open their
questionnaire later receive. A candidate keeps the version they opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import questionnaire as rules
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.vocabulary import Level, QuestionKind
from vetting.models import (
    Election,
    QuestionnaireTemplate,
    TemplateQuestion,
    TemplateSection,
    User,
)
from vetting.models.base import utcnow
from vetting.operations.errors import Refused

MAX_TITLE_CHARS = 200


@dataclass(frozen=True)
class QuestionData:
    kind: QuestionKind
    text: str
    help_text: str = ""
    required: bool = True
    word_limit: int | None = None
    visibility: Level = Level.PANEL
    choices: tuple[str, ...] = ()

    def spec(self) -> rules.QuestionSpec:
        return rules.QuestionSpec(
            key="new",
            kind=self.kind,
            text=self.text,
            required=self.required,
            word_limit=self.word_limit,
            choices=tuple(c.strip() for c in self.choices),
            visibility=self.visibility,
            help_text=self.help_text,
        )


class InvalidQuestion(Refused):
    """A question refused; `problems` names each field at fault."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class SectionContents:
    section: TemplateSection
    questions: list[TemplateQuestion]


def spec_of(question: TemplateQuestion) -> rules.QuestionSpec:
    return rules.QuestionSpec(
        key=str(question.id),
        kind=question.kind,
        text=question.text,
        required=question.required,
        word_limit=question.word_limit,
        choices=tuple(question.choices or ()),
        visibility=question.visibility,
        help_text=question.help_text,
    )


def latest_template(session: Session, election_id: int) -> QuestionnaireTemplate | None:
    return session.scalar(
        sa.select(QuestionnaireTemplate)
        .where(QuestionnaireTemplate.election_id == election_id)
        .order_by(QuestionnaireTemplate.version.desc())
        .limit(1)
    )


def versions_of(session: Session, election_id: int) -> list[QuestionnaireTemplate]:
    return list(
        session.scalars(
            sa.select(QuestionnaireTemplate)
            .where(QuestionnaireTemplate.election_id == election_id)
            .order_by(QuestionnaireTemplate.version)
        )
    )


def current_template(
    session: Session, election_id: int, actor: User | None = None
) -> QuestionnaireTemplate:
    """The newest version of the election's template; the default one, made now, if none."""
    template = latest_template(session, election_id)
    if template is not None:
        return template
    template = QuestionnaireTemplate(
        election_id=election_id,
        version=1,
        title=rules.DEFAULT_TITLE,
        created_by_id=actor.id if actor is not None else None,
    )
    session.add(template)
    session.flush()
    for position, (title, questions) in enumerate(rules.DEFAULT_SECTIONS):
        section = TemplateSection(template_id=template.id, position=position, title=title)
        session.add(section)
        session.flush()
        for index, question in enumerate(questions):
            session.add(
                TemplateQuestion(
                    section_id=section.id,
                    position=index,
                    kind=question.kind,
                    text=question.text,
                    help_text="",
                    required=question.required,
                    word_limit=question.max_words,
                    visibility=question.level,
                    choices=None,
                )
            )
    session.flush()
    audit.record(session, actor, AuditAction.TEMPLATE_CREATE, template, {"version": 1})
    return template


def contents_of(session: Session, template_id: int) -> list[SectionContents]:
    """The template's sections and questions in order, in two statements."""
    sections = session.scalars(
        sa.select(TemplateSection)
        .where(TemplateSection.template_id == template_id)
        .order_by(TemplateSection.position, TemplateSection.id)
    ).all()
    ids = [s.id for s in sections]
    questions = (
        session.scalars(
            sa.select(TemplateQuestion)
            .where(TemplateQuestion.section_id.in_(ids))
            .order_by(TemplateQuestion.position, TemplateQuestion.id)
        ).all()
        if ids
        else []
    )
    by_section: dict[int, list[TemplateQuestion]] = {i: [] for i in ids}
    for question in questions:
        by_section[question.section_id].append(question)
    return [SectionContents(s, by_section[s.id]) for s in sections]


def questions_of(session: Session, template_id: int) -> list[TemplateQuestion]:
    return [q for part in contents_of(session, template_id) for q in part.questions]


def freeze_template(session: Session, actor: User, template: QuestionnaireTemplate) -> None:
    """Called when a candidate first opens the template; from now on it never changes."""
    if template.frozen_at is not None:
        return
    template.frozen_at = utcnow()
    audit.record(
        session,
        actor,
        AuditAction.TEMPLATE_FREEZE,
        template,
        {"election_id": template.election_id, "version": template.version},
    )


# --- Editing --------------------------------------------------------------------------------


@dataclass
class _Editable:
    template: QuestionnaireTemplate
    sections: dict[int, int]  # id in the newest version -> id in the editable one
    questions: dict[int, int]
    new_version: bool


def _secretariat(actor: User) -> None:
    if actor.role is not Role.SECRETARIAT:
        raise Refused("Only the secretariat edits questionnaire templates.")


def _editable(session: Session, actor: User, election: Election) -> _Editable:
    _secretariat(actor)
    latest = current_template(session, election.id, actor)
    if latest.frozen_at is None:
        parts = contents_of(session, latest.id)
        return _Editable(
            latest,
            {p.section.id: p.section.id for p in parts},
            {q.id: q.id for p in parts for q in p.questions},
            new_version=False,
        )
    copy = QuestionnaireTemplate(
        election_id=election.id,
        version=latest.version + 1,
        title=latest.title,
        created_by_id=actor.id,
    )
    session.add(copy)
    session.flush()
    sections: dict[int, int] = {}
    questions: dict[int, int] = {}
    for part in contents_of(session, latest.id):
        section = TemplateSection(
            template_id=copy.id, position=part.section.position, title=part.section.title
        )
        session.add(section)
        session.flush()
        sections[part.section.id] = section.id
        for q in part.questions:
            new = TemplateQuestion(
                section_id=section.id,
                position=q.position,
                kind=q.kind,
                text=q.text,
                help_text=q.help_text,
                required=q.required,
                word_limit=q.word_limit,
                visibility=q.visibility,
                choices=list(q.choices) if q.choices is not None else None,
            )
            session.add(new)
            session.flush()
            questions[q.id] = new.id
    audit.record(
        session,
        actor,
        AuditAction.TEMPLATE_CREATE,
        copy,
        {"version": copy.version, "copied_from": latest.version},
    )
    return _Editable(copy, sections, questions, new_version=True)


def _audit_edit(
    session: Session, actor: User, editable: _Editable, change: str, data: dict[str, Any]
) -> None:
    audit.record(
        session,
        actor,
        AuditAction.TEMPLATE_EDIT,
        editable.template,
        {"version": editable.template.version, "change": change, **data},
    )


def _section(session: Session, editable: _Editable, section_id: int) -> TemplateSection:
    mapped = editable.sections.get(section_id)
    section = session.get(TemplateSection, mapped) if mapped is not None else None
    if section is None:
        raise Refused("That section is not in the current version of the questionnaire.")
    return section


def _question(session: Session, editable: _Editable, question_id: int) -> TemplateQuestion:
    mapped = editable.questions.get(question_id)
    question = session.get(TemplateQuestion, mapped) if mapped is not None else None
    if question is None:
        raise Refused("That question is not in the current version of the questionnaire.")
    return question


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise Refused("Give the section a title.")
    if len(title) > MAX_TITLE_CHARS:
        raise Refused(f"A section title has at most {MAX_TITLE_CHARS} characters.")
    return title


def _check_question(data: QuestionData) -> None:
    problems = rules.check_question(data.spec())
    if problems:
        raise InvalidQuestion(problems)


def _renumber(items: Sequence[Any]) -> None:
    for position, item in enumerate(items):
        item.position = position


def add_section(
    session: Session, actor: User, election: Election, *, title: str
) -> TemplateSection:
    _secretariat(actor)
    title = _check_title(title)
    editable = _editable(session, actor, election)
    count = len(contents_of(session, editable.template.id))
    section = TemplateSection(template_id=editable.template.id, position=count, title=title)
    session.add(section)
    session.flush()
    _audit_edit(session, actor, editable, "section_add", {"title": title})
    return section


def rename_section(
    session: Session, actor: User, election: Election, section_id: int, *, title: str
) -> TemplateSection:
    _secretariat(actor)
    title = _check_title(title)
    editable = _editable(session, actor, election)
    section = _section(session, editable, section_id)
    section.title = title
    _audit_edit(session, actor, editable, "section_rename", {"title": title})
    return section


def remove_section(session: Session, actor: User, election: Election, section_id: int) -> None:
    _secretariat(actor)
    editable = _editable(session, actor, election)
    section = _section(session, editable, section_id)
    parts = contents_of(session, editable.template.id)
    if len(parts) == 1:
        raise Refused("A questionnaire keeps at least one section.")
    if any(p.section.id == section.id and p.questions for p in parts):
        raise Refused("Remove or move the section's questions first.")
    session.delete(section)
    session.flush()
    _renumber([p.section for p in parts if p.section.id != section.id])
    _audit_edit(session, actor, editable, "section_remove", {"title": section.title})


def move_section(
    session: Session, actor: User, election: Election, section_id: int, *, offset: int
) -> None:
    _secretariat(actor)
    editable = _editable(session, actor, election)
    section = _section(session, editable, section_id)
    order = [p.section for p in contents_of(session, editable.template.id)]
    index = order.index(section)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(order):
        raise Refused("The section is already at that end.")
    order[index], order[target] = order[target], order[index]
    _renumber(order)
    _audit_edit(session, actor, editable, "section_move", {"title": section.title, "to": target})


def add_question(
    session: Session, actor: User, election: Election, section_id: int, data: QuestionData
) -> TemplateQuestion:
    _secretariat(actor)
    _check_question(data)
    editable = _editable(session, actor, election)
    section = _section(session, editable, section_id)
    count = session.scalar(
        sa.select(sa.func.count(TemplateQuestion.id)).where(
            TemplateQuestion.section_id == section.id
        )
    )
    question = TemplateQuestion(section_id=section.id, position=count or 0)
    _apply(question, data)
    session.add(question)
    session.flush()
    _audit_edit(
        session, actor, editable, "question_add", {"kind": data.kind.value, "text": data.text}
    )
    return question


def _apply(question: TemplateQuestion, data: QuestionData) -> None:
    question.kind = data.kind
    question.text = data.text.strip()
    question.help_text = data.help_text.strip()
    question.required = data.required
    question.word_limit = data.word_limit
    question.visibility = data.visibility
    question.choices = (
        [c.strip() for c in data.choices] if data.kind in rules.CHOICE_KINDS else None
    )


def edit_question(
    session: Session, actor: User, election: Election, question_id: int, data: QuestionData
) -> TemplateQuestion:
    _secretariat(actor)
    _check_question(data)
    editable = _editable(session, actor, election)
    question = _question(session, editable, question_id)
    _apply(question, data)
    _audit_edit(
        session, actor, editable, "question_edit", {"kind": data.kind.value, "text": data.text}
    )
    return question


def remove_question(session: Session, actor: User, election: Election, question_id: int) -> None:
    _secretariat(actor)
    editable = _editable(session, actor, election)
    question = _question(session, editable, question_id)
    siblings = [
        q
        for part in contents_of(session, editable.template.id)
        if part.section.id == question.section_id
        for q in part.questions
        if q.id != question.id
    ]
    session.delete(question)
    session.flush()
    _renumber(siblings)
    _audit_edit(session, actor, editable, "question_remove", {"text": question.text})


def move_question(
    session: Session, actor: User, election: Election, question_id: int, *, offset: int
) -> None:
    _secretariat(actor)
    editable = _editable(session, actor, election)
    question = _question(session, editable, question_id)
    order = next(
        part.questions
        for part in contents_of(session, editable.template.id)
        if part.section.id == question.section_id
    )
    index = order.index(question)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(order):
        raise Refused("The question is already at that end of its section.")
    order[index], order[target] = order[target], order[index]
    _renumber(order)
    _audit_edit(session, actor, editable, "question_move", {"text": question.text, "to": target})
