"""The right of reply on the chair's deliberation page: the drafted or sent notice, the
candidate's reply with its files and answered items, and the chair's record, for the panel,
that the reply was read (without which an adverse finding is not adopted)."""

from __future__ import annotations

from typing import Any

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from vetting.domain.roles import Permission
from vetting.extensions import db
from vetting.models import Candidacy
from vetting.operations import diligence
from vetting.web.diligence.evidence import reply_view
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.panel.blueprint import bp
from vetting.web.panel.forms import AdverseNoticeForm
from vetting.web.panel.support import cleared_view
from vetting.web.policy import requires


class ReplyReadForm(FlaskForm):
    confirm = BooleanField(
        _l("The panel has read the candidate's reply and the files sent with it."),
        validators=[DataRequired(_l("Confirm that the panel has read the reply."))],
    )


def notice_context(candidacy: Candidacy) -> dict[str, Any]:
    reply = reply_view(candidacy)
    return {"notice": reply.notice, "reply": reply, "read_form": ReplyReadForm(formdata=None)}


def notice_form_for(candidacy: Candidacy, window_days: int) -> AdverseNoticeForm:
    """The approval form, holding the vetting officer's draft when there is one."""
    notice = diligence.notice_of(db.session, candidacy)
    return AdverseNoticeForm(
        formdata=None,
        window_days=window_days,
        summary=notice.summary if notice is not None else None,
    )


@bp.route("/panel/<public_id>/reply-read", methods=["POST"])
@requires(Permission.DELIBERATION_RUN)
def reply_read(public_id: str) -> object:
    candidacy, _assignment, _rel = cleared_view(public_id)
    notice = diligence.notice_of(db.session, candidacy)
    form = ReplyReadForm()
    if notice is None:
        return redirect(url_for(".deliberation", public_id=public_id))
    if form.validate_on_submit():
        run(
            diligence.record_reply_read,
            actor(),
            candidacy,
            notice,
            success=_("It is on record that the panel has read the candidate's reply."),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".deliberation", public_id=public_id, _anchor="notice-h"))
