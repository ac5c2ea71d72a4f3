"""The public summary on the secretariat's blueprint: drafting (and correcting), the "preview as
public" with the approval button under it, and the list of what awaits approval or release."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from vetting.domain.policy import can_view_dossier
from vetting.domain.publication import Phrases, SummaryFacts, is_second_person, suggested_text
from vetting.domain.roles import Permission, has_permission
from vetting.domain.stages import Stage
from vetting.extensions import db
from vetting.models import Candidacy, Finding, PublicSummary
from vetting.models.base import utcnow
from vetting.operations import publication
from vetting.operations.panel import relation_of
from vetting.web.candidate.words import words as public_words
from vetting.web.helpers import actor, assignment_of, flash_errors, run
from vetting.web.policy import requires
from vetting.web.public.profile import render_profile
from vetting.web.secretariat import bp
from vetting.web.secretariat.forms import MERIT_LABELS, ApprovalForm, SummaryForm
from vetting.web.stepup import requires_recent_auth

PREVIEW_ENDPOINT = "secretariat.summary_preview"


def _candidacy_or_404(public_id: str) -> Candidacy:
    """Loaded as the public profile needs it; 404 unless the actor may see the dossier."""
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
    user = actor()
    if not can_view_dossier(relation_of(user, candidacy, assignment_of(candidacy, user))):
        abort(404)
    return candidacy


def _back_to(candidacy: Candidacy) -> object:
    return redirect(url_for("secretariat.candidacy", public_id=candidacy.public_id) + "#summary")


def _suggestion(candidacy: Candidacy, election_title: str, finding: Finding | None) -> str:
    if finding is None:
        return ""
    merit = str(MERIT_LABELS.get(finding.merit_category, finding.merit_category.value))
    phrases = Phrases(
        heading=_("Summary of the vetting of {candidate}, candidate in {election}."),
        eligible=_("The panel found the candidate eligible for the office."),
        ineligible=_("The panel found that the candidate does not meet the eligibility criteria."),
        merit=_("On the merits, the panel found the candidate {merit}."),
    )
    facts = SummaryFacts(candidacy.full_name, election_title, finding.eligible, merit.lower())
    return suggested_text(facts, phrases)


def summary_context(
    candidacy: Candidacy, election_title: str, finding: Finding | None
) -> dict[str, object]:
    """What the dossier page shows of the summary: its versions and the drafting form."""
    rows = publication.version_rows(db.session, candidacy)
    draft = next((r.summary for r in rows if r.summary.approved_at is None), None)
    approved = [r.summary for r in rows if r.summary.approved_at is not None]
    correcting = bool(approved)
    may_draft = has_permission(actor().role, Permission.SUMMARY_DRAFT) and (
        candidacy.stage is Stage.FINDING_ADOPTED
        or (correcting and candidacy.stage in publication.CORRECTABLE)
    )
    if draft is not None:
        text, corrigendum, embargo = draft.text, draft.corrigendum, draft.embargo_until
    elif approved:
        text, corrigendum, embargo = approved[-1].text, "", None
    else:
        text, corrigendum, embargo = _suggestion(candidacy, election_title, finding), "", None
    form = SummaryForm(
        formdata=None,
        prefix="summary",
        text=text,
        corrigendum=corrigendum,
        embargo_until=embargo.replace(tzinfo=None) if embargo else None,
    )
    if not correcting:
        del form.corrigendum
    return {
        "summary_rows": rows,
        "summary_draft": draft,
        "summary_may_draft": may_draft,
        "summary_correcting": correcting,
        "summary_form": form,
        "now": utcnow(),
    }


@bp.route("/secretariat/candidacies/<public_id>/summary", methods=["POST"])
@requires(Permission.SUMMARY_DRAFT)
def summary_draft(public_id: str) -> object:
    candidacy = _candidacy_or_404(public_id)
    form = SummaryForm(prefix="summary")
    if not form.validate_on_submit():
        flash_errors(form)
        return _back_to(candidacy)
    data = publication.SummaryData(
        text=form.text.data or "",
        embargo_until=form.embargo(),
        corrigendum=form.corrigendum.data or "",
    )
    success = _("Draft saved. Open the preview; a second secretariat member approves it there.")
    run(publication.draft_summary, actor(), candidacy, data, success=success)
    return _back_to(candidacy)


@dataclass(frozen=True)
class Approval:
    """What the preview shows under the draft: the release it would get, and the button."""

    form: ApprovalForm
    plan: publication.ReleasePlan
    may_approve: bool
    draft: PublicSummary
    immediate: bool


@bp.route("/secretariat/candidacies/<public_id>/summary/preview")
@requires(Permission.SUMMARY_DRAFT)
def summary_preview(public_id: str) -> object:
    candidacy = _candidacy_or_404(public_id)
    draft = publication.open_draft(db.session, candidacy)
    if draft is None:
        abort(404)
    now = utcnow()
    plan = publication.release_plan(db.session, candidacy, draft, now=now)
    g.summary_approval = Approval(
        form=ApprovalForm(formdata=None, seen=publication.digest_of(draft)),
        plan=plan,
        may_approve=is_second_person(actor().id, publication.authors_of(db.session, draft)),
        draft=draft,
        immediate=plan.release is not None and plan.release <= now,
    )
    return render_profile(candidacy, preview=draft)


@bp.context_processor
def _preview_context() -> dict[str, object]:
    # The preview renders the public page on this blueprint: it needs the public's words, and
    # the approval shown under the draft.
    if request.endpoint != PREVIEW_ENDPOINT:
        return {}
    return {**public_words(), "approval": g.get("summary_approval")}


@bp.route("/secretariat/candidacies/<public_id>/summary/approve", methods=["POST"])
@requires(Permission.SUMMARY_PUBLISH)
@requires_recent_auth  # publishing asks for a fresh confirmation (AU-9)
def summary_approve(public_id: str) -> object:
    candidacy = _candidacy_or_404(public_id)
    form = ApprovalForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for(PREVIEW_ENDPOINT, public_id=candidacy.public_id))
    outcome = run(
        publication.approve_summary,
        actor(),
        candidacy,
        seen=form.seen.data,
        success=_("Approved. The summary is public from the release date shown below."),
    )
    # A refusal is shown on the preview, while there is a draft to show.
    if not outcome and publication.open_draft(db.session, candidacy) is not None:
        return redirect(url_for(PREVIEW_ENDPOINT, public_id=candidacy.public_id))
    return _back_to(candidacy)


@bp.route("/secretariat/publications")
@requires(Permission.SUMMARY_PUBLISH)
def publications() -> object:
    return render_template(
        "secretariat/publications.html",
        drafts=publication.awaiting_approval(db.session),
        held=publication.awaiting_release(db.session),
        me=actor().id,
    )
