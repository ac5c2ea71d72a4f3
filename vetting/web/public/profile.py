"""The candidate's public profile, rendered in one place: the public page, and the
secretariat's "preview as public", which shows exactly the same page with a draft summary."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from vetting.domain.vocabulary import Level
from vetting.extensions import db
from vetting.models import Candidacy, PublicSummary, QuestionnaireResponse
from vetting.operations.published import summary_versions
from vetting.operations.questionnaires import answer_sheet


def render_profile(candidacy: Candidacy, *, preview: PublicSummary | None = None) -> str:
    """`candidacy` comes with its election, nationality and nominating State loaded. With
    `preview`, that draft version is shown as the latest, as it will read once published."""
    # Answers become public only once submitted: a draft is the candidate's own.
    response = db.session.scalar(
        sa.select(QuestionnaireResponse).where(
            QuestionnaireResponse.candidacy_id == candidacy.id,
            QuestionnaireResponse.submitted_at.is_not(None),
        )
    )
    # Only the questions the template marks public, each answer with its language.
    sheet = (
        answer_sheet(db.session, response, levels=frozenset({Level.PUBLIC}))
        if response is not None
        else None
    )
    versions = summary_versions(db.session, candidacy.id)
    if preview is not None:
        versions = [v for v in versions if v.id != preview.id] + [preview]
    return render_template(
        "public/candidate.html",
        candidacy=candidacy,
        response=response,
        sheet=sheet,
        versions=versions,
        summary=versions[-1] if versions else None,
        preview=preview,
    )
