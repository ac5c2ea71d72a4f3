"""The chair's interview invitation (with the panel members who will sit) and notes (with
those who did)."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import sqlalchemy as sa
from flask import redirect, url_for
from flask_babel import gettext as _

from vetting.domain.roles import Permission
from vetting.domain.vocabulary import ConflictStatus, InterviewMode
from vetting.extensions import db
from vetting.models import Assignment, Candidacy, Interview, User
from vetting.models.base import utcnow
from vetting.operations import interviews, panel
from vetting.web.helpers import actor, assignment_of, flash_errors, run
from vetting.web.panel.blueprint import bp
from vetting.web.panel.forms import InterviewForm, InterviewNotesForm, panel_choices
from vetting.web.panel.support import cleared_view
from vetting.web.policy import requires


def cleared_members(candidacy: Candidacy) -> list[User]:
    """The panel members who may sit at the candidacy's interview: cleared on it."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Assignment, Assignment.reviewer_id == User.id)
            .where(
                Assignment.candidacy_id == candidacy.id,
                Assignment.conflict_status.in_([ConflictStatus.NONE, ConflictStatus.MANAGED]),
            )
            .order_by(User.full_name, User.id)
        )
    )


def interview_context(candidacy: Candidacy, interview: Interview | None) -> dict[str, Any]:
    """What the dossier's interview section needs: the forms, with the cleared members to
    choose from, and who is recorded as present (planned, or confirmed once the notes are in)."""
    members = cleared_members(candidacy)
    attendance = interviews.attendance_of(db.session, interview) if interview else []
    interview_form = InterviewForm(
        prefix="interview",
        formdata=None,
        scheduled_at=(utcnow() + timedelta(days=14)).replace(
            hour=9, minute=0, second=0, microsecond=0, tzinfo=None
        ),
        present=[m.id for m in members],
    )
    panel_choices(interview_form, members)
    notes_form = InterviewNotesForm(
        prefix="notes",
        formdata=None,
        notes=interview.notes if interview else None,
        present=[m.id for m in attendance],
    )
    panel_choices(notes_form, members)
    # The invitation needs every paper lock, the viewer's first: before their own lock, the
    # form (which names the cleared members) is not offered, so nothing of the others shows.
    mine = assignment_of(candidacy, actor())
    return {
        "interview_form": interview_form,
        "notes_form": notes_form,
        "attendance": attendance,
        "attendance_confirmed": bool(interview and interview.notes),
        "invite_ready": mine is not None and mine.locked_at is not None,
    }


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
            present=form.present.data or [],
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
            present=form.present.data or [],
            success=_("The interview notes are recorded, with who was present."),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".dossier", public_id=public_id))
