"""Each signed-in person's own pages: where to start, and the in-app inbox."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template

from vetting.extensions import db
from vetting.models import Notice
from vetting.web.helpers import actor
from vetting.web.policy import authenticated

bp = Blueprint("account", __name__)


@bp.route("/me")
@authenticated
def home() -> object:
    return render_template("account/home.html", endpoints=current_app.view_functions)


@bp.route("/me/inbox")
@authenticated
def inbox() -> object:
    notices = db.session.scalars(
        sa.select(Notice)
        .where(Notice.recipient_user_id == actor().id)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(100)
    ).all()
    return render_template("account/inbox.html", notices=notices)
