"""The panel of an election and who reviews which candidacy: the secretariat seats and unseats
panel members, assigns them by hand or automatically, and removes an assignment nobody has
started on.

Rules (issue 5, "Panel and assignments"):

- Only users whose role is panel chair or panel member, with an active account, sit on a
  panel; the chair is whoever holds the chair's role.
- A member who has declared (or scored) on a candidacy of the election stays seated: the
  record of their work must keep its author. Unseating removes their undeclared assignments,
  each audited.
- New assignments go to candidacies whose review has not moved past paper scoring
  (``OPEN_STAGES``); a withdrawn candidacy gets none.
- Automatic assignment never assigns a member with a detected conflict
  (``conflicts.detect_conflicts``) and never makes a pair twice. By hand, the secretariat may
  assign such a member (the page shows the conflict): the member's declaration then sends it
  to a decision.
- Every assignment made writes ``ASSIGNMENT_CREATE`` and tells the reviewer
  (``REVIEWER_ASSIGNED``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import assignment as planning
from vetting.domain.conflicts import kinds_of
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, ConflictStatus
from vetting.models import Assignment, Candidacy, Election, PanelMembership, Score, User
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.conflicts import detections_for
from vetting.operations.errors import Refused

# A candidacy takes new reviewers until its paper scoring is over.
OPEN_STAGES = frozenset({Stage.NOMINATED, Stage.QUESTIONNAIRE, Stage.PAPER_SCORING})

# The automatic mode's bounds, so that a typing slip cannot ask for absurd numbers.
MAX_REVIEWERS_PER_CANDIDACY = 50
MAX_CAP = 500


class AutoMode(enum.Enum):
    # Every member without a detected conflict on every candidacy (the default).
    EVERYONE = "everyone"
    # N reviewers per candidacy, at most `cap` assignments per member, the load spread evenly.
    BALANCED = "balanced"


@dataclass(frozen=True)
class Shortfall:
    """A candidacy that could not get the reviewers wanted, and why (domain.assignment)."""

    candidacy: Candidacy
    wanted: int
    got: int
    available: int
    excluded: int
    reason: planning.ShortReason


@dataclass(frozen=True)
class AutoResult:
    mode: AutoMode
    created: tuple[Assignment, ...]
    # Candidacies considered (open for assignment) and those left aside (withdrawn, or past
    # paper scoring).
    considered: int
    skipped: int
    # Pairs left out for a detected conflict: (member, candidacy, kinds).
    conflicted: tuple[tuple[User, Candidacy, tuple[ConflictKind, ...]], ...]
    shortfalls: tuple[Shortfall, ...] = ()


# -- Reads --------------------------------------------------------------------------------------


def seated_members(session: Session, election: Election) -> list[User]:
    """The election's panel: chairs first, then by name (one statement)."""
    return list(
        session.scalars(
            sa.select(User)
            .join(PanelMembership, PanelMembership.member_id == User.id)
            .where(PanelMembership.election_id == election.id)
            .order_by(sa.case((User.role == Role.PANEL_CHAIR, 0), else_=1), User.full_name)
        )
    )


def seatable_users(session: Session, election: Election) -> list[User]:
    """Active panel chairs and members not yet on the election's panel, by name."""
    seated = sa.select(PanelMembership.member_id).where(PanelMembership.election_id == election.id)
    return list(
        session.scalars(
            sa.select(User)
            .where(
                User.role.in_([Role.PANEL_CHAIR, Role.PANEL_MEMBER]),
                User.active,
                User.id.not_in(seated),
            )
            .order_by(User.full_name, User.id)
        )
    )


def detected_pairs(
    session: Session, members: Iterable[User], candidacies: Iterable[Candidacy]
) -> dict[tuple[int, int], tuple[ConflictKind, ...]]:
    """The detected conflicts (conflicts.detect_conflicts, in its bulk form: one statement
    for all the members' ties) of every member on every candidacy, keyed by (member id,
    candidacy id); pairs without a conflict are left out."""
    candidacies = list(candidacies)
    found = detections_for(session, [(m, c) for m in members for c in candidacies])
    return {key: kinds_of(d) for key, d in found.items() if d}


# -- Checks ---------------------------------------------------------------------------------------


def _secretariat_only(actor: User) -> None:
    if actor.role is not Role.SECRETARIAT:
        raise Refused("Only the secretariat composes panels and assigns reviewers.")


def _membership(session: Session, election_id: int, member_id: int) -> PanelMembership | None:
    return session.scalar(
        sa.select(PanelMembership).where(
            PanelMembership.election_id == election_id, PanelMembership.member_id == member_id
        )
    )


