"""What anyone may read: elections, candidates, published summaries; and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template

from vetting.extensions import db, rq
from vetting.models import Election
from vetting.web.policy import public

bp = Blueprint("public", __name__)


@bp.route("/")
@public
def index() -> object:
    elections = db.session.scalars(
        sa.select(Election).order_by(Election.nomination_opens.desc()).limit(50)
    ).all()
    return render_template("public/index.html", elections=elections)


@bp.route("/healthz")
@public
def healthz() -> object:
    state = {"database": "ok", "queue": "ok"}
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # noqa: BLE001 - reported, not raised
        state["database"] = "unavailable"
    try:
        rq.queue.connection.ping()
    except Exception:  # noqa: BLE001
        state["queue"] = "unavailable"
    healthy = all(v == "ok" for v in state.values())
    return jsonify(status="ok" if healthy else "degraded", **state), 200 if healthy else 503
