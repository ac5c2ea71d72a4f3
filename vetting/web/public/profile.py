"""The candidate's public profile, rendered in one place: the public page, and the
secretariat's "preview as public", which shows exactly the same page with a draft summary."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import get_locale

from vetting.domain.vocabulary import Level, QuestionKind
from vetting.extensions import db
from vetting.models import (
    Answer,
    Candidacy,
    PublicSummary,
    QuestionnaireResponse,
    StoredFile,
    TemplateQuestion,
)
from vetting.operations.diligence import Download
from vetting.operations.files import Tampered
from vetting.operations.published import summary_versions
from vetting.operations.questionnaires import answer_sheet
from vetting.web.files import file_store


def _submitted_response(candidacy: Candidacy) -> QuestionnaireResponse | None:
    # Answers become public only once submitted: a draft is the candidate's own.
    return db.session.scalar(
        sa.select(QuestionnaireResponse).where(
            QuestionnaireResponse.candidacy_id == candidacy.id,
            QuestionnaireResponse.submitted_at.is_not(None),
        )
    )


def render_profile(candidacy: Candidacy, *, preview: PublicSummary | None = None) -> str:
    """`candidacy` comes with its election, nationality and nominating State loaded. With
    `preview`, that draft version is shown as the latest, as it will read once published."""
    response = _submitted_response(candidacy)
    # Only the questions the template marks public, each answer with its language.
    sheet = (
        answer_sheet(db.session, response, levels=frozenset({Level.PUBLIC}))
        if response is not None
        else None
    )
    # The files given in answer to public questions (the CV, say), listed on their own too.
    files = [row for s in (sheet.sections if sheet else []) for row in s.rows if row.file]
    versions = summary_versions(db.session, candidacy.id)
    if preview is not None:
        versions = [v for v in versions if v.id != preview.id] + [preview]

    def file_url(question_id: int) -> str:
        return url_for(
            "public.candidate_file", public_id=candidacy.public_id, question_id=question_id
        )

    return render_template(
        "public/candidate.html",
        candidacy=candidacy,
        response=response,
        sheet=sheet,
        files=files,
        file_url=file_url,
        page_language=str(get_locale() or "en"),
        versions=versions,
        summary=versions[-1] if versions else None,
        preview=preview,
    )


def public_file(candidacy: Candidacy, question_id: int) -> Download | None:
    """The file answering a PUBLIC file question of the candidacy's submitted questionnaire;
    None when there is none (not submitted, not public, no file). Reading changes nothing."""
    response = _submitted_response(candidacy)
    if response is None:
        return None
    row = db.session.execute(
        sa.select(Answer, StoredFile)
        .join(TemplateQuestion, TemplateQuestion.id == Answer.question_id)
        .join(StoredFile, StoredFile.id == Answer.file_id)
        .where(
            Answer.response_id == response.id,
            Answer.question_id == question_id,
            TemplateQuestion.visibility == Level.PUBLIC,
            TemplateQuestion.kind == QuestionKind.FILE,
        )
    ).first()
    if row is None:
        return None
    stored = row[1]
    try:
        return Download(stored, data=file_store().read(stored))
    except Tampered as tampered:
        return Download(stored, problem=str(tampered))