def open_for_assignment(candidacy: Candidacy) -> str | None:
    """Why the candidacy takes no new reviewer, or None when it does."""
    if candidacy.stage is Stage.WITHDRAWN:
        return f"The candidacy of {candidacy.full_name} is withdrawn: it takes no new reviewer."
    if candidacy.stage not in OPEN_STAGES:
        return (
            f"The paper scoring of {candidacy.full_name} is over: reviewers are assigned "
            "before it ends."
        )
    return None


def _create(session: Session, actor: User | None, candidacy: Candidacy, member: User) -> Assignment:
    detected = detected_pairs(session, [member], [candidacy]).get((member.id, candidacy.id), ())
    assignment = Assignment(candidacy_id=candidacy.id, reviewer_id=member.id)
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.ASSIGNMENT_CREATE,
        assignment,
        {
            "candidacy_id": candidacy.id,
            "reviewer_id": member.id,
            "detected": [k.value for k in detected],
        },
    )
    queue_notice(
        session, NoticeKind.REVIEWER_ASSIGNED, to=member, context={"name": member.full_name}
    )
    return assignment


# -- Seating ------------------------------------------------------------------------------------


def seat_member(session: Session, actor: User, election: Election, member: User) -> PanelMembership:
    _secretariat_only(actor)
    if not member.role.is_panel:
        raise Refused(
            f"{member.full_name} is not a panel chair or panel member: only they sit on a panel."
        )
    if not member.active:
        raise Refused(f"The account of {member.full_name} is disabled.")
    if _membership(session, election.id, member.id) is not None:
        raise Refused(f"{member.full_name} already sits on this panel.")
    membership = PanelMembership(election_id=election.id, member_id=member.id)
    session.add(membership)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.PANEL_SEAT,
        membership,
        {"election_id": election.id, "member_id": member.id, "role": member.role.value},
    )
    return membership


def unseat_member(session: Session, actor: User, election: Election, member: User) -> int:
    """Take the member off the panel and remove their undeclared assignments in the election;
    return how many were removed. Refused once they have declared or scored on any of its
    candidacies."""
    _secretariat_only(actor)
    membership = _membership(session, election.id, member.id)
    if membership is None:
        raise Refused(f"{member.full_name} does not sit on this panel.")
    rows = session.execute(
        sa.select(Assignment, Candidacy.full_name)
        .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
        .where(Candidacy.election_id == election.id, Assignment.reviewer_id == member.id)
        .order_by(Candidacy.full_name, Assignment.id)
    ).all()
    ids = [a.id for a, _ in rows]
    scored = (
        set(session.scalars(sa.select(Score.assignment_id).where(Score.assignment_id.in_(ids))))
        if ids
        else set()
    )
    started = [
        name
        for a, name in rows
        if a.declared_at is not None
        or a.conflict_status is not ConflictStatus.UNDECLARED
        or a.id in scored
    ]
    if started:
        raise Refused(
            f"{member.full_name} has already declared on {len(started)} candidacy(ies) of this "
            f"election ({', '.join(started)}): a member who has started the work stays on the "
            "panel."
        )
    for assignment, _name in rows:
        _remove(session, actor, assignment, reason="unseated")
    audit.record(
        session,
        actor,
        AuditAction.PANEL_UNSEAT,
        membership,
        {"election_id": election.id, "member_id": member.id, "removed": len(rows)},
    )
    session.delete(membership)
    session.flush()
    return len(rows)


# -- Assignments by hand --------------------------------------------------------------------------


def assign(session: Session, actor: User, candidacy: Candidacy, member: User) -> Assignment:
    """Assign one seated member to one candidacy. A detected conflict does not stop it: the
    page shows it, and the member's declaration sends it to a decision."""
    _secretariat_only(actor)
    if (why := open_for_assignment(candidacy)) is not None:
        raise Refused(why)
    if _membership(session, candidacy.election_id, member.id) is None:
        raise Refused(f"{member.full_name} does not sit on this election's panel.")
    existing = session.scalar(
        sa.select(Assignment.id).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == member.id
        )
    )
    if existing is not None:
        raise Refused(f"{member.full_name} is already assigned to {candidacy.full_name}.")
    return _create(session, actor, candidacy, member)


def _remove(session: Session, actor: User, assignment: Assignment, *, reason: str) -> None:
    audit.record(
        session,
        actor,
        AuditAction.ASSIGNMENT_REMOVE,
        assignment,
        {
            "candidacy_id": assignment.candidacy_id,
            "reviewer_id": assignment.reviewer_id,
            "reason": reason,
        },
    )
    session.delete(assignment)


