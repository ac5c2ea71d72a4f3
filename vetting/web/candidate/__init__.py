"""The candidate's own pages (questionnaire, reply, withdrawal) and the State focal point's page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from vetting.domain.candidacy_access import (
    awaits_reply,
    can_request_withdrawal,
    finding_is_communicated,
    is_own_candidate,
)
from vetting.domain.roles import Permission, Role
from vetting.extensions import db
from vetting.models import (
    AdverseNotice,
    Candidacy,
    Finding,
    QuestionnaireResponse,
    User,
)
from vetting.operations.diligence import note_evidence_read, submit_reply, visible_to_candidate
from vetting.operations.findings import CriterionReason, reasons_of
from vetting.operations.nominations import withdraw_candidacy
from vetting.operations.panel import relation_of
from vetting.web.candidate.forms import ReplyForm, WithdrawForm
from vetting.web.candidate.words import words
from vetting.web.diligence.evidence import evidence_rows, reply_view
from vetting.web.files import file_store, uploads_of
from vetting.web.helpers import actor, attempt, candidacy_or_404, run
from vetting.web.policy import requires
from vetting.web.words import words as vocabulary

bp = Blueprint("candidate", __name__)


@bp.context_processor
def _words() -> dict[str, object]:
    return words()


def _own_candidacy(public_id: str) -> Candidacy:
    """The signed-in candidate's own candidacy; any other is answered 404, as if absent."""
    candidacy = candidacy_or_404(public_id)
    if not is_own_candidate(relation_of(actor(), candidacy, None)):
        abort(404)
    return candidacy


def _by_candidacy(model: Any, ids: Sequence[int]) -> dict[int, Any]:
    """One query for a per-candidacy record of every listed candidacy (no query per row)."""
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(model).where(model.candidacy_id.in_(ids))).all()
    return {row.candidacy_id: row for row in rows}


@dataclass(frozen=True)
class Row:
    """One candidacy as its candidate or its State sees it, with what the rules let them see."""

    candidacy: Candidacy
    finding: Finding | None
    notice: AdverseNotice | None = None
    response: QuestionnaireResponse | None = None
    awaits_reply: bool = False
    # The finding's reasons on each criterion of the rubric (once the finding is communicated).
    reasons: Sequence[CriterionReason] = ()


def _rows(candidacies: Sequence[Candidacy], *, with_own_records: bool) -> list[Row]:
    ids = [c.id for c in candidacies]
    findings = _by_candidacy(Finding, ids)
    communicated = {
        c.id: findings[c.id]
        for c in candidacies
        if c.id in findings and finding_is_communicated(c.stage)
    }
    reasons = reasons_of(db.session, [f.id for f in communicated.values()])
    notices = _by_candidacy(AdverseNotice, ids) if with_own_records else {}
    responses = _by_candidacy(QuestionnaireResponse, ids) if with_own_records else {}
    rows = []
    for candidacy in candidacies:
        notice = notices.get(candidacy.id)
        if notice is not None and notice.approved_by_id is None:
            notice = None  # a draft reaches the candidate only once the chair approves it
        rows.append(
            Row(
                candidacy=candidacy,
                finding=communicated.get(candidacy.id),
                reasons=reasons.get(communicated[candidacy.id].id, ())
                if candidacy.id in communicated
                else (),
                notice=notice,
                response=responses.get(candidacy.id),
                awaits_reply=awaits_reply(
                    candidacy.stage,
                    notice is not None,
                    notice is not None and notice.replied_at is not None,
                ),
            )
        )
    return rows


def _home_of(user: User) -> str:
    if user.role is Role.CANDIDATE:
        return url_for("candidate.home")
    if user.role is Role.FOCAL_POINT:
        return url_for("candidate.focal_point_home")
    return url_for("account.home")


@bp.route("/candidate")
@requires(Permission.OWN_CANDIDACY_VIEW)
def home() -> object:
    candidacies = db.session.scalars(
        sa.select(Candidacy)
        .options(joinedload(Candidacy.election))
        .where(Candidacy.candidate_user_id == actor().id)
        .order_by(Candidacy.created_at.desc(), Candidacy.id.desc())
    ).all()
    return render_template(
        "candidate/home.html",
        rows=_rows(candidacies, with_own_records=True),
        withdraw_form=WithdrawForm(),
    )


@bp.route("/state")
@requires(Permission.STATE_CANDIDACIES_VIEW)
def focal_point_home() -> object:
    candidacies = db.session.scalars(
        sa.select(Candidacy)
        .options(joinedload(Candidacy.election))
        .where(Candidacy.nominating_state_code == actor().state_code)
        .order_by(Candidacy.created_at.desc(), Candidacy.id.desc())
    ).all()
    # The elections taking nominations, each with this State's candidacy in it if there is one.
    nominated = {c.election_id for c in candidacies}
    return render_template(
        "candidate/focal_point_home.html",
        rows=_rows(candidacies, with_own_records=False),
        withdraw_form=WithdrawForm(),
        open_elections=[
            (e, e.id in nominated) for e in nomination_views.open_elections(db.session)
        ],
    )


@bp.route("/candidate/<public_id>/reply", methods=["GET", "POST"])
@requires(Permission.REPLY_SUBMIT)
def reply(public_id: str) -> object:
    candidacy = _own_candidacy(public_id)
    notice = db.session.scalar(
        sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
    )
    # A draft is not the candidate's until the chair approves it: until then, nothing is here.
    if notice is None or notice.approved_by_id is None:
        abort(404)
    items = visible_to_candidate(db.session, candidacy)
    form = ReplyForm()
    form.answers.choices = [(item.id, item.source) for item in items]
    status = 200
    if form.validate_on_submit():
        refusal = attempt(
            submit_reply,
            actor(),
            candidacy,
            notice,
            text=form.reply.data or "",
            answers=form.answers.data or [],
            uploads=uploads_of(form.files.data),
            store=file_store(),
        ).refusal
        if refusal is None:
            flash(_("Your reply is received. The panel will consider it."), "success")
            return redirect(url_for("candidate.reply", public_id=public_id))
        flash(str(refusal), "error")
        status = 422
    elif request.method == "POST":
        status = 422
    html = render_template(
        "candidate/reply.html",
        candidacy=candidacy,
        notice=notice,
        form=form,
        rows=evidence_rows(items),
        reply=reply_view(candidacy),
        vocabulary=vocabulary,
    )
    # The items shown (the candidate's own level) are reads on record, like every such read.
    note_evidence_read(db.session, actor(), items)
    db.session.commit()
    return html, status


@bp.route("/candidate/<public_id>/withdraw", methods=["POST"])
@requires(Permission.CANDIDACY_WITHDRAW)
def withdraw(public_id: str) -> object:
    candidacy = candidacy_or_404(public_id)
    user = actor()
    if not can_request_withdrawal(relation_of(user, candidacy, None)):
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        run(
            withdraw_candidacy,
            user,
            candidacy,
            reason=form.reason.data or "",
            success=_("The candidacy is withdrawn."),
        )
    else:
        for error in form.reason.errors:
            flash(str(error), "error")
    return redirect(_home_of(user))


# The questionnaire, its drafts and the declaration, and the focal point's nomination form live
# in their own modules, on this blueprint.
from vetting.web.candidate import (  # noqa: E402
    nomination_views,
    questionnaire_views,  # noqa: F401
)
