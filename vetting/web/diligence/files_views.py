"""Evidence files and reply files: downloaded only through these routes, by whoever may see the
item's level on that candidacy (anyone else gets 404, as if it did not exist), each download
audited; the vetting officer's status changes; and the drafting of the adverse notice."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_babel import gettext as _

from vetting.domain.roles import Permission
from vetting.extensions import db
from vetting.models import AdverseNotice, EvidenceItem, ReplyAttachment
from vetting.operations import diligence
from vetting.web.diligence import bp
from vetting.web.diligence.evidence import EvidenceStatusForm, NoticeDraftForm
from vetting.web.files import file_store, send_download
from vetting.web.helpers import actor, attempt, candidacy_or_404, flash_errors, run
from vetting.web.policy import authenticated, requires


@bp.route("/candidacies/<public_id>/evidence/<int:item_id>/file")
@authenticated
def evidence_file(public_id: str, item_id: int) -> object:
    candidacy = candidacy_or_404(public_id)
    item = db.session.get(EvidenceItem, item_id)
    if (
        item is None
        or item.candidacy_id != candidacy.id
        or item.file_id is None
        or not diligence.may_see_evidence(db.session, actor(), item)
    ):
        abort(404)
    outcome = attempt(diligence.download_evidence_file, actor(), item, file_store())
    if outcome.value is None:
        abort(404)
    return send_download(outcome.value)


@bp.route("/candidacies/<public_id>/reply/files/<int:attachment_id>")
@authenticated
def reply_file(public_id: str, attachment_id: int) -> object:
    candidacy = candidacy_or_404(public_id)
    attachment = db.session.get(ReplyAttachment, attachment_id)
    notice = db.session.get(AdverseNotice, attachment.notice_id) if attachment else None
    if (
        attachment is None
        or notice is None
        or notice.candidacy_id != candidacy.id
        or not diligence.may_see_reply(db.session, actor(), notice)
    ):
        abort(404)
    outcome = attempt(diligence.download_reply_file, actor(), attachment, file_store())
    if outcome.value is None:
        abort(404)
    return send_download(outcome.value)


@bp.route("/diligence/<public_id>/evidence/<int:item_id>/status", methods=["POST"])
@requires(Permission.EVIDENCE_RECORD)
def evidence_status(public_id: str, item_id: int) -> object:
    candidacy = candidacy_or_404(public_id)
    item = db.session.get(EvidenceItem, item_id)
    if item is None or item.candidacy_id != candidacy.id:
        abort(404)
    form = EvidenceStatusForm(prefix=f"item{item.id}")
    if form.validate_on_submit():
        run(
            diligence.update_evidence_status,
            actor(),
            item,
            verified=form.verified.data == "yes",
            relied_on=form.relied_on.data == "yes",
            success=_("The evidence item's status is recorded."),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".candidacy", public_id=public_id, _anchor=f"item-{item.id}"))


@bp.route("/diligence/<public_id>/adverse-notice", methods=["POST"])
@requires(Permission.INTEGRITY_RECORD)
def notice_draft(public_id: str) -> object:
    candidacy = candidacy_or_404(public_id)
    form = NoticeDraftForm()
    if form.validate_on_submit():
        run(
            diligence.draft_adverse_notice,
            actor(),
            candidacy,
            summary=form.summary.data or "",
            success=_(
                "The summary is drafted. The chair approves it before the candidate receives it."
            ),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".candidacy", public_id=public_id, _anchor="notice-h"))
