"""Deliberation: its opening, its page, the adverse notice and the finding."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from vetting.domain.policy import (
    can_see_others_scores,
)
from vetting.domain.roles import Permission
from vetting.domain.stages import available_actions
from vetting.domain.vocabulary import (
    DecisionMethod,
    MeritCategory,
)
from vetting.extensions import db
from vetting.models import Assignment, Candidacy
from vetting.operations import diligence, findings, panel, panel_reads
from vetting.web.helpers import actor, run
from vetting.web.panel import queries, statistics
from vetting.web.panel.blueprint import bp
from vetting.web.panel.forms import (
    AdverseNoticeForm,
    FindingForm,
)
from vetting.web.panel.forms import finding_form as finding_form_of
from vetting.web.panel.reply_views import notice_context, notice_form_for
from vetting.web.panel.support import cleared_view
from vetting.web.policy import requires


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
    # Only the phases the chair has locked, and per phase the reviewers who have locked it.
    sheet = queries.locked_scores(candidacy, user, criteria, assignment)
    finding = queries.finding_of(candidacy)
    html = render_template(
        "panel/deliberation.html",
        candidacy=candidacy,
        criteria=criteria,
        sheet=sheet,
        stats=statistics.deliberation_statistics(candidacy, user, sheet.criteria, sheet),
        **notice_context(candidacy),
        finding=finding,
        finding_reasons=findings.reasons_of(db.session, [finding.id]).get(finding.id, [])
        if finding
        else [],
        actions=available_actions(candidacy.stage, user.role),
        notice_form=notice_form
        or notice_form_for(candidacy, current_app.config["REPLY_WINDOW_DAYS"]),
        finding_form=finding_form or finding_form_of(criteria, formdata=None),
    )
    panel_reads.note_panel_read(
        db.session,
        user,
        candidacy,
        assignment,
        memo_shown=candidacy.integrity_memo is not None,
        others_scores_shown=sheet.others_shown,
    )
    # The candidate's reply is panel-level material: showing it is a read on record.
    diligence.note_reply_read(db.session, user, queries.adverse_notice_of(candidacy))
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
        success=_("The adverse notice is approved and sent to the candidate."),
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
    form = finding_form_of(queries.criteria_of(candidacy))
    if form.validate_on_submit() and run(
        panel.adopt_finding,
        actor(),
        candidacy,
        panel.FindingData(
            merit_category=MeritCategory(form.merit_category.data),
            reasons=form.reasons.data or "",
            criterion_reasons=form.criterion_reasons(),
            signed_name=form.signed_name.data or "",
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
