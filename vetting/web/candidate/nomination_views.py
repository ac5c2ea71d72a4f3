"""The State focal point's nominations, on the candidate blueprint: the elections whose window is
open (shown on /state) and the nomination form for one of them. The focal point nominates for
their own State only; `register_nomination` checks that, the window and every other rule, and a
refusal shows its message with the form as typed, having changed nothing."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from vetting.domain.roles import Permission
from vetting.domain.vocabulary import Gender, JudgeList
from vetting.extensions import db
from vetting.models import Election, State
from vetting.operations import listing, nominations
from vetting.web.candidate import bp
from vetting.web.helpers import actor, attempt
from vetting.web.policy import requires
from vetting.web.secretariat.forms import FocalPointNominationForm


def open_elections(session: Session, today: date | None = None) -> list[Election]:
    """The elections taking nominations today (extensions included: they move the closing date),
    closing soonest first. One query."""
    today = today or date.today()
    return list(
        session.scalars(
            sa.select(Election)
            .where(Election.nomination_opens <= today, Election.nomination_closes >= today)
            .order_by(Election.nomination_closes, Election.id)
        )
    )


def _window_open(election: Election, today: date) -> bool:
    return election.nomination_opens <= today <= election.nomination_closes


@bp.route("/state/elections/<int:election_id>/nominate", methods=["GET", "POST"])
@requires(Permission.NOMINATION_SUBMIT)
def nominate(election_id: int) -> object:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    user = actor()
    form = FocalPointNominationForm(listing.states_parties(db.session))
    status = 200
    if form.validate_on_submit():
        data = nominations.NominationData(
            full_name=form.full_name.data or "",
            email=form.email.data or "",
            nationality_code=form.nationality_code.data or "",
            nominating_state_code=user.state_code or "",
            gender=Gender(form.gender.data),
            judge_list=JudgeList(form.judge_list.data),
            statement=form.statement.data or "",
            language=form.language.data or "en",
            nomination_basis=form.basis(),
            national_procedure=form.national_procedure.data or "",
            other_nationalities=form.other_codes(),
        )
        refusal = attempt(
            nominations.register_nomination,
            user,
            election,
            data,
            base_url=current_app.config["BASE_URL"],
            invitation_hours=current_app.config["INVITATION_HOURS"],
        ).refusal
        if refusal is None:
            flash(_("Nomination submitted; the candidate has been sent an invitation."), "success")
            return redirect(url_for("candidate.focal_point_home"))
        flash(str(refusal), "error")
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template(
        "candidate/nominate.html",
        form=form,
        election=election,
        window_open=_window_open(election, date.today()),
        state=db.session.get(State, user.state_code) if user.state_code else None,
    ), status
