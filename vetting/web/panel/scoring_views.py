"""The dossier and the reviewer's own scores: drafts, the lock of each phase, and revisions of a
locked score with a reason."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from vetting.domain import scoring as scoring_rules
from vetting.domain.policy import (
    Relation,
    can_declare_conflict,
    can_view_dossier,
)
from vetting.domain.questionnaire import QUESTIONS
from vetting.domain.roles import Permission
from vetting.domain.stages import available_actions
from vetting.domain.vocabulary import ScorePhase
from vetting.extensions import db
from vetting.models import Assignment, Candidacy, Criterion
from vetting.operations import panel, panel_reads
from vetting.operations.scoring import locks_of
from vetting.web.helpers import actor, run
from vetting.web.panel import queries
from vetting.web.panel.blueprint import bp
from vetting.web.panel.forms import (
    RevisionForm,
    ScoringForm,
    revision_form,
    scoring_form,
    value_of,
)
from vetting.web.panel.interview_views import interview_context
from vetting.web.panel.support import cleared_view, reviewer_view
from vetting.web.policy import requires
from vetting.web.words import SCALE_WORDS


def _to_score(
    candidacy: Candidacy, assignment: Assignment, criteria: list[Criterion]
) -> list[Criterion]:
    """The criteria the reviewer scores now: of the phases open at this stage, not locked."""
    phases = scoring_rules.phases_to_score(
        locks_of(assignment), {c.phase for c in criteria}, candidacy.stage
    )
    return [c for c in criteria if c.phase in phases]


def _dossier_page(
    candidacy: Candidacy,
    assignment: Assignment,
    rel: Relation,
    form: ScoringForm | None = None,
    revising: tuple[int, RevisionForm] | None = None,
) -> tuple[str, int]:
    user = actor()
    criteria = queries.criteria_of(candidacy)
    mine = queries.my_scores(assignment)
    locks = locks_of(assignment)
    present = {c.phase for c in criteria}
    to_score = _to_score(candidacy, assignment, criteria)
    scoring_phases = [p for p in scoring_rules.PHASES if any(c.phase is p for c in to_score)]
    locked_phases = scoring_rules.visible_phases(locks, present)
    # Everyone's scores of the phases I have locked (mine among them); nothing before a lock.
    sheet = queries.locked_scores(candidacy, user, criteria, assignment)
    revisions = {
        c.id: revision_form(c, mine.get(c.id))
        for c in criteria
        if c.phase in locked_phases and scoring_rules.is_revision_open(c.phase, candidacy.stage)
    }
    if revising is not None:
        revisions[revising[0]] = revising[1]
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
        form=(form or scoring_form(to_score, mine)) if to_score else None,
        scoring_phases=scoring_phases,
        locked_phases=locked_phases,
        phases=[p for p in scoring_rules.PHASES if p in present],
        revisions=revisions,
        revising=revising[0] if revising else None,
        sheet=sheet or None,
        my_rows={cid: row for cid, rows in sheet.by_criterion.items() for row in rows if row.is_me},
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
        others_scores_shown=sheet.others_shown,
    )
    db.session.commit()
    return html, 422 if (form is not None or revising is not None) else 200


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
    form = scoring_form(_to_score(candidacy, assignment, queries.criteria_of(candidacy)), {})
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
    """Lock one phase: the one named by the form, else the first one due at this stage."""
    candidacy, assignment, _rel = cleared_view(public_id)
    named = request.form.get("phase") or None
    phase = next((p for p in ScorePhase if p.value == named), None)
    if named is not None and phase is None:
        flash(_("Choose the scores to lock: on the papers, or after the interview."), "error")
    else:
        run(
            panel.lock_scores,
            actor(),
            candidacy,
            assignment,
            phase,
            success=_(
                "Your scores are locked. You now see the other reviewers' locked scores of "
                "the same phase."
            ),
        )
    return redirect(url_for(".dossier", public_id=public_id))


@bp.route("/panel/<public_id>/scores/<int:criterion_id>/revise", methods=["POST"])
@requires(Permission.SCORE_SUBMIT)
def revise(public_id: str, criterion_id: int) -> object:
    """Change a locked score, with a reason; the earlier version is kept."""
    candidacy, assignment, rel = cleared_view(public_id)
    criterion = next((c for c in queries.criteria_of(candidacy) if c.id == criterion_id), None)
    if criterion is None:
        abort(404)
    form = revision_form(criterion, queries.my_scores(assignment).get(criterion.id), submitted=True)
    if form.validate_on_submit() and run(
        panel.revise_score,
        actor(),
        candidacy,
        assignment,
        panel.ScoreInput(criterion.id, value_of(form.value.data), form.rationale.data or ""),
        reason=form.reason.data or "",
        success=_("The score is changed; the earlier version is kept."),
    ):
        return redirect(url_for(".dossier", public_id=public_id, _anchor=f"mine-{criterion.id}"))
    return _dossier_page(candidacy, assignment, rel, revising=(criterion.id, form))
