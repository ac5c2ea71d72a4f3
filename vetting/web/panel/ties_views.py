"""A panel member's own declared ties: the list, a new tie, and ending one.

Only the member sees this page for themselves; the decider sees the ties behind a detection on
the conflicts page. Ties are never deleted: a tie that no longer holds is ended.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from vetting.domain import conflicts
from vetting.domain.roles import Permission
from vetting.domain.vocabulary import TieKind
from vetting.extensions import db
from vetting.models import MemberTie, State
from vetting.operations import ties as tie_ops
from vetting.operations.conflicts import as_tie
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.panel.blueprint import bp
from vetting.web.panel.forms import EndTieForm, TieForm
from vetting.web.policy import requires


def _all_states() -> list[State]:
    french = str(get_locale() or "en") == "fr"
    order = State.name_fr if french else State.name_en
    return list(db.session.scalars(sa.select(State).order_by(order)))


def _state_choices(states: list[State]) -> list[tuple[str, str]]:
    french = str(get_locale() or "en") == "fr"
    return [("", _("Choose…"))] + [(s.code, s.name_fr if french else s.name_en) for s in states]


@bp.route("/panel/ties", methods=["GET", "POST"])
@requires(Permission.CONFLICT_DECLARE)
def ties() -> object:
    me = actor()
    states = _all_states()
    form = TieForm()
    form.state_code.choices = _state_choices(states)
    if form.validate_on_submit():
        outcome = run(
            tie_ops.declare_tie,
            me,
            tie_ops.TieData(
                kind=TieKind(form.kind.data),
                state_code=form.state_code.data or None,
                person_name=form.person_name.data or None,
                description=form.description.data or "",
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
            ),
            success=_("Your tie is recorded."),
        )
        if outcome.value is not None:
            if outcome.value.reopened:
                count = len(outcome.value.reopened)
                flash(
                    ngettext(
                        "It may be a conflict with a candidacy you are assigned to: that "
                        "assignment goes to a decision.",
                        "It may be a conflict with %(num)d candidacies you are assigned to: "
                        "those assignments go to a decision.",
                        count,
                    ),
                    "warning",
                )
            return redirect(url_for(".ties"))
    status = 422 if request.method == "POST" else 200
    rows = list(
        db.session.scalars(
            sa.select(MemberTie)
            .where(MemberTie.member_id == me.id)
            .order_by(MemberTie.ends_on.is_not(None), MemberTie.starts_on.desc(), MemberTie.id)
        )
    )
    until = {row.id: conflicts.counts_until(as_tie(row)) for row in rows}
    end_forms = {row.id: EndTieForm(prefix=f"t{row.id}") for row in rows if row.ends_on is None}
    return render_template(
        "panel/ties.html",
        form=form,
        rows=rows,
        until=until,
        end_forms=end_forms,
        states={s.code: s for s in states},
        windows={kind.value: years for kind, years in conflicts.WINDOW_YEARS.items()},
    ), status


@bp.route("/panel/ties/<int:tie_id>/end", methods=["POST"])
@requires(Permission.CONFLICT_DECLARE)
def end_tie(tie_id: int) -> object:
    me = actor()
    tie = db.session.get(MemberTie, tie_id)
    # Another member's tie does not exist, as far as this member can tell.
    if tie is None or tie.member_id != me.id:
        abort(404)
    form = EndTieForm(prefix=f"t{tie_id}")
    if form.validate_on_submit():
        run(
            tie_ops.end_tie,
            me,
            tie,
            ends_on=form.ends_on.data,
            success=_("The tie is ended; it stays on record."),
        )
    else:
        flash_errors(form)
    return redirect(url_for(".ties"))
