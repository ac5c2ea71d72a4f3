"""The confidential channel's public pages: the report form of an election, and the reporter's
way back with the receipt code. No account, no address kept, CSRF on, rate limited.

Nothing of the request is stored with a report: the operations audit the reporter's steps
without the client address, and these views log nothing. The receipt code travels only in
POST bodies (never in a URL, a cookie or the session) and is shown once.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from wtforms import SelectChoice

from vetting.domain.channel import (
    ContactKind,
    ReportStatus,
    WindowState,
    more_information_welcome,
    window_state,
)
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import MisconductCategory
from vetting.extensions import db
from vetting.models import Candidacy, Complaint, Election
from vetting.models.base import utcnow
from vetting.operations import channel
from vetting.web.helpers import attempt, sealer
from vetting.web.policy import public
from vetting.web.public import bp
from vetting.web.public.channel_forms import AdditionForm, ReceiptForm, ReportForm
from vetting.web.ratelimit import (
    everyone,
    limiter,
    receipt_limits,
    report_global_limits,
    report_limits,
)

# Attempts with a receipt code, on either page, count against one shared limit.
_receipt_limit = limiter.shared_limit(receipt_limits, scope="channel-receipt", methods=["POST"])


def _today() -> Any:
    # The window's dates are days in UTC, like every stored time.
    return utcnow().date()


@bp.app_context_processor
def _channel_globals() -> dict[str, object]:
    def channel_state(election: Election) -> str:
        return window_state(election.channel_opens, election.channel_closes, _today()).value

    return {"channel_state": channel_state}


def _settings() -> channel.ChannelSettings:
    return channel.ChannelSettings(
        files_dir=current_app.config["FILES_DIR"],
        max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
        receipt_link=current_app.config["BASE_URL"].rstrip("/") + url_for("public.channel_receipt"),
    )


def _uploads(files: list[FileStorage] | None) -> tuple[channel.Upload, ...]:
    """The files actually chosen (an empty file input still sends one nameless part)."""
    return tuple(
        channel.Upload(name=f.filename or "file", data=f.read())
        for f in files or []
        if isinstance(f, FileStorage) and f.filename
    )


def _election_or_404(election_id: int) -> Election:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    return election


def _reportable(election: Election) -> list[Candidacy]:
    """The candidates one may report on: this election's, withdrawn and closed ones excluded."""
    return list(
        db.session.scalars(
            sa.select(Candidacy)
            .where(
                Candidacy.election_id == election.id,
                Candidacy.stage.not_in([s for s in Stage if s.is_terminal]),
            )
            .order_by(Candidacy.full_name, Candidacy.id)
        )
    )


@bp.route("/elections/<int:election_id>/report", methods=["GET", "POST"])
@public
@limiter.limit(report_limits, methods=["POST"])
@limiter.limit(report_global_limits, key_func=everyone, methods=["POST"])
def channel_report(election_id: int) -> object:
    election = _election_or_404(election_id)
    state = window_state(election.channel_opens, election.channel_closes, _today())
    if state is not WindowState.OPEN:
        page = render_template("public/channel_closed.html", election=election, state=state.value)
        return page, 403 if request.method == "POST" else 200
    candidacies = _reportable(election)
    form = ReportForm()
    form.candidacy.choices = [SelectChoice("", _("Choose a candidate"))] + [
        SelectChoice(c.public_id, c.full_name) for c in candidacies
    ]
    refusal = None
    if form.validate_on_submit():
        chosen = next(c for c in candidacies if c.public_id == form.candidacy.data)
        data = channel.ReportData(
            category=MisconductCategory(form.category.data),
            text=form.text.data or "",
            contact_kind=ContactKind(form.contact_kind.data),
            contact=form.contact.data or "",
            files=_uploads(form.files.data),
            language=str(get_locale() or "en"),
        )
        outcome = attempt(
            channel.submit_report,
            sealer(),
            election,
            chosen,
            data,
            settings=_settings(),
            today=_today(),
        )
        if outcome.value is not None:
            return render_template(
                "public/channel_receipt_shown.html",
                election=election,
                code=outcome.value.receipt_code,
                acknowledged=data.contact_kind is ContactKind.EMAIL,
            )
        refusal = str(outcome.refusal)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "public/channel_report.html", election=election, form=form, refusal=refusal
    ), status


def _neutral() -> tuple[str, int]:
    """The one answer to a wrong, malformed or lost code: the same page, whatever happened."""
    form = ReceiptForm(formdata=None)
    return render_template("public/channel_receipt.html", form=form, unknown=True), 200


def _status_page(
    complaint: Complaint,
    code: str,
    *,
    form: AdditionForm | None = None,
    added: bool = False,
    refusal: str | None = None,
) -> tuple[str, int]:
    candidacy = db.session.get(Candidacy, complaint.candidacy_id)
    assert candidacy is not None
    status = channel.status_of(complaint, candidacy)
    form = form or AdditionForm(formdata=None)
    form.code.data = code
    form.text.data = "" if added else form.text.data
    return render_template(
        "public/channel_status.html",
        status=status.value,
        received_on=complaint.received_at.date().isoformat(),
        more_welcome=more_information_welcome(complaint.triage, status),
        open_for_additions=status is not ReportStatus.CLOSED,
        form=form,
        added=added,
        refusal=refusal,
    ), 422 if refusal else 200


@bp.route("/channel/receipt", methods=["GET", "POST"])
@public
@_receipt_limit
def channel_receipt() -> object:
    form = ReceiptForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("public/channel_receipt.html", form=form, unknown=False), status
    code = form.code.data or ""
    complaint = channel.find_by_receipt(db.session, code)
    if complaint is None:
        return _neutral()
    return _status_page(complaint, code)


@bp.route("/channel/receipt/add", methods=["POST"])
@public
@_receipt_limit
def channel_add() -> object:
    form = AdditionForm()
    code = form.code.data or ""
    complaint = channel.find_by_receipt(db.session, code) if code else None
    if complaint is None:
        return _neutral()
    if not form.validate_on_submit():
        return _status_page(complaint, code, form=form, refusal=_("Check the information to add."))
    outcome = attempt(
        channel.add_information,
        sealer(),
        complaint,
        text=form.text.data or "",
        files=_uploads(form.files.data),
        settings=_settings(),
    )
    if not outcome:
        return _status_page(complaint, code, form=form, refusal=str(outcome.refusal))
    return _status_page(complaint, code, added=True)
