"""The secretariat's panel pages for one election: who sits on the panel and its balance
(regional groups, genders, flags), and who reviews which candidacy (by hand, automatically).

Both pages run a fixed number of statements whatever the number of members and candidacies
(tests/web/test_query_counts.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from vetting.domain import composition
from vetting.domain.assignment import ShortReason
from vetting.domain.composition import Flag, FlagKind
from vetting.domain.roles import Permission, Role
from vetting.domain.vocabulary import ConflictKind, ConflictStatus
from vetting.extensions import db
from vetting.models import Assignment, Candidacy, Election, State, User
from vetting.operations import listing, panels
from vetting.web.helpers import actor, flash_errors, run
from vetting.web.policy import requires
from vetting.web.secretariat import bp
from vetting.web.secretariat.panel_forms import (
    AssignForm,
    AutoAssignForm,
    MemberForm,
    SeatForm,
    UnassignForm,
)
from vetting.web.words import words


def _election_or_404(election_id: int) -> Election:
    election = db.session.get(Election, election_id)
    if election is None:
        abort(404)
    return election


def _to_panel(election: Election) -> object:
    return redirect(url_for("secretariat.panel", election_id=election.id))


def _to_assignments(election: Election) -> object:
    return redirect(url_for("secretariat.assignments", election_id=election.id))


# -- The panel and its balance ----------------------------------------------------------------


@dataclass(frozen=True)
class SeatRow:
    member: User
    state: State | None
    assignments: int


def _states_of(users: list[User]) -> dict[str, State]:
    return listing.states_by_code(db.session, {u.state_code for u in users if u.state_code})


def _loads(election: Election) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Assignment.reviewer_id, sa.func.count(Assignment.id))
        .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
        .where(Candidacy.election_id == election.id)
        .group_by(Assignment.reviewer_id)
    )
    return {reviewer: count for reviewer, count in rows}


def flag_text(flag: Flag, balance: composition.Balance, states: dict[str, State]) -> str:
    """One flag of the panel's balance, in plain words."""
    kind = flag.kind
    if kind is FlagKind.EMPTY:
        return _("Nobody sits on this panel yet.")
    if kind is FlagKind.NO_CHAIR:
        return _("No panel chair is seated.")
    if kind is FlagKind.GROUP_MISSING:
        return _("No member from the %(group)s.", group=words(flag.group))
    if kind is FlagKind.GROUP_MAJORITY:
        return _(
            "More than half of the members (%(count)s of %(size)s) come from the %(group)s.",
            count=flag.count,
            size=balance.size,
            group=words(flag.group),
        )
    if kind is FlagKind.SHARED_NATIONALITY:
        state = states.get(flag.nationality or "")
        return _(
            "%(count)s members are nationals of %(state)s.",
            count=flag.count,
            state=state.name_en if state else flag.nationality,
        )
    if kind is FlagKind.NATIONALITY_UNRECORDED:
        return ngettext(
            "The nationality of %(num)s member is not recorded: it counts in no regional group.",
            "The nationality of %(num)s members is not recorded: they count in no regional group.",
            flag.count,
        )
    if kind is FlagKind.GENDER_OVER_TWO_THIRDS:
        return _(
            "More than two thirds of one gender: %(count)s of the %(recorded)s members whose "
            "gender is recorded are %(gender)s.",
            count=flag.count,
            recorded=balance.size - balance.gender_unrecorded,
            gender=str(words(flag.gender)).lower(),
        )
    return ngettext(
        "The gender of %(num)s member is not recorded (an administrator records it).",
        "The gender of %(num)s members is not recorded (an administrator records it).",
        flag.count,
    )


