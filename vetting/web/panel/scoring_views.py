"""The dossier and the reviewer's own scores and lock."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _

from vetting.domain.policy import (
    Relation,
    can_declare_conflict,
    can_score,
    can_see_others_scores,
    can_view_dossier,
)
from vetting.domain.questionnaire import QUESTIONS
from vetting.domain.roles import Permission
from vetting.domain.stages import available_actions
from vetting.extensions import db
from vetting.models import Assignment, Candidacy
from vetting.operations import panel, panel_reads
from vetting.web.helpers import actor, run
from vetting.web.panel import queries
from vetting.web.panel.blueprint import bp
from vetting.web.panel.forms import (
    ScoringForm,
    scoring_form,
)
from vetting.web.panel.interview_views import interview_context
from vetting.web.panel.support import cleared_view, reviewer_view
from vetting.web.policy import requires
from vetting.web.words import SCALE_WORDS


def _dossier_page(
    candidacy: Candidacy, assignment: Assignment, rel: Relation, form: ScoringForm | None = None
) -> tuple[str, int]:
    user = actor()
    criteria = queries.criteria_of(candidacy)
    mine = queries.my_scores(assignment)
    others_shown = can_see_others_scores(rel)
    evidence = queries.visible_evidence(candidacy, rel)
    interview = queries.interview_of(candidacy)
    html = render_template(
        "panel/dossier.html",
        candidacy=candidacy,
        assignment=assignment,
        states=queries.states_of(candidacy),
        questions=QUESTIONS,
        response=queries.questionnaire_of(candidacy),
        evidence=evidence,
        criteria=criteria,
        mine=mine,
        form=(form or scoring_form(criteria, mine)) if can_score(rel) else None,
        sheet=queries.locked_scores(candidacy, user, criteria) if others_shown else None,
        scale=SCALE_WORDS,
        actions=available_actions(candidacy.stage, user.role),
        interview=interview,
        **interview_context(candidacy, interview),
    )
    panel_reads.note_panel_read(
        db.session,
        user,
        candidacy,
        assignment,
        evidence=evidence,
        memo_shown=candidacy.integrity_memo is not None,
        others_scores_shown=others_shown,
    )
    db.session.commit()
    return html, 422 if form is not None else 200


@bp.route("/panel/<public_id>")
@requires(Permission.CANDIDACY_VIEW)
def dossier(public_id: str) -> object:
    candidacy, assignment, rel = reviewer_view(public_id)
    if can_declare_conflict(rel):
        # Conflicts are declared before any access to the dossier.
        return redirect(url_for(".declare", public_id=public_id))
    if not can_view_dossier(rel):
        abort(404)
    return _dossier_page(candidacy, assignment, rel)


@bp.route("/panel/<public_id>/scores", methods=["POST"])
@requires(Permission.SCORE_SUBMIT)
def scores(public_id: str) -> object:
    candidacy, assignment, rel = cleared_view(public_id)
    form = scoring_form(queries.criteria_of(candidacy), {})
    inputs = (
        [panel.ScoreInput(*item) for item in form.inputs()] if form.validate_on_submit() else None
    )
    if inputs and run(
        panel.save_scores, actor(), candidacy, assignment, inputs, success=_("Scores saved.")
    ):
        return redirect(url_for(".dossier", public_id=public_id))
    return _dossier_page(candidacy, assignment, rel, form)


@bp.route("/panel/<public_id>/lock", methods=["POST"])
@requires(Permission.SCORE_SUBMIT)
def lock(public_id: str) -> object:
    candidacy, assignment, _rel = cleared_view(public_id)
    run(
        panel.lock_scores,
        actor(),
        candidacy,
        assignment,
        success=_("Your scores are locked. You now see the other reviewers' locked scores."),
    )
    return redirect(url_for(".dossier", public_id=public_id))
