"""The published election report, on the secretariat's side: the versions with their states,
the draft form (method, general observations, corrigendum, embargo), the "preview as public"
with the computed release, and the second member's approval (vetting.operations.reports)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from vetting.domain.roles import Permission
from vetting.extensions import db
from vetting.models import Election, ElectionReport
from vetting.operations import reports
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.policy import requires
from vetting.web.public.report_words import report_context
from vetting.web.secretariat import bp
from vetting.web.stepup import requires_recent_auth

TEXT_MAX = 20000

# The method as the panel usually works; the secretariat adapts it to the election.
DEFAULT_METHOD = _l(
    "The panel assessed every candidacy against the eligibility requirements of the office and "
    "the published rubric. The secretariat first recorded, gate by gate, whether each candidate "
    "met the formal requirements. Each member of the panel declared any conflict of interest "
    "before reading a dossier; members with a conflict took no part in the assessment of that "
    "candidacy. Members then scored each criterion from 1 to 4 on the written material (the "
    "statement of qualifications, the questionnaire, references and the checks of former "
    "employers), each score with its rationale, and locked their scores before seeing those of "
    "others. The panel interviewed the candidates on the criteria assessed after the interview. "
    "Vetting officers examined any report of misconduct received through the confidential "
    "channel and gave the panel a memorandum; where it was adverse, the candidate was told the "
    "substance and could reply before any finding was made. The panel adopted a reasoned "
    "finding on each candidacy, which was sent to the candidate and to the nominating State at "
    "least five working days before its publication."
)


class ReportForm(FlaskForm):
    method = TextAreaField(_l("Method of work"), validators=[DataRequired(), Length(max=TEXT_MAX)])
    observations = TextAreaField(
        _l("General observations"), validators=[DataRequired(), Length(max=TEXT_MAX)]
    )
    corrigendum = TextAreaField(
        _l("Corrigendum: what changed and why (required from version 2, shown publicly)"),
        validators=[Optional(), Length(max=TEXT_MAX)],
    )
    # Entered and stored in UTC; the label says so.
    embargo_until = DateTimeLocalField(
        _l("Not public before (UTC, optional)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[Optional()],
    )

    def data_for_operation(self) -> reports.ReportData:
        embargo = self.embargo_until.data
        return reports.ReportData(
            method=self.method.data or "",
            observations=self.observations.data or "",
            corrigendum=self.corrigendum.data or "",
            embargo_until=embargo.replace(tzinfo=UTC) if isinstance(embargo, datetime) else None,
        )


class ReportApprovalForm(FlaskForm):
    """The approver approves what they read: the preview's digest travels with the button."""

    seen = HiddenField(validators=[DataRequired(), Length(max=64)])


def _election_or_404(election_id: int) -> Election:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    return election


def _draft_form(election: Election, versions: list[ElectionReport]) -> ReportForm:
    """Prefilled with the pending draft, else the last version (a corrigendum starts from it),
    else the default method."""
    source = versions[-1] if versions else None
    if source is None:
        return ReportForm(formdata=None, method=str(DEFAULT_METHOD))
    pending = source.approved_at is None
    return ReportForm(
        formdata=None,
        method=source.method,
        observations=source.observations,
        corrigendum=source.corrigendum if pending else "",
        embargo_until=source.embargo_until.replace(tzinfo=None)
        if pending and source.embargo_until
        else None,
    )


def _report_page(election: Election, form: ReportForm | None = None) -> tuple[str, int]:
    versions = reports.versions_of(db.session, election)
    html = render_template(
        "secretariat/report.html",
        election=election,
        versions=versions,
        form=form or _draft_form(election, versions),
        next_version=versions[-1].version
        if versions and versions[-1].approved_at is None
        else len(versions) + 1,
        now=datetime.now(UTC),
    )
    return html, 422 if form is not None else 200


@bp.route("/secretariat/elections/<int:election_id>/report")
@requires(Permission.REPORT_DRAFT)
def report(election_id: int) -> object:
    return _report_page(_election_or_404(election_id))


@bp.route("/secretariat/elections/<int:election_id>/report", methods=["POST"])
@requires(Permission.REPORT_DRAFT)
def report_draft(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = ReportForm()
    if form.validate_on_submit() and run(
        reports.draft_report,
        actor(),
        election,
        form.data_for_operation(),
        success=_("Draft saved. A second secretariat member approves it from the preview."),
    ):
        return redirect(url_for("secretariat.report_preview", election_id=election.id))
    return _report_page(election, form)


@bp.route("/secretariat/elections/<int:election_id>/report/preview")
@requires(Permission.REPORT_PUBLISH)
def report_preview(election_id: int) -> object:
    election = _election_or_404(election_id)
    preview = reports.preview_report(db.session, actor(), election)
    if preview is None:
        abort(404)
    # The page includes the public report's own template, fed as the public page feeds it.
    return render_template(
        "secretariat/report_preview.html",
        election=election,
        pending=preview,
        form=ReportApprovalForm(formdata=None, seen=reports.digest_of(preview.report)),
        **report_context(preview.snapshot, report=preview.report, versions=[], preview=True),
    )


@bp.route("/secretariat/elections/<int:election_id>/report/approve", methods=["POST"])
@requires(Permission.REPORT_PUBLISH)
@requires_recent_auth  # publishing asks for a fresh confirmation (AU-9)
def report_approve(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = ReportApprovalForm()
    if not form.validate_on_submit():
        flash_errors(form)
    else:
        run(
            reports.approve_report,
            actor(),
            election,
            seen=form.seen.data,
            base_url=current_app.config["BASE_URL"],
            success=_("The report is approved; it is public from its release date."),
        )
    return redirect(url_for("secretariat.report", election_id=election.id))
