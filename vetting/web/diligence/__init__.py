"""The vetting officer's pages: the due-diligence queue and one candidacy's evidence and
complaints, with the forms that record evidence and the integrity outcome.

Complaints are restricted material: they appear on these pages only, and every view of them
is recorded in the audit log after the page is rendered and before it is sent.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from vetting.domain.roles import Permission
from vetting.domain.vocabulary import EvidenceKind, IntegrityOutcome, Level
from vetting.extensions import db
from vetting.models import Candidacy
from vetting.operations import diligence
from vetting.web.diligence import queries
from vetting.web.diligence.evidence import diligence_context
from vetting.web.diligence.forms import EvidenceForm, OutcomeForm
from vetting.web.files import file_store, upload_of
from vetting.web.helpers import actor, candidacy_or_404, run
from vetting.web.policy import requires
from vetting.web.words import words

bp = Blueprint("diligence", __name__)


@bp.context_processor
def _vocabulary() -> dict[str, Any]:
    return {"words": words}


@bp.route("/diligence")
@requires(Permission.EVIDENCE_READ)
def queue() -> object:
    listing = queries.open_candidacies(request.args.get("page", 1, type=int) or 1)
    return render_template("diligence/queue.html", listing=listing)


def _candidacy_page(
    candidacy: Candidacy,
    evidence_form: EvidenceForm | None = None,
    outcome_form: OutcomeForm | None = None,
) -> tuple[str, int]:
    evidence = queries.evidence_of(candidacy)
    complaints = queries.complaints_of(candidacy)
    html = render_template(
        "diligence/candidacy.html",
        candidacy=candidacy,
        evidence=evidence,
        complaints=complaints,
        **diligence_context(candidacy, evidence),
        evidence_form=evidence_form or EvidenceForm(level=Level.PANEL.value),
        outcome_form=outcome_form
        or OutcomeForm(
            outcome=candidacy.integrity_outcome.value if candidacy.integrity_outcome else None,
            memo=candidacy.integrity_memo,
        ),
    )
    # The reads are recorded once the page exists and before it leaves: no audit, no page.
    diligence.note_evidence_read(db.session, actor(), evidence)
    diligence.note_complaints_read(db.session, actor(), complaints)
    diligence.note_reply_read(db.session, actor(), diligence.notice_of(db.session, candidacy))
    db.session.commit()
    return html, 422 if (evidence_form or outcome_form) else 200


@bp.route("/diligence/<public_id>")
@requires(Permission.EVIDENCE_READ)
def candidacy(public_id: str) -> object:
    return _candidacy_page(candidacy_or_404(public_id))


@bp.route("/diligence/<public_id>/evidence", methods=["POST"])
@requires(Permission.EVIDENCE_RECORD)
def evidence_new(public_id: str) -> object:
    target = candidacy_or_404(public_id)
    form = EvidenceForm()
    if form.validate_on_submit() and run(
        diligence.record_evidence,
        actor(),
        target,
        diligence.EvidenceData(
            kind=EvidenceKind(form.kind.data),
            source=form.source.data or "",
            obtained_on=form.obtained_on.data,
            summary=form.summary.data or "",
            level=Level(form.level.data),
            verified=bool(form.verified.data),
            relied_on=bool(form.relied_on.data),
        ),
        upload=upload_of(form.file.data),
        store=file_store(),
        success=_("The evidence item is recorded."),
    ):
        return redirect(url_for(".candidacy", public_id=public_id))
    return _candidacy_page(target, evidence_form=form)


@bp.route("/diligence/<public_id>/outcome", methods=["POST"])
@requires(Permission.INTEGRITY_RECORD)
def outcome(public_id: str) -> object:
    target = candidacy_or_404(public_id)
    form = OutcomeForm()
    if form.validate_on_submit() and run(
        diligence.record_integrity_outcome,
        actor(),
        target,
        outcome=IntegrityOutcome(form.outcome.data),
        memo=form.memo.data or "",
        success=_("The integrity outcome is recorded; due diligence is closed."),
    ):
        return redirect(url_for(".candidacy", public_id=public_id))
    return _candidacy_page(target, outcome_form=form)


# Evidence files, reply files, evidence status and the notice draft register on this blueprint.
from vetting.web.diligence import files_views as _files_views  # noqa: E402, F401

# The confidential channel's reports, their triage and files register on this blueprint.
from vetting.web.diligence import report_views as _report_views  # noqa: E402, F401
