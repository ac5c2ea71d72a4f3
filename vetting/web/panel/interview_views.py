"""The chair's interview invitation and notes."""

from __future__ import annotations

from datetime import UTC

from flask import redirect, url_for
from flask_babel import gettext as _

from vetting.domain.roles import Permission
from vetting.domain.vocabulary import (
    InterviewMode,
)
from vetting.operations import panel
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.panel.blueprint import bp
from vetting.web.panel.forms import (
    InterviewForm,
    InterviewNotesForm,
)
from vetting.web.panel.support import cleared_view
from vetting.web.policy import requires


@bp.route("/panel/<public_id>/interview", methods=["POST"])
@requires(Permission.DELIBERATION_RUN)
def interview(public_id: str) -> object:
    candidacy, _assignment, _rel = cleared_view(public_id)
    form = InterviewForm(prefix="interview")
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for(".dossier", public_id=public_id))
    assert form.scheduled_at.data is not None
    run(
        panel.invite_to_interview,
        actor(),
        candidacy,
        panel.InterviewData(
            scheduled_at=form.scheduled_at.data.replace(tzinfo=UTC),
            mode=InterviewMode(form.mode.data),
            purpose=form.purpose.data or "",
        ),
        success=_("The candidate is invited."),
    )
    return redirect(url_for(".dossier", public_id=public_id))


@bp.route("/panel/<public_id>/interview/notes", methods=["POST"])
@requires(Permission.DELIBERATION_RUN)
def interview_notes(public_id: str) -> object:
    candidacy, _assignment, _rel = cleared_view(public_id)
    form = InterviewNotesForm(prefix="notes")
    if form.validate_on_submit():
        run(
            panel.record_interview_notes,
            actor(),
            candidacy,
            notes=form.notes.data or "",
            success=_("The interview notes are recorded."),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".dossier", public_id=public_id))
