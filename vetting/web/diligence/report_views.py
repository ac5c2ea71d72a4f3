"""The vetting officers' side of the confidential channel: the reports queue (untriaged
first), one report with the reporter's additions and files, its triage, and the reporter's
contact shown only on request. Restricted: every read is audited before the page leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from vetting.domain.channel import REASON_MAX
from vetting.domain.roles import Permission
from vetting.domain.vocabulary import TriageOutcome
from vetting.extensions import db
from vetting.models import Candidacy, Complaint, ComplaintAddition, Election, StoredFile
from vetting.operations import channel
from vetting.operations.files import Tampered, read_stored
from vetting.web.diligence import bp
from vetting.web.helpers import actor, attempt, sealer
from vetting.web.panel.queries import Slice, page_of
from vetting.web.policy import requires
from vetting.web.words import choices


class TriageForm(FlaskForm):
    outcome = SelectField(
        _l("Triage"),
        choices=choices(TriageOutcome),
        validators=[InputRequired(_l("Choose the triage."))],
    )
    reason = TextAreaField(
        _l("Reasons (seen by vetting officers only)"),
        validators=[DataRequired(_l("Give the reasons for the triage.")), Length(max=REASON_MAX)],
    )


@bp.context_processor
def _unsealing() -> dict[str, object]:
    """Sealed text, opened for this blueprint's templates only: the vetting officers' pages."""

    def unsealed(token: str | None) -> str:
        return channel.opened(sealer(), token)

    return {"unsealed": unsealed}


def reports_queue(page: int) -> Slice:
    """Every report, untriaged first, then the newest; no text, only what sorts the work."""
    additions = (
        sa.select(sa.func.count(ComplaintAddition.id))
        .where(ComplaintAddition.complaint_id == Complaint.id)
        .correlate(Complaint)
        .scalar_subquery()
    )
    return page_of(
        sa.select(
            Complaint,
            Candidacy.public_id,
            Candidacy.full_name,
            Election.title,
            additions.label("additions"),
        )
        .join(Candidacy, Candidacy.id == Complaint.candidacy_id)
        .join(Election, Election.id == Candidacy.election_id)
        .order_by(Complaint.triage.is_not(None), Complaint.received_at.desc(), Complaint.id),
        page,
    )


@bp.route("/diligence/reports")
@requires(Permission.EVIDENCE_READ)
def reports() -> object:
    listing = reports_queue(request.args.get("page", 1, type=int) or 1)
    return render_template("diligence/reports.html", listing=listing)


def _report_or_404(report_id: int) -> tuple[Complaint, Candidacy]:
    complaint = db.session.get(Complaint, report_id)
    if complaint is None:
        abort(404)
    candidacy = db.session.get(Candidacy, complaint.candidacy_id)
    assert candidacy is not None
    return complaint, candidacy


@dataclass(frozen=True)
class Addition:
    row: ComplaintAddition
    text: str
    file: StoredFile | None


def _additions(complaint: Complaint) -> list[Addition]:
    rows = db.session.execute(
        sa.select(ComplaintAddition, StoredFile)
        .outerjoin(StoredFile, StoredFile.id == ComplaintAddition.file_id)
        .where(ComplaintAddition.complaint_id == complaint.id)
        .order_by(ComplaintAddition.added_at, ComplaintAddition.id)
    ).all()
    return [Addition(row, channel.opened(sealer(), row.text), file) for row, file in rows]


def _report_page(
    complaint: Complaint,
    candidacy: Candidacy,
    *,
    contact_shown: bool = False,
    form: TriageForm | None = None,
) -> tuple[str, int]:
    triage_reason = channel.opened(sealer(), complaint.triage_reason)
    html = render_template(
        "diligence/report.html",
        complaint=complaint,
        candidacy=candidacy,
        text=channel.opened(sealer(), complaint.text),
        contact=channel.opened(sealer(), complaint.reporter_contact) if contact_shown else None,
        has_contact=complaint.reporter_contact is not None,
        additions=_additions(complaint),
        triage_reason=triage_reason,
        reporter_status=channel.status_of(complaint, candidacy).value,
        form=form
        or TriageForm(
            formdata=None,
            outcome=complaint.triage.value if complaint.triage else None,
            reason=triage_reason,
        ),
    )
    # The read is on record before the page leaves: no audit, no page.
    channel.note_report_read(db.session, actor(), complaint, contact_shown=contact_shown)
    db.session.commit()
    return html, 422 if form is not None else 200


@bp.route("/diligence/reports/<int:report_id>")
@requires(Permission.EVIDENCE_READ)
def report(report_id: int) -> object:
    return _report_page(*_report_or_404(report_id))


@bp.route("/diligence/reports/<int:report_id>/contact", methods=["POST"])
@requires(Permission.EVIDENCE_READ)
def report_contact(report_id: int) -> object:
    """The reporter's identity, shown on an explicit request and recorded as its own read."""
    complaint, candidacy = _report_or_404(report_id)
    return _report_page(complaint, candidacy, contact_shown=complaint.reporter_contact is not None)


@bp.route("/diligence/reports/<int:report_id>/triage", methods=["POST"])
@requires(Permission.COMPLAINT_TRIAGE)
def report_triage(report_id: int) -> object:
    complaint, candidacy = _report_or_404(report_id)
    form = TriageForm()
    if form.validate_on_submit():
        outcome = attempt(
            channel.triage_report,
            sealer(),
            actor(),
            complaint,
            outcome=TriageOutcome(form.outcome.data),
            reason=form.reason.data or "",
        )
        if outcome:
            flash(_("The triage is recorded."), "success")
            return redirect(url_for(".report", report_id=report_id))
        flash(str(outcome.refusal), "error")
        complaint, candidacy = _report_or_404(report_id)
    return _report_page(complaint, candidacy, form=form)


@bp.route("/diligence/reports/<int:report_id>/files/<int:addition_id>")
@requires(Permission.EVIDENCE_READ)
def report_file(report_id: int, addition_id: int) -> object:
    """A reporter's file, as an attachment, checked against its SHA-256, its read audited."""
    complaint, _candidacy = _report_or_404(report_id)
    row = db.session.get(ComplaintAddition, addition_id)
    if row is None or row.complaint_id != complaint.id or row.file_id is None:
        abort(404)
    stored = db.session.get(StoredFile, row.file_id)
    assert stored is not None
    try:
        data = read_stored(sealer(), current_app.config["FILES_DIR"], stored)
    except Tampered as tampered:
        flash(str(tampered), "error")
        return redirect(url_for(".report", report_id=report_id))
    channel.note_report_read(db.session, actor(), complaint, contact_shown=False, file=stored)
    db.session.commit()
    response = Response(data, mimetype=stored.content_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(stored.original_name)}"
    )
    response.headers["Content-Security-Policy"] = "sandbox"
    return response