def unassign(session: Session, actor: User, assignment: Assignment) -> None:
    """Remove an assignment on which the reviewer has not declared yet."""
    _secretariat_only(actor)
    if assignment.declared_at is not None or (
        assignment.conflict_status is not ConflictStatus.UNDECLARED
    ):
        raise Refused(
            "The reviewer has already declared on this candidacy: the assignment stays, "
            "with its record."
        )
    _remove(session, actor, assignment, reason="removed")
    session.flush()


# -- Automatic assignment -----------------------------------------------------------------------


def default_assignments(
    session: Session, actor: User | None, candidacy: Candidacy
) -> list[Assignment]:
    """At nomination: every seated member of the election without a detected conflict. An
    election without a seated panel gets none (the secretariat assigns later)."""
    if open_for_assignment(candidacy) is not None:
        return []
    election = session.get(Election, candidacy.election_id)
    assert election is not None
    members = sorted(seated_members(session, election), key=lambda u: u.id)
    detected = detected_pairs(session, members, [candidacy])
    return [
        _create(session, actor, candidacy, member)
        for member in members
        if (member.id, candidacy.id) not in detected
    ]


def assign_automatically(
    session: Session,
    actor: User,
    election: Election,
    *,
    mode: AutoMode = AutoMode.EVERYONE,
    reviewers_per_candidacy: int | None = None,
    cap: int | None = None,
) -> AutoResult:
    """Assign the seated members to the election's open candidacies, in one of two modes
    (AutoMode). Never a member with a detected conflict; never a pair twice."""
    _secretariat_only(actor)
    if mode is AutoMode.BALANCED:
        if reviewers_per_candidacy is None or not (
            1 <= reviewers_per_candidacy <= MAX_REVIEWERS_PER_CANDIDACY
        ):
            raise Refused(
                "Give the number of reviewers per candidacy, between 1 and "
                f"{MAX_REVIEWERS_PER_CANDIDACY}."
            )
        if cap is None or not (1 <= cap <= MAX_CAP):
            raise Refused(f"Give the most assignments a member may carry, between 1 and {MAX_CAP}.")
    members = sorted(seated_members(session, election), key=lambda u: u.id)
    if not members:
        raise Refused("Nobody sits on this election's panel yet: seat its members first.")
    candidacies = list(
        session.scalars(
            sa.select(Candidacy).where(Candidacy.election_id == election.id).order_by(Candidacy.id)
        )
    )
    open_ones = [c for c in candidacies if open_for_assignment(c) is None]
    if not open_ones:
        raise Refused(
            "No candidacy of this election takes new reviewers (each is withdrawn or past "
            "paper scoring)."
        )
    rows = session.execute(
        sa.select(Assignment.candidacy_id, Assignment.reviewer_id, Assignment.conflict_status)
        .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
        .where(Candidacy.election_id == election.id)
    ).all()
    existing = {(c, m) for c, m, status in rows if status is not ConflictStatus.RECUSED}
    recused = {(c, m) for c, m, status in rows if status is ConflictStatus.RECUSED}
    detected = detected_pairs(session, members, open_ones)
    conflicted = {(c, m) for (m, c) in detected}
    by_id = {c.id: c for c in candidacies}
    people = {m.id: m for m in members}
    candidacy_ids = [c.id for c in open_ones]
    member_ids = [m.id for m in members]
    shortfalls: tuple[Shortfall, ...] = ()
    if mode is AutoMode.EVERYONE:
        chosen: Sequence[planning.Pair] = planning.plan_everyone(
            candidacy_ids, member_ids, existing=existing | recused, excluded=conflicted
        )
    else:
        assert reviewers_per_candidacy is not None and cap is not None
        plan = planning.plan_balanced(
            candidacy_ids,
            member_ids,
            per_candidacy=reviewers_per_candidacy,
            cap=cap,
            existing=existing,
            excluded=conflicted | recused,
        )
        chosen = plan.chosen
        shortfalls = tuple(
            Shortfall(
                candidacy=by_id[s.candidacy],
                wanted=s.wanted,
                got=s.got,
                available=s.available,
                excluded=s.excluded,
                reason=s.reason,
            )
            for s in plan.shortfalls
        )
    created = tuple(_create(session, actor, by_id[c], people[m]) for c, m in chosen)
    left_out = tuple(
        (people[m], by_id[c], detected[(m, c)])
        for c in candidacy_ids
        for m in member_ids
        if (m, c) in detected and (c, m) not in existing
    )
    return AutoResult(
        mode=mode,
        created=created,
        considered=len(open_ones),
        skipped=len(candidacies) - len(open_ones),
        conflicted=left_out,
        shortfalls=shortfalls,
    )
