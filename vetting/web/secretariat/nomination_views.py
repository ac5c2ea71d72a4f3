"""Nominations in depth, on the secretariat's blueprint: the nomination window's extensions,
the minimum voting requirements and whether the pool can meet them, the judges in office, and
the eligibility gates of the dossier page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _

from vetting.domain.requirements import RequirementStatus
from vetting.domain.roles import Permission
from vetting.domain.vocabulary import (
    Gate,
    Gender,
    JudgeList,
    RegionalGroup,
    RequirementDimension,
)
from vetting.extensions import db
from vetting.models import Candidacy, Election, EligibilityCheck, JudgeInOffice
from vetting.operations import elections as election_ops
from vetting.operations import eligibility, listing
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.policy import requires
from vetting.web.secretariat import bp
from vetting.web.secretariat.forms import (
    EligibilityForm,
    ExtensionForm,
    JudgeInOfficeForm,
    RequirementForm,
)
from vetting.web.words import WORDS

_VALUE_ENUMS = {
    RequirementDimension.REGIONAL_GROUP: RegionalGroup,
    RequirementDimension.GENDER: Gender,
    RequirementDimension.LIST: JudgeList,
}


@dataclass(frozen=True)
class PoolRow:
    dimension: object
    value: object
    minimum: int
    in_pool: int
    met: bool
    shortfall: int


def pool_rows(statuses: list[RequirementStatus]) -> list[PoolRow]:
    """The statuses in words (shared with the public election page)."""
    rows = []
    for s in statuses:
        dimension = s.requirement.dimension
        value = _VALUE_ENUMS[dimension](s.requirement.value)
        rows.append(
            PoolRow(
                WORDS[dimension],
                WORDS[value],
                s.requirement.minimum,
                s.in_pool,
                s.met,
                s.shortfall,
            )
        )
    return rows


def election_context(election: Election) -> dict[str, object]:
    """What the election page shows of the window, its extensions and the pool."""
    extensions = election_ops.extensions_of(db.session, election)
    return {
        "pool": pool_rows(election_ops.requirement_statuses(db.session, election)),
        "extensions": extensions,
        "extensions_left": election_ops.MAX_EXTENSIONS - len(extensions),
        "extension_form": ExtensionForm(formdata=None, prefix="extension"),
        "requirement_form": RequirementForm(formdata=None, prefix="requirement"),
    }


def _election_or_404(election_id: int) -> Election:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    return election


@bp.route("/secretariat/elections/<int:election_id>/extend", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def extend_nominations(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = ExtensionForm(prefix="extension")
    if not form.validate_on_submit():
        flash_errors(form)
    else:
        run(
            election_ops.extend_nomination_window,
            actor(),
            election,
            reason=form.reason.data or "",
            success=_("The nomination window is extended by two weeks; the States are told."),
        )
    return redirect(url_for("secretariat.election", election_id=election_id) + "#pool")


@bp.route("/secretariat/elections/<int:election_id>/requirements", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def set_requirement(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = RequirementForm(prefix="requirement")
    if not form.validate_on_submit():
        flash_errors(form)
    else:
        dimension, _sep, value = (form.key.data or "").partition(":")
        run(
            election_ops.set_voting_requirement,
            actor(),
            election,
            dimension=RequirementDimension(dimension),
            value=value,
            minimum=form.minimum.data or 0,
            success=_("The minimum voting requirement is saved."),
        )
    return redirect(url_for("secretariat.election", election_id=election_id) + "#pool")


@bp.route("/secretariat/judges-in-office", methods=["GET", "POST"])
@requires(Permission.ELECTION_MANAGE)
def judges_in_office() -> object:
    form = JudgeInOfficeForm(listing.states_parties(db.session))
    if form.validate_on_submit():
        added = run(
            election_ops.add_judge_in_office,
            actor(),
            full_name=form.full_name.data or "",
            state_code=form.state_code.data or "",
            term_ends_on=form.term_ends_on.data,
            success=_("The judge is added to the list."),
        )
        if added:
            return redirect(url_for("secretariat.judges_in_office"))
    judges = election_ops.judges_in_office(db.session)
    states = listing.states_by_code(db.session, {j.state_code for j in judges})
    return render_template(
        "secretariat/judges_in_office.html", form=form, judges=judges, states=states
    )


@bp.route("/secretariat/judges-in-office/<int:judge_id>/remove", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def judge_in_office_remove(judge_id: int) -> object:
    judge = db.session.get(JudgeInOffice, judge_id)
    if judge is None:
        abort(404)
    run(
        election_ops.remove_judge_in_office,
        actor(),
        judge,
        success=_("The judge is removed from the list."),
    )
    return redirect(url_for("secretariat.judges_in_office"))


# -- The eligibility gates on the dossier page ----------------------------------------------------


@dataclass(frozen=True)
class GateRow:
    gate: Gate
    label: object
    check: EligibilityCheck | None
    # G1's pre-filled facts (State Party, clash), shown until the secretariat records it.
    hint: str | None = None


def gate_rows(candidacy: Candidacy, election: Election) -> list[GateRow]:
    checks = eligibility.checks_of(db.session, candidacy)
    rows = []
    for gate in eligibility.applicable_gates(election):
        hint = None
        if gate is Gate.G1 and gate not in checks:
            hint = eligibility.g1_facts(db.session, candidacy, election).summary
        rows.append(GateRow(gate, WORDS[gate], checks.get(gate), hint))
    return rows


def eligibility_form(candidacy: Candidacy, election: Election) -> EligibilityForm:
    form = EligibilityForm(formdata=None, prefix="eligibility")
    recorded = eligibility.checks_of(db.session, candidacy)
    form.limit_to(g for g in eligibility.applicable_gates(election) if g not in recorded)
    return form
