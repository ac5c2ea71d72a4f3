"""The member's declaration of conflicts, and the decisions on them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from vetting.domain import conflicts as conflict_rules
from vetting.domain.policy import (
    can_declare_conflict,
    can_view_dossier,
)
from vetting.domain.roles import Permission
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
)
from vetting.extensions import db
from vetting.models import Assignment
from vetting.operations import conflicts as conflict_ops
from vetting.operations import panel
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.panel import queries
from vetting.web.panel.blueprint import bp, page_number
from vetting.web.panel.forms import (
    DecideForm,
    DeclareForm,
)
from vetting.web.panel.support import reviewer_view
from vetting.web.policy import requires


def _dossier_or_assignments(public_id: str, cleared: bool) -> str:
    """Where to go after a declaration: a declared conflict waits for the chair."""
    return url_for(".dossier", public_id=public_id) if cleared else url_for(".assignments")


@bp.route("/panel/<public_id>/declare", methods=["GET", "POST"])
@requires(Permission.CONFLICT_DECLARE)
def declare(public_id: str) -> object:
    candidacy, assignment, rel = reviewer_view(public_id)
    if not can_declare_conflict(rel):
        flash(_("You have already declared for this candidacy."), "info")
        return redirect(_dossier_or_assignments(public_id, can_view_dossier(rel)))
    form = DeclareForm()
    if form.validate_on_submit() and run(
        panel.declare_conflict,
        actor(),
        candidacy,
        assignment,
        has_conflict=form.conflict.data == "yes",
        details=form.details.data or "",
        kind=ConflictKind(form.kind.data) if form.kind.data else None,
        success=_("Your declaration is recorded."),
    ):
        return redirect(_dossier_or_assignments(public_id, form.conflict.data == "no"))
    status = 422 if request.method == "POST" else 200
    states = queries.states_of(candidacy)
    me = actor()
    ties = conflict_ops.ties_of(db.session, [me.id])[me.id]
    today = conflict_ops.today()
    return render_template(
        "panel/declare.html",
        candidacy=candidacy,
        states=states,
        form=form,
        detected=conflict_ops.detect_with(me, ties, candidacy, today),
        shown=conflict_rules.shown_to_decider(ties, today),
        tie_count=len(ties),
    ), status


@bp.route("/panel/conflicts")
@requires(Permission.CONFLICT_DECIDE)
def conflicts() -> object:
    listing = queries.conflicts_awaiting(actor(), page_number())
    # One form per declaration, prefixed so that field ids stay unique on the page.
    forms = {row[0].id: DecideForm(prefix=f"a{row[0].id}") for row in listing.rows}
    # What the decider needs beside the declaration: the member's details, each conflict the
    # system detects today with the tie behind it, and the ties it cannot compare (ICC/ASP).
    # Two statements (ties, States) whatever the number of rows.
    today = conflict_ops.today()
    ties = conflict_ops.ties_of(db.session, [row[2].id for row in listing.rows])
    detected = {
        assignment.id: conflict_ops.detect_with(
            reviewer, ties.get(reviewer.id, []), candidacy, today
        )
        for assignment, candidacy, reviewer in listing.rows
    }
    shown = {
        row[2].id: conflict_rules.shown_to_decider(ties.get(row[2].id, []), today)
        for row in listing.rows
    }
    codes: set[str | None] = {t.state_code for found in ties.values() for t in found}
    for _assignment, candidacy, reviewer in listing.rows:
        codes |= {reviewer.state_code, candidacy.nationality_code, candidacy.nominating_state_code}
    return render_template(
        "panel/conflicts.html",
        listing=listing,
        forms=forms,
        detected=detected,
        shown=shown,
        states=queries.states_named(codes),
    )


@bp.route("/panel/assignments/<int:assignment_id>/decide", methods=["POST"])
@requires(Permission.CONFLICT_DECIDE)
def decide(assignment_id: int) -> object:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.candidacy_id in queries.recused_candidacy_ids(actor()):
        abort(404)
    form = DecideForm(prefix=f"a{assignment_id}")
    if form.validate_on_submit():
        run(
            panel.decide_conflict,
            actor(),
            assignment,
            decision=DECISIONS[form.decision.data],
            reason=form.reason.data or "",
            success=_("The decision is recorded."),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".conflicts"))


# The decision form's values, and the status each one gives the assignment.
DECISIONS = {
    "none": ConflictStatus.NONE,
    "manage": ConflictStatus.MANAGED,
    "recuse": ConflictStatus.RECUSED,
}
