"""What anyone may read: elections, candidates, published summaries; and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, render_template
from sqlalchemy.orm import joinedload

from vetting.domain.vocabulary import ScorePhase
from vetting.extensions import db, rq
from vetting.models import Candidacy, Criterion, Election
from vetting.operations.elections import requirement_statuses
from vetting.operations.published import current_summaries
from vetting.web.candidate.words import words
from vetting.web.policy import public
from vetting.web.secretariat.nomination_views import pool_rows
from vetting.web.words import words_of

bp = Blueprint("public", __name__)


@bp.context_processor
def _words() -> dict[str, object]:
    return words()


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


@bp.route("/elections/<int:election_id>")
@public
def election(election_id: int) -> object:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    # A constant number of queries whatever the number of candidates: the States come in the
    # same statement, and which summaries are published in one more.
    candidacies = db.session.scalars(
        sa.select(Candidacy)
        .options(joinedload(Candidacy.nationality), joinedload(Candidacy.nominating_state))
        .where(Candidacy.election_id == election.id)
        .order_by(Candidacy.full_name, Candidacy.id)
    ).all()
    # Which summaries are public now (an embargoed one is not), in one more query.
    published = set(current_summaries(db.session, [c.id for c in candidacies]))
    # The rubric is public (domain.md, confidentiality levels): criteria, weights, descriptors.
    criteria = db.session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == election.id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    return render_template(
        "public/election.html",
        election=election,
        candidacies=candidacies,
        published=published,
        criteria=criteria,
        phase_words=words_of(ScorePhase),
        # Whether the pool can meet each minimum voting requirement (judicial elections).
        pool=pool_rows(requirement_statuses(db.session, election)),
    )


@bp.route("/candidates/<public_id>")
@public
def candidate(public_id: str) -> object:
    candidacy = db.session.scalar(
        sa.select(Candidacy)
        .options(
            joinedload(Candidacy.election),
            joinedload(Candidacy.nationality),
            joinedload(Candidacy.nominating_state),
        )
        .where(Candidacy.public_id == public_id)
    )
    if candidacy is None:
        abort(404)
    return render_profile(candidacy)


# The confidential channel's pages register on this blueprint.
from vetting.web.public import channel as _channel  # noqa: E402, F401
from vetting.web.public.profile import render_profile  # noqa: E402
