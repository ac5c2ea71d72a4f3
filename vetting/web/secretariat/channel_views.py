"""The secretariat sets each election's confidential-channel window (dates inclusive, UTC)."""

from __future__ import annotations

from flask import abort, current_app, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional

from vetting.domain.roles import Permission
from vetting.extensions import db
from vetting.models import Election
from vetting.models.base import utcnow
from vetting.operations import channel
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.policy import requires
from vetting.web.secretariat import bp


class ChannelWindowForm(FlaskForm):
    opens = DateField(_l("The channel opens on"), validators=[Optional()])
    closes = DateField(_l("The channel closes on (inclusive)"), validators=[Optional()])


@bp.context_processor
def _channel_window_form() -> dict[str, object]:
    def channel_window_form(election: Election) -> ChannelWindowForm:
        return ChannelWindowForm(
            formdata=None, opens=election.channel_opens, closes=election.channel_closes
        )

    return {"channel_window_form": channel_window_form}


@bp.route("/secretariat/elections/<int:election_id>/channel", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def channel_window(election_id: int) -> object:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    form = ChannelWindowForm()
    if not form.validate_on_submit():
        flash_errors(form)
    else:
        run(
            channel.set_channel_window,
            actor(),
            election,
            opens=form.opens.data,
            closes=form.closes.data,
            today=utcnow().date(),
            report_link=channel.report_link(current_app.config["BASE_URL"], election),
            success=_("The confidential channel's window is saved."),
        )
    return redirect(url_for("secretariat.election", election_id=election_id) + "#channel")
