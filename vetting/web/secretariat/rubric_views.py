"""The rubric editor: the secretariat adds, edits, reorders and removes an election's criteria
until the first score of the election is saved (vetting.operations.rubric)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from vetting.domain.roles import Permission
from vetting.domain.vocabulary import ScorePhase
from vetting.extensions import db
from vetting.models import Criterion, Election
from vetting.operations import rubric as rubric_ops
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.policy import requires
from vetting.web.secretariat import bp
from vetting.web.secretariat.rubric_forms import (
    CriterionForm,
    MoveForm,
    RemoveForm,
    criterion_form,
)
from vetting.web.words import words_of

PHASE_WORDS = words_of(ScorePhase)


def _election_or_404(election_id: int) -> Election:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    return election


def _criterion_or_404(election: Election, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.election_id != election.id:
        abort(404)
    return criterion


def _rubric_page(election: Election, form: CriterionForm | None = None) -> tuple[str, int]:
    html = render_template(
        "secretariat/rubric.html",
        election=election,
        criteria=rubric_ops.criteria_of(db.session, election.id),
        frozen=rubric_ops.is_frozen(db.session, election.id),
        form=form or criterion_form(formdata=None),
        phase_words=PHASE_WORDS,
    )
    return html, 422 if form is not None else 200


def _back(election: Election) -> object:
    return redirect(url_for("secretariat.rubric", election_id=election.id))


@bp.route("/secretariat/elections/<int:election_id>/rubric")
@requires(Permission.ELECTION_MANAGE)
def rubric(election_id: int) -> object:
    return _rubric_page(_election_or_404(election_id))


@bp.route("/secretariat/elections/<int:election_id>/rubric/add", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def rubric_add(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = criterion_form()
    if form.validate_on_submit() and run(
        rubric_ops.add_criterion,
        actor(),
        election,
        form.data_for_operation(),
        success=_("The criterion is added to the rubric."),
    ):
        return _back(election)
    return _rubric_page(election, form)


@bp.route(
    "/secretariat/elections/<int:election_id>/rubric/<int:criterion_id>", methods=["GET", "POST"]
)
@requires(Permission.ELECTION_MANAGE)
def rubric_edit(election_id: int, criterion_id: int) -> object:
    election = _election_or_404(election_id)
    criterion = _criterion_or_404(election, criterion_id)
    form = criterion_form(criterion)
    status = 200
    if form.is_submitted():
        if form.validate() and run(
            rubric_ops.edit_criterion,
            actor(),
            criterion,
            form.data_for_operation(),
            success=_("The criterion is saved."),
        ):
            return _back(election)
        status = 422
    return render_template(
        "secretariat/rubric_edit.html",
        election=election,
        criterion=criterion,
        frozen=rubric_ops.is_frozen(db.session, election.id),
        form=form,
    ), status


@bp.route(
    "/secretariat/elections/<int:election_id>/rubric/<int:criterion_id>/move", methods=["POST"]
)
@requires(Permission.ELECTION_MANAGE)
def rubric_move(election_id: int, criterion_id: int) -> object:
    election = _election_or_404(election_id)
    criterion = _criterion_or_404(election, criterion_id)
    form = MoveForm()
    if form.validate_on_submit():
        run(
            rubric_ops.move_criterion,
            actor(),
            criterion,
            step=-1 if form.direction.data == "up" else 1,
            success=_("The rubric's order is saved."),
        )
    else:
        flash_errors(form)
    return _back(election)


@bp.route(
    "/secretariat/elections/<int:election_id>/rubric/<int:criterion_id>/remove", methods=["POST"]
)
@requires(Permission.ELECTION_MANAGE)
def rubric_remove(election_id: int, criterion_id: int) -> object:
    election = _election_or_404(election_id)
    criterion = _criterion_or_404(election, criterion_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        flash_errors(form)
    elif (form.code.data or "").strip().upper() != criterion.code:
        # The page was out of date: say so rather than remove what the user did not see.
        flash(
            _(
                "The rubric changed since the page was shown; %(code)s was not removed. "
                "Check the rubric and try again.",
                code=criterion.code,
            ),
            "error",
        )
    else:
        run(rubric_ops.remove_criterion, actor(), criterion, success=_("The criterion is removed."))
    return _back(election)
