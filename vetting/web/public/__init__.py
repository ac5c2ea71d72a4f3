"""What anyone may read: elections, candidates, published summaries; and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, jsonify, render_template
from sqlalchemy.orm import joinedload

from vetting.domain import balance as balances
from vetting.domain.channel import window_state
from vetting.domain.requirements import Requirement, in_pool
from vetting.domain.vocabulary import (
    Gender,
    JudgeList,
    RegionalGroup,
    RequirementDimension,
    ScorePhase,
)
from vetting.extensions import db, rq
from vetting.models import Candidacy, Criterion, Election, ElectionReport, EligibilityCheck
from vetting.models.base import utcnow
from vetting.operations.elections import requirements_of
from vetting.operations.published import current_reports, current_summaries
from vetting.web.candidate.words import words
from vetting.web.files import send_download
from vetting.web.policy import public
from vetting.web.words import WORDS, words_of

bp = Blueprint("public", __name__)


@bp.context_processor
def _words() -> dict[str, object]:
    return words()


def _reports_of(elections: list[Election]) -> dict[int, ElectionReport]:
    """Each election's public report, in one query; linked only where its page (the endpoint
    public.report) exists."""
    if "public.report" not in current_app.view_functions:
        return {}
    return current_reports(db.session, [e.id for e in elections])


@bp.route("/")
@public
def index() -> object:
    elections = db.session.scalars(
        sa.select(Election).order_by(Election.nomination_opens.desc()).limit(50)
    ).all()
    # How many candidates each has, in one query whatever their number.
    counts = dict(
        db.session.execute(
            sa.select(Candidacy.election_id, sa.func.count(Candidacy.id))
            .where(Candidacy.election_id.in_([e.id for e in elections]))
            .group_by(Candidacy.election_id)
        ).all()
    )
    today = utcnow().date()
    return render_template(
        "public/index.html",
        elections=elections,
        counts=counts,
        windows={
            e.id: window_state(e.nomination_opens, e.nomination_closes, today).value
            for e in elections
        },
        reports=_reports_of(list(elections)),
    )


@bp.route("/healthz")
@public
def healthz() -> object:
    state = {"database": "ok", "queue": "ok"}
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # noqa: BLE001 - reported, not raised
        state["database"] = "unavailable"
    try:
        rq.queue.connection.ping()
    except Exception:  # noqa: BLE001
        state["queue"] = "unavailable"
    healthy = all(v == "ok" for v in state.values())
    return jsonify(status="ok" if healthy else "degraded", **state), 200 if healthy else 503


def _balance_of(election: Election, candidacies: list[tuple[Candidacy, bool]]) -> balances.Balance:
    """The pool's public balance (vetting.domain.balance), with one more query, the minimums.
    `candidacies` come with their nationality loaded and whether they failed a gate."""
    members = [
        balances.Member(
            c.nationality.regional_group.value,
            c.gender.value,
            c.judge_list.value,
            in_pool(c.stage, failed_gate=failed),
        )
        for c, failed in candidacies
    ]
    requirements = [
        Requirement(r.dimension, r.value, r.minimum) for r in requirements_of(db.session, election)
    ]
    return balances.balance(members, requirements)


# The balance table's values in words (the enums stored by value).
_VALUE_WORDS = {
    m.value: WORDS[m] for enum_cls in (RegionalGroup, Gender, JudgeList) for m in enum_cls
}


@bp.route("/elections/<int:election_id>")
@public
def election(election_id: int) -> object:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    # A constant number of queries whatever the number of candidates: the States, and whether
    # each failed an eligibility gate (the balance's "standing"), come in the same statement.
    failed = (
        sa.select(EligibilityCheck.id)
        .where(EligibilityCheck.candidacy_id == Candidacy.id, EligibilityCheck.passed.is_(False))
        .exists()
    )
    rows = db.session.execute(
        sa.select(Candidacy, failed)
        .options(joinedload(Candidacy.nationality), joinedload(Candidacy.nominating_state))
        .where(Candidacy.election_id == election.id)
        .order_by(Candidacy.full_name, Candidacy.id)
    ).all()
    candidacies = [c for c, _ in rows]
    # Which summaries are public now (an embargoed one is not), in one more query.
    published = set(current_summaries(db.session, [c.id for c in candidacies]))
    # The rubric is public (domain.md, confidentiality levels): criteria, weights, descriptors.
    criteria = db.session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == election.id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    return render_template(
        "public/election.html",
        election=election,
        candidacies=candidacies,
        published=published,
        criteria=criteria,
        phase_words=words_of(ScorePhase),
        balance=_balance_of(election, [(c, bool(f)) for c, f in rows]),
        value_words=_VALUE_WORDS,
        dimension_words=words_of(RequirementDimension),
        report=_reports_of([election]).get(election.id),
        window=window_state(election.nomination_opens, election.nomination_closes, utcnow().date()),
    )


@bp.route("/candidates/<public_id>")
@public
def candidate(public_id: str) -> object:
    candidacy = _candidacy_or_404(public_id)
    return render_profile(candidacy)


@bp.route("/candidates/<public_id>/files/<int:question_id>")
@public
def candidate_file(public_id: str, question_id: int) -> object:
    """A file the candidate gave in answer to a public question of the submitted questionnaire
    (their CV, say): public material, so its download is not audited."""
    download = public_file(_candidacy_or_404(public_id), question_id)
    if download is None:
        abort(404)
    return send_download(download)


def _candidacy_or_404(public_id: str) -> Candidacy:
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
    return candidacy


# The confidential channel's pages register on this blueprint.
from vetting.web.public import channel as _channel  # noqa: E402, F401
from vetting.web.public import report_views as _report_views  # noqa: E402, F401
from vetting.web.public import summary_views as _summary_views  # noqa: E402, F401
from vetting.web.public import transparency_views as _transparency  # noqa: E402, F401
from vetting.web.public.profile import public_file, render_profile  # noqa: E402
