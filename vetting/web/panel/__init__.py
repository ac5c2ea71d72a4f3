"""The panel's pages: assignments, conflict declarations, the dossier and scoring, and the
chair's conflict decisions and deliberation.

Recusal removes everything: every candidacy-scoped page answers 404 to a recused reviewer and
to a reviewer who is not assigned. Pages that show panel-level material are rendered first
and the read is then recorded and committed, so a failed audit entry fails the page closed.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from vetting.domain.conflicts import detect
from vetting.domain.policy import (
    Relation,
    can_declare_conflict,
    can_score,
    can_see_others_scores,
    can_view_dossier,
)
from vetting.domain.questionnaire import QUESTIONS
from vetting.domain.roles import Permission
from vetting.domain.stages import Action, available_actions
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
    DecisionMethod,
    InterviewMode,
    MeritCategory,
)
from vetting.extensions import db
from vetting.models import Assignment, Candidacy
from vetting.models.base import utcnow
from vetting.operations import diligence, panel, panel_reads
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.panel import queries, statistics
from vetting.web.panel.forms import (
    AdverseNoticeForm,
    DecideForm,
    DeclareForm,
    FindingForm,
    InterviewForm,
    InterviewNotesForm,
    ScoringForm,
    scoring_form,
)
from vetting.web.panel.support import cleared_view, reviewer_view
from vetting.web.policy import requires
from vetting.web.words import SCALE_WORDS, words

bp = Blueprint("panel", __name__)


@bp.context_processor
def _vocabulary() -> dict[str, Any]:
    return {
        "words": words,
        "Action": Action,
        "ConflictStatus": ConflictStatus,
        "detected_kind": ConflictKind,
    }


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/panel")
@requires(Permission.SCORE_SUBMIT)
def assignments() -> object:
    listing = queries.my_assignments(actor(), _page())
    return render_template("panel/assignments.html", listing=listing)


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
    detected = detect(
        actor().state_code, candidacy.nationality_code, candidacy.nominating_state_code
    )
    return render_template(
        "panel/declare.html", candidacy=candidacy, states=states, form=form, detected=detected
    ), status


def _dossier_page(
    candidacy: Candidacy, assignment: Assignment, rel: Relation, form: ScoringForm | None = None
) -> tuple[str, int]:
    user = actor()
    criteria = queries.criteria_of(candidacy)
    mine = queries.my_scores(assignment)
    others_shown = can_see_others_scores(rel)
    evidence = queries.visible_evidence(candidacy, rel)
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
        interview=queries.interview_of(candidacy),
        interview_form=InterviewForm(
            prefix="interview",
            formdata=None,
            scheduled_at=(utcnow() + timedelta(days=14)).replace(
                hour=9, minute=0, second=0, microsecond=0, tzinfo=None
            ),
        ),
        notes_form=InterviewNotesForm(prefix="notes", formdata=None),
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


@bp.route("/panel/conflicts")
@requires(Permission.CONFLICT_DECIDE)
def conflicts() -> object:
    listing = queries.conflicts_awaiting(actor(), _page())
    # One form per declaration, prefixed so that field ids stay unique on the page.
    forms = {row[0].id: DecideForm(prefix=f"a{row[0].id}") for row in listing.rows}
    return render_template("panel/conflicts.html", listing=listing, forms=forms)


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
            recuse=form.decision.data == "recuse",
            reason=form.reason.data or "",
            success=_("The decision is recorded."),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".conflicts"))


@bp.route("/panel/<public_id>/interview", methods=["POST"])
@requires(Permission.DELIBERATION_RUN)
def interview(public_id: str) -> object:
    candidacy, _assignment, _rel = cleared_view(public_id)
    form = InterviewForm(prefix="interview")
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for(".dossier", public_id=public_id))
    assert form.scheduled_at.data is not None
    run(
        panel.invite_to_interview,
        actor(),
        candidacy,
        panel.InterviewData(
            scheduled_at=form.scheduled_at.data.replace(tzinfo=UTC),
            mode=InterviewMode(form.mode.data),
            purpose=form.purpose.data or "",
        ),
        success=_("The candidate is invited."),
    )
    return redirect(url_for(".dossier", public_id=public_id))


@bp.route("/panel/<public_id>/interview/notes", methods=["POST"])
@requires(Permission.DELIBERATION_RUN)
def interview_notes(public_id: str) -> object:
    candidacy, _assignment, _rel = cleared_view(public_id)
    form = InterviewNotesForm(prefix="notes")
    if form.validate_on_submit():
        run(
            panel.record_interview_notes,
            actor(),
            candidacy,
            notes=form.notes.data or "",
            success=_("The interview notes are recorded."),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".dossier", public_id=public_id))


@bp.route("/panel/<public_id>/deliberation/open", methods=["POST"])
@requires(Permission.DELIBERATION_RUN)
def deliberation_open(public_id: str) -> object:
    candidacy, _assignment, _rel = cleared_view(public_id)
    if run(panel.open_deliberation, actor(), candidacy, success=_("Deliberation is open.")):
        return redirect(url_for(".deliberation", public_id=public_id))
    return redirect(url_for(".dossier", public_id=public_id))


def _deliberation_page(
    candidacy: Candidacy,
    assignment: Assignment,
    notice_form: AdverseNoticeForm | None = None,
    finding_form: FindingForm | None = None,
) -> tuple[str, int]:
    user = actor()
    criteria = queries.criteria_of(candidacy)
    sheet = queries.locked_scores(candidacy, user, criteria)
    html = render_template(
        "panel/deliberation.html",
        candidacy=candidacy,
        criteria=criteria,
        sheet=sheet,
        stats=statistics.deliberation_statistics(candidacy, user, criteria, sheet),
        notice=queries.adverse_notice_of(candidacy),
        finding=queries.finding_of(candidacy),
        actions=available_actions(candidacy.stage, user.role),
        notice_form=notice_form
        or AdverseNoticeForm(window_days=current_app.config["REPLY_WINDOW_DAYS"]),
        finding_form=finding_form or FindingForm(),
    )
    panel_reads.note_panel_read(
        db.session,
        user,
        candidacy,
        assignment,
        memo_shown=candidacy.integrity_memo is not None,
        others_scores_shown=True,
    )
    db.session.commit()
    return html, 422 if (notice_form or finding_form) else 200


def _deliberating(public_id: str) -> tuple[Candidacy, Assignment] | None:
    """The chair, cleared, with their own scores locked; None when the scores are not locked."""
    candidacy, assignment, rel = cleared_view(public_id)
    if not can_see_others_scores(rel):
        flash(_("Lock your own scores before you see the other reviewers' scores."), "error")
        return None
    return candidacy, assignment


@bp.route("/panel/<public_id>/deliberation")
@requires(Permission.DELIBERATION_RUN)
def deliberation(public_id: str) -> object:
    found = _deliberating(public_id)
    if found is None:
        return redirect(url_for(".dossier", public_id=public_id))
    return _deliberation_page(*found)


@bp.route("/panel/<public_id>/adverse-notice", methods=["POST"])
@requires(Permission.DELIBERATION_RUN)
def adverse_notice(public_id: str) -> object:
    found = _deliberating(public_id)
    if found is None:
        return redirect(url_for(".dossier", public_id=public_id))
    candidacy, assignment = found
    form = AdverseNoticeForm()
    if form.validate_on_submit() and run(
        diligence.send_adverse_notice,
        actor(),
        candidacy,
        summary=form.summary.data or "",
        window_days=form.window_days.data or 0,
        success=_("The adverse notice is sent to the candidate."),
    ):
        return redirect(url_for(".deliberation", public_id=public_id))
    return _deliberation_page(candidacy, assignment, notice_form=form)


@bp.route("/panel/<public_id>/finding", methods=["POST"])
@requires(Permission.FINDING_ADOPT)
def finding(public_id: str) -> object:
    found = _deliberating(public_id)
    if found is None:
        return redirect(url_for(".dossier", public_id=public_id))
    candidacy, assignment = found
    form = FindingForm()
    if form.validate_on_submit() and run(
        panel.adopt_finding,
        actor(),
        candidacy,
        panel.FindingData(
            merit_category=MeritCategory(form.merit_category.data),
            reasons=form.reasons.data or "",
            dissent=form.dissent.data or "",
            method=DecisionMethod(form.method.data or DecisionMethod.CONSENSUS.value),
            votes_for=form.votes_for.data,
            votes_against=form.votes_against.data,
            abstentions=form.abstentions.data,
        ),
        success=_("The finding is adopted."),
    ):
        return redirect(url_for(".deliberation", public_id=public_id))
    return _deliberation_page(candidacy, assignment, finding_form=form)