@bp.route("/secretariat/elections/<int:election_id>/panel")
@requires(Permission.ELECTION_MANAGE)
def panel(election_id: int) -> object:
    election = _election_or_404(election_id)
    members = panels.seated_members(db.session, election)
    seatable = panels.seatable_users(db.session, election)
    states = _states_of(members + seatable)
    loads = _loads(election)
    balance = composition.balance(
        composition.Seat(
            nationality=m.state_code,
            group=states[m.state_code].regional_group if m.state_code in states else None,
            gender=m.gender,
            chair=m.role is Role.PANEL_CHAIR,
        )
        for m in members
    )
    form = SeatForm(formdata=None)
    form.member.choices = [
        (u.id, f"{u.full_name} ({states[u.state_code].name_en})")
        if u.state_code in states
        else (u.id, u.full_name)
        for u in seatable
    ]
    return render_template(
        "secretariat/panel.html",
        election=election,
        rows=[SeatRow(m, states.get(m.state_code or ""), loads.get(m.id, 0)) for m in members],
        balance=balance,
        flags=[flag_text(f, balance, states) for f in balance.flags],
        seat_form=form,
        member_form=MemberForm(formdata=None),
        words=words,
        Role=Role,
    )


def _user_or_none(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id is not None else None


@bp.route("/secretariat/elections/<int:election_id>/panel/seat", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def panel_seat(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = SeatForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return _to_panel(election)
    member = _user_or_none(form.member.data)
    if member is None:
        flash(_("Choose the person to seat."), "error")
        return _to_panel(election)
    run(
        panels.seat_member,
        actor(),
        election,
        member,
        success=_("%(name)s now sits on the panel.", name=member.full_name),
    )
    return _to_panel(election)


@bp.route("/secretariat/elections/<int:election_id>/panel/unseat", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def panel_unseat(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = MemberForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return _to_panel(election)
    member = _user_or_none(form.member.data)
    if member is None:
        flash(_("This person does not sit on this panel."), "error")
        return _to_panel(election)
    outcome = run(panels.unseat_member, actor(), election, member)
    if outcome:
        flash(
            ngettext(
                "%(name)s no longer sits on the panel; %(num)s undeclared assignment was removed.",
                "%(name)s no longer sits on the panel; %(num)s undeclared assignments were "
                "removed.",
                outcome.value or 0,
                name=member.full_name,
            ),
            "success",
        )
    return _to_panel(election)


# -- Assignments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    member: User
    assignment: Assignment | None
    detected: tuple[ConflictKind, ...]
    open: bool

    @property
    def removable(self) -> bool:
        a = self.assignment
        return (
            a is not None
            and a.declared_at is None
            and a.conflict_status is ConflictStatus.UNDECLARED
        )


@dataclass(frozen=True)
class Row:
    candidacy: Candidacy
    why_closed: str | None
    cells: list[Cell]

    @property
    def reviewers(self) -> int:
        return sum(
            1
            for c in self.cells
            if c.assignment is not None
            and c.assignment.conflict_status is not ConflictStatus.RECUSED
        )


@bp.route("/secretariat/elections/<int:election_id>/assignments")
@requires(Permission.ELECTION_MANAGE)
def assignments(election_id: int) -> object:
    election = _election_or_404(election_id)
    members = panels.seated_members(db.session, election)
    candidacies = listing.candidacies_of(db.session, election)
    existing = {
        (a.candidacy_id, a.reviewer_id): a
        for a in db.session.scalars(
            sa.select(Assignment)
            .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
            .where(Candidacy.election_id == election.id)
        )
    }
    detected = panels.detected_pairs(db.session, members, candidacies)
    rows = []
    for candidacy in candidacies:
        why = panels.open_for_assignment(candidacy)
        rows.append(
            Row(
                candidacy=candidacy,
                why_closed=why,
                cells=[
                    Cell(
                        member=m,
                        assignment=existing.get((candidacy.id, m.id)),
                        detected=detected.get((m.id, candidacy.id), ()),
                        open=why is None,
                    )
                    for m in members
                ],
            )
        )
    loads = {m.id: 0 for m in members}
    for (_c, reviewer), a in existing.items():
        if reviewer in loads and a.conflict_status is not ConflictStatus.RECUSED:
            loads[reviewer] += 1
    open_count = sum(1 for r in rows if r.why_closed is None)
    auto_form = AutoAssignForm(formdata=None)
    if members and open_count:
        # The even share of three reviewers per candidacy, as a starting cap.
        auto_form.cap.data = max(1, -(-open_count * 3 // len(members)))
    return render_template(
        "secretariat/panel_assignments.html",
        election=election,
        members=members,
        rows=rows,
        loads=loads,
        open_count=open_count,
        auto_form=auto_form,
        words=words,
        Role=Role,
        ConflictStatus=ConflictStatus,
    )


@bp.route("/secretariat/elections/<int:election_id>/assignments/new", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def assignment_new(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = AssignForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return _to_assignments(election)
    candidacy = db.session.scalar(
        sa.select(Candidacy).where(
            Candidacy.public_id == form.candidacy.data, Candidacy.election_id == election.id
        )
    )
    member = _user_or_none(form.member.data)
    if candidacy is None or member is None:
        flash(_("Choose a candidacy of this election and a member of its panel."), "error")
        return _to_assignments(election)
    outcome = run(panels.assign, actor(), candidacy, member)
    if outcome:
        message = _(
            "%(member)s is assigned to %(candidate)s.",
            member=member.full_name,
            candidate=candidacy.full_name,
        )
        detected = panels.detected_pairs(db.session, [member], [candidacy])
        if detected:
            message += " " + _(
                "A conflict is detected (%(kinds)s): the member's declaration will send it to "
                "a decision.",
                kinds=", ".join(str(words(k)) for k in detected[(member.id, candidacy.id)]),
            )
        flash(message, "success")
    return _to_assignments(election)


@bp.route("/secretariat/elections/<int:election_id>/assignments/remove", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def assignment_remove(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = UnassignForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return _to_assignments(election)
    row = db.session.execute(
        sa.select(Assignment, Candidacy, User)
        .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
        .join(User, User.id == Assignment.reviewer_id)
        .where(Assignment.id == form.assignment.data, Candidacy.election_id == election.id)
    ).first()
    if row is None:
        flash(_("This assignment does not exist in this election."), "error")
        return _to_assignments(election)
    assignment, candidacy, member = row
    run(
        panels.unassign,
        actor(),
        assignment,
        success=_(
            "%(member)s is no longer assigned to %(candidate)s.",
            member=member.full_name,
            candidate=candidacy.full_name,
        ),
    )
    return _to_assignments(election)


def _shortfall_text(s: panels.Shortfall) -> str:
    if s.reason is ShortReason.TOO_FEW_MEMBERS:
        why = ngettext(
            "only %(num)s seated member may review it (the others have a detected conflict "
            "or are recused)",
            "only %(num)s seated members may review it (the others have a detected conflict "
            "or are recused)",
            s.available,
        )
    else:
        why = _("the other members without a conflict have reached the cap")
    return _(
        "%(candidate)s has %(got)s reviewer(s) of the %(wanted)s wanted: %(why)s.",
        candidate=s.candidacy.full_name,
        got=s.got,
        wanted=s.wanted,
        why=why,
    )


@bp.route("/secretariat/elections/<int:election_id>/assignments/automatic", methods=["POST"])
@requires(Permission.ELECTION_MANAGE)
def assignment_automatic(election_id: int) -> object:
    election = _election_or_404(election_id)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return _to_assignments(election)
    mode = panels.AutoMode(form.mode.data)
    result = run(
        panels.assign_automatically,
        actor(),
        election,
        mode=mode,
        reviewers_per_candidacy=form.reviewers.data,
        cap=form.cap.data,
    ).value
    if result is None:
        return _to_assignments(election)
    flash(
        ngettext(
            "%(num)s assignment made over %(open)s candidacies open for assignment.",
            "%(num)s assignments made over %(open)s candidacies open for assignment.",
            len(result.created),
            open=result.considered,
        ),
        "success",
    )
    if result.conflicted:
        flash(
            ngettext(
                "%(num)s member x candidacy pair was left out for a detected conflict.",
                "%(num)s member x candidacy pairs were left out for a detected conflict.",
                len(result.conflicted),
            ),
            "info",
        )
    for shortfall in result.shortfalls:
        flash(_shortfall_text(shortfall), "error")
    return _to_assignments(election)
