"""The secretariat's pages: elections, nominations, the candidacy list and the dossier with the
actions the stage allows (eligibility, withdrawal, the public summary, publication, closing)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from vetting.domain.policy import can_see_level, can_view_dossier
from vetting.domain.roles import Permission
from vetting.domain.stages import Action, Stage, available_actions
from vetting.domain.vocabulary import Gate, Gender, JudgeList, Level, Office
from vetting.extensions import db
from vetting.models import Candidacy, Election
from vetting.operations import elections as election_ops
from vetting.operations import listing, nominations, publication, reads
from vetting.operations.panel import relation_of
from vetting.operations.questionnaires import answer_sheet
from vetting.web.helpers import actor, assignment_of, candidacy_or_404, flash_errors, run
from vetting.web.policy import requires
from vetting.web.secretariat.forms import (
    GENDER_LABELS,
    INTEGRITY_LABELS,
    JUDGE_LIST_LABELS,
    MERIT_LABELS,
    OFFICE_LABELS,
    STAGE_LABELS,
    ElectionForm,
    EligibilityForm,
    NominationForm,
    StageFilterForm,
    WithdrawForm,
)
from vetting.web.words import LANGUAGE_WORDS, words

bp = Blueprint("secretariat", __name__)

# The transitions this page offers a form for; the others belong to other roles' pages.
PAGE_ACTIONS = frozenset(
    {
        Action.PASS_ELIGIBILITY,
        Action.FAIL_ELIGIBILITY,
        Action.PUBLISH,
        Action.CLOSE,
        Action.WITHDRAW,
    }
)


@bp.context_processor
def _labels() -> dict[str, object]:
    # Readable, translated names for the closed vocabularies the pages show.
    return {
        "office_label": lambda o: OFFICE_LABELS.get(o, o.value),
        "stage_label": lambda s: STAGE_LABELS.get(s, s.value),
        "gender_label": lambda g: GENDER_LABELS.get(g, g.value),
        "judge_list_label": lambda j: JUDGE_LIST_LABELS.get(j, j.value),
        "integrity_label": lambda i: INTEGRITY_LABELS.get(i, i.value),
        "merit_label": lambda m: MERIT_LABELS.get(m, m.value),
        "words": words,
    }


def _election_or_404(election_id: int) -> Election:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    return election


def _dossier_candidacy_or_404(public_id: str) -> Candidacy:
    """The candidacy, if the actor may see its dossier; otherwise 404, so existence is hidden."""
    candidacy = candidacy_or_404(public_id)
    user = actor()
    if not can_view_dossier(relation_of(user, candidacy, assignment_of(candidacy, user))):
        abort(404)
    return candidacy


def _back_to(candidacy: Candidacy) -> object:
    return redirect(url_for("secretariat.candidacy", public_id=candidacy.public_id))


@bp.route("/secretariat/elections")
@requires(Permission.ELECTION_MANAGE)
def elections() -> object:
    return render_template("secretariat/elections.html", elections=listing.elections(db.session))


@bp.route("/secretariat/elections/new", methods=["GET", "POST"])
@requires(Permission.ELECTION_MANAGE)
def election_new() -> object:
    form = ElectionForm()
    if form.validate_on_submit():
        data = election_ops.ElectionData(
            title=form.title.data or "",
            office=Office(form.office.data),
            seats=form.seats.data or 0,
            nomination_opens=form.nomination_opens.data,  # type: ignore[arg-type]
            nomination_closes=form.nomination_closes.data,  # type: ignore[arg-type]
            vote_date=form.vote_date.data,
        )
        election = run(
            election_ops.create_election, actor(), data, success=_("Election created.")
        ).value
        if election is not None:
            return redirect(url_for("secretariat.election", election_id=election.id))
    return render_template("secretariat/election_new.html", form=form)


@bp.route("/secretariat/elections/<int:election_id>")
@requires(Permission.ELECTION_MANAGE)
def election(election_id: int) -> object:
    election = _election_or_404(election_id)
    return render_template(
        "secretariat/election.html",
        election=election,
        criteria=listing.criteria_of(db.session, election),
        candidacies=listing.candidacies_of(db.session, election),
        **nomination_views.election_context(election),
    )


@bp.route("/secretariat/elections/<int:election_id>/nominations/new", methods=["GET", "POST"])
@requires(Permission.NOMINATION_REGISTER)
def nomination_new(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = NominationForm(listing.states_parties(db.session))
    if form.validate_on_submit():
        data = nominations.NominationData(
            full_name=form.full_name.data or "",
            email=form.email.data or "",
            nationality_code=form.nationality_code.data or "",
            nominating_state_code=form.nominating_state_code.data or "",
            gender=Gender(form.gender.data),
            judge_list=JudgeList(form.judge_list.data),
            statement=form.statement.data or "",
            language=form.language.data or "en",
            nomination_basis=form.basis(),
            national_procedure=form.national_procedure.data or "",
            other_nationalities=form.other_codes(),
            late_reason=form.late_reason.data or "",
        )
        candidacy = run(
            nominations.register_nomination,
            actor(),
            election,
            data,
            base_url=current_app.config["BASE_URL"],
            invitation_hours=current_app.config["INVITATION_HOURS"],
            success=_("Nomination registered; the candidate has been sent an invitation."),
        ).value
        if candidacy is not None:
            return redirect(url_for("secretariat.election", election_id=election.id))
    return render_template("secretariat/nomination_new.html", form=form, election=election)


@bp.route("/secretariat/candidacies")
@requires(Permission.CANDIDACY_LIST)
def candidacies() -> object:
    form = StageFilterForm(request.args)
    if not form.validate():
        return render_template("secretariat/candidacies.html", form=form, page=None), 400
    stage = Stage(form.stage.data) if form.stage.data else None
    page = listing.candidacies_page(db.session, request.args.get("page", 1, type=int), stage=stage)
    return render_template("secretariat/candidacies.html", form=form, page=page, stage=stage)


@bp.route("/secretariat/candidacies/<public_id>")
@requires(Permission.CANDIDACY_VIEW)
def candidacy(public_id: str) -> object:
    candidacy = _dossier_candidacy_or_404(public_id)
    user = actor()
    rel = relation_of(user, candidacy, assignment_of(candidacy, user))
    sees_panel = can_see_level(rel, Level.PANEL)
    memo_shown = sees_panel and candidacy.integrity_memo is not None
    run(reads.note_dossier_read, user, candidacy, memo_shown=memo_shown)
    dossier = listing.dossier(db.session, candidacy.id)
    assert dossier is not None
    actions = PAGE_ACTIONS.intersection(available_actions(dossier.candidacy.stage, user.role))
    # The dossier shows several forms at once: prefixes keep their field ids unique.
    return render_template(
        "secretariat/candidacy.html",
        d=dossier,
        c=dossier.candidacy,
        sheet=(
            answer_sheet(
                db.session,
                dossier.response,
                levels=frozenset(
                    level for level in (Level.PUBLIC, Level.PANEL) if can_see_level(rel, level)
                ),
            )
            if dossier.response is not None
            else None
        ),
        languages=LANGUAGE_WORDS,
        sees_panel=sees_panel,
        memo_shown=memo_shown,
        Action=Action,
        actions=actions,
        eligibility_form=nomination_views.eligibility_form(dossier.candidacy, dossier.election),
        gates=nomination_views.gate_rows(dossier.candidacy, dossier.election),
        withdraw_form=WithdrawForm(formdata=None, prefix="withdrawal"),
        **publication_views.summary_context(
            dossier.candidacy, dossier.election.title, dossier.finding
        ),
    )


@bp.route("/secretariat/candidacies/<public_id>/eligibility", methods=["POST"])
@requires(Permission.ELIGIBILITY_RECORD)
def eligibility(public_id: str) -> object:
    candidacy = _dossier_candidacy_or_404(public_id)
    form = EligibilityForm(prefix="eligibility")
    if not form.validate_on_submit():
        flash_errors(form)
        return _back_to(candidacy)
    run(
        nominations.record_eligibility,
        actor(),
        candidacy,
        passed=form.passed.data == "yes",
        reason=form.reason.data or "",
        gate=Gate(form.gate.data) if form.gate.data else None,
        success=_("Eligibility recorded."),
    )
    return _back_to(candidacy)


@bp.route("/secretariat/candidacies/<public_id>/withdraw", methods=["POST"])
@requires(Permission.CANDIDACY_WITHDRAW)
def withdraw(public_id: str) -> object:
    candidacy = _dossier_candidacy_or_404(public_id)
    form = WithdrawForm(prefix="withdrawal")
    if not form.validate_on_submit():
        flash_errors(form)
        return _back_to(candidacy)
    run(
        nominations.withdraw_candidacy,
        actor(),
        candidacy,
        reason=form.reason.data or "",
        success=_("The candidacy is withdrawn."),
    )
    return _back_to(candidacy)


@bp.route("/secretariat/candidacies/<public_id>/close", methods=["POST"])
@requires(Permission.SUMMARY_PUBLISH)
def close(public_id: str) -> object:
    candidacy = _dossier_candidacy_or_404(public_id)
    run(publication.close_candidacy, actor(), candidacy, success=_("The candidacy is closed."))
    return _back_to(candidacy)


# The routes of these modules are registered on this blueprint when imported: the panel and its
# assignments, the rubric editor, the confidential channel's window (on the election's page),
# the questionnaire builder with its deadlines and print view, and nominations in depth (the
# window's extensions, minimum voting requirements, judges in office, the eligibility gates).
from vetting.web.secretariat import (  # noqa: E402, F401
    channel_views,
    nomination_views,
    panel_views,
    publication_views,
    questionnaire_views,
    report_views,
    rubric_views,
)
