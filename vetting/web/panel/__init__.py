"""The panel's pages: assignments, conflict declarations, the dossier and scoring, and the
chair's conflict decisions and deliberation.

Recusal removes everything: every candidacy-scoped page answers 404 to a recused reviewer and
to a reviewer who is not assigned. Pages that show panel-level material are rendered first
and the read is then recorded and committed, so a failed audit entry fails the page closed.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from vetting.domain import conflicts as conflict_rules
from vetting.domain.roles import Permission
from vetting.domain.stages import Action
from vetting.domain.vocabulary import ConflictKind, ConflictStatus
from vetting.extensions import db
from vetting.operations import conflicts as conflict_ops
from vetting.web.helpers import actor
from vetting.web.panel import queries
from vetting.web.panel.blueprint import bp, page_number
from vetting.web.policy import requires
from vetting.web.words import words


@bp.context_processor
def _vocabulary() -> dict[str, Any]:
    return {
        "words": words,
        "Action": Action,
        "ConflictStatus": ConflictStatus,
        "detected_kind": ConflictKind,
    }


@bp.route("/panel")
@requires(Permission.SCORE_SUBMIT)
def assignments() -> object:
    me = actor()
    listing = queries.my_assignments(me, page_number())
    # The conflicts the system detects on each row (nationality, declared ties): one statement.
    ties = conflict_ops.ties_of(db.session, [me.id])[me.id]
    today = conflict_ops.today()
    flags = {
        candidacy.id: conflict_rules.kinds_of(conflict_ops.detect_with(me, ties, candidacy, today))
        for _assignment, candidacy in listing.rows
    }
    return render_template("panel/assignments.html", listing=listing, flags=flags)


# The routes live in these modules; importing them registers them on the blueprint.
from vetting.web.panel import (  # noqa: E402
    conflict_views,
    deliberation_views,
    interview_views,
    scoring_views,
    ties_views,
)

__all__ = [
    "bp",
    "conflict_views",
    "deliberation_views",
    "interview_views",
    "scoring_views",
    "ties_views",
]
