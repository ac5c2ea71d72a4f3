"""Conflicts of interest: a member's declaration, and the decision on it by someone else."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import conflicts
from vetting.domain.conflicts import Detection, Tie
from vetting.domain.events import AuditAction
from vetting.domain.policy import Relation, can_declare_conflict
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
)
from vetting.models import Assignment, Candidacy, MemberTie, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused


def relation_of(actor: User, candidacy: Candidacy, assignment: Assignment | None) -> Relation:
    return Relation(
        role=actor.role,
        is_own_candidacy=actor.id == candidacy.candidate_user_id,
        is_nominating_state=actor.role is Role.FOCAL_POINT
        and actor.state_code == candidacy.nominating_state_code,
        assignment=assignment.conflict_status if assignment is not None else None,
        locked=bool(assignment and assignment.locked_at),
    )


def own_assignment(actor: User, assignment: Assignment) -> None:
    if assignment.reviewer_id != actor.id:
        raise Refused("This assignment belongs to another reviewer.")


def today() -> date:
    """The reference date of detection when the caller gives none: today, in UTC."""
    return datetime.now(UTC).date()


def as_tie(row: MemberTie) -> Tie:
    return Tie(
        id=row.id,
        kind=row.kind,
        state_code=row.state_code,
        person_name=row.person_name,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        description=row.description,
    )


def ties_of(session: Session, member_ids: Iterable[int]) -> dict[int, list[Tie]]:
    """Every tie of these members, oldest first, in one statement (run even for no member,
    so that a page's statement count does not depend on its rows)."""
    ids = sorted(set(member_ids))
    found: dict[int, list[Tie]] = defaultdict(list)
    rows = session.scalars(
        sa.select(MemberTie)
        .where(MemberTie.member_id.in_(ids))
        .order_by(MemberTie.starts_on, MemberTie.id)
    )
    for row in rows:
        found[row.member_id].append(as_tie(row))
    return found


def detect_with(
    member: User, ties: Iterable[Tie], candidacy: Candidacy, on: date
) -> tuple[Detection, ...]:
    """Detection for ties already loaded (ties_of): no statement."""
    return conflicts.detect_all(
        member.state_code,
        ties,
        candidate_name=candidacy.full_name,
        candidate_nationality=candidacy.nationality_code,
        nominating_state=candidacy.nominating_state_code,
        on=on,
    )


def detections(
    session: Session, member: User, candidacy: Candidacy, *, on: date | None = None
) -> tuple[Detection, ...]:
    """detect_conflicts, with the declared tie behind each detection (one statement)."""
    ties = ties_of(session, [member.id])[member.id]
    return detect_with(member, ties, candidacy, on or today())


def detections_for(
    session: Session, pairs: Iterable[tuple[User, Candidacy]], *, on: date | None = None
) -> dict[tuple[int, int], tuple[Detection, ...]]:
    """detections() for many (member, candidacy) pairs in one statement, keyed by
    (member id, candidacy id): for the pages that flag conflicts on a whole list."""
    pairs = list(pairs)
    ties = ties_of(session, [member.id for member, _ in pairs])
    when = on or today()
    return {
        (member.id, candidacy.id): detect_with(member, ties.get(member.id, []), candidacy, when)
        for member, candidacy in pairs
    }


def detect_conflicts(
    session: Session, member: User, candidacy: Candidacy, *, on: date | None = None
) -> tuple[ConflictKind, ...]:
    """Every conflict the system finds from the facts on record between one panel member and
    one candidacy, whatever the member declares: nationality and nominating State, and the
    member's declared ties within their time windows (vetting.domain.conflicts), as of `on`
    (default today). Assignment, declaration and the pages that flag conflicts all ask here,
    so they agree. One statement (the member's ties) per call; detections_for is the bulk
    form."""
    return conflicts.kinds_of(detections(session, member, candidacy, on=on))


def declare_conflict(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    assignment: Assignment,
    *,
    has_conflict: bool,
    details: str,
    kind: ConflictKind | None = None,
) -> None:
    """Record the member's declaration. A conflict the system detects from the facts on record
    (same nationality, nominating State) goes to a decision even if the member declares none."""
    own_assignment(actor, assignment)
    if not can_declare_conflict(relation_of(actor, candidacy, assignment)):
        raise Refused("You have already declared for this candidacy.")
    if has_conflict and not details.strip():
        raise Refused("Describe the conflict so that it can be decided on.")
    if has_conflict and kind is None:
        raise Refused("Choose the kind of conflict.")
    detected = detect_conflicts(session, actor, candidacy)
    needs_decision = has_conflict or bool(detected)
    assignment.conflict_status = ConflictStatus.DECLARED if needs_decision else ConflictStatus.NONE
    assignment.conflict_kind = kind if has_conflict else (detected[0] if detected else None)
    assignment.conflict_details = details.strip() or None
    assignment.detected_conflicts = ",".join(k.value for k in detected) or None
    assignment.declared_at = utcnow()
    audit.record(
        session,
        actor,
        AuditAction.CONFLICT_DECLARE,
        assignment,
        {
            "conflict": has_conflict,
            "kind": kind.value if kind else None,
            "detected": [k.value for k in detected],
        },
    )
    if needs_decision:
        for user in _deciders(session, candidacy, exclude=actor):
            queue_notice(session, NoticeKind.CONFLICT_DECLARED, to=user, context={})


def _statuses(session: Session, candidacy: Candidacy) -> list[tuple[User, Assignment]]:
    return [
        (user, assignment)
        for assignment, user in session.execute(
            sa.select(Assignment, User)
            .join(User, User.id == Assignment.reviewer_id)
            .where(Assignment.candidacy_id == candidacy.id)
        )
    ]


def _unconflicted_chair(rows: list[tuple[User, Assignment]]) -> bool:
    return any(
        u.role is Role.PANEL_CHAIR and a.conflict_status not in conflicts.CONFLICTED
        for u, a in rows
    )


def _deciders(session: Session, candidacy: Candidacy, *, exclude: User) -> list[User]:
    """Who is told that a decision is needed: the chairs without a conflict on the candidacy,
    or the whole panel on it when every chair has one (domain.md, 'Notices')."""
    everyone = _statuses(session, candidacy)
    others = [(u, a) for u, a in everyone if u.id != exclude.id]
    if _unconflicted_chair(everyone):
        return [
            u
            for u, a in others
            if u.role is Role.PANEL_CHAIR and a.conflict_status not in conflicts.CONFLICTED
        ]
    return [
        u for u, a in others if u.role.is_panel and a.conflict_status is not ConflictStatus.RECUSED
    ]


DECISIONS = (ConflictStatus.NONE, ConflictStatus.MANAGED, ConflictStatus.RECUSED)


def decide_conflict(
    session: Session,
    actor: User,
    assignment: Assignment,
    *,
    recuse: bool = False,
    reason: str,
    decision: ConflictStatus | None = None,
) -> None:
    """Decide a declared or detected conflict: no conflict (the member takes part as if none
    had been declared), manage (takes part, the conflict on record) or recuse (takes no part).
    `decision` names it; without it, `recuse` chooses between recuse and manage."""
    if decision is None:
        decision = ConflictStatus.RECUSED if recuse else ConflictStatus.MANAGED
    if decision not in DECISIONS:
        raise Refused("Decide no conflict, manage or recuse.")
    candidacy = session.get(Candidacy, assignment.candidacy_id)
    assert candidacy is not None
    rows = _statuses(session, candidacy)
    mine = next((a for u, a in rows if u.id == actor.id), None)
    allowed = conflicts.may_decide(
        decider_is_chair=actor.role is Role.PANEL_CHAIR,
        decider_is_panel=actor.role.is_panel,
        decider_is_concerned=assignment.reviewer_id == actor.id,
        decider_status=mine.conflict_status if mine is not None else None,
        unconflicted_chair=_unconflicted_chair(rows),
    )
    if assignment.reviewer_id == actor.id:
        raise Refused("Nobody decides on their own conflict.")
    if not allowed:
        raise Refused(
            "The chair decides on conflicts; when every chair has a conflict on this "
            "candidacy, a panel member who has none decides."
        )
    if assignment.conflict_status is not ConflictStatus.DECLARED:
        raise Refused("There is no declared conflict awaiting a decision.")
    if not reason.strip():
        raise Refused("Give the reasons for the decision.")
    assignment.conflict_status = decision
    audit.record(
        session,
        actor,
        AuditAction.CONFLICT_DECIDE,
        assignment,
        {"decision": assignment.conflict_status.value, "reason": reason.strip()},
    )


# A new tie reopens the decision on these: the member declared no conflict (or a decider found
# none), or a decider let them take part with a conflict on record; either way the decision
# was taken without the new fact.
REOPENED_BY_TIE = (ConflictStatus.NONE, ConflictStatus.MANAGED)


def reopen_for_tie(session: Session, actor: User, tie: Tie, *, on: date) -> list[int]:
    """After `actor` records `tie`: every assignment of theirs on which the tie is detected as
    a conflict goes (back) to a decision. A cleared or managed one becomes DECLARED; one
    already awaiting a decision stays so. Each gets the detected kinds stored, an audit entry
    naming the tie, and its deciders the CONFLICT_DECLARED notice. Scores, locked or not,
    stay: the decider decides what becomes of them. Closed and withdrawn candidacies are left
    alone. Returns the ids of the assignments concerned."""
    rows = session.execute(
        sa.select(Assignment, Candidacy)
        .join(Candidacy, Candidacy.id == Assignment.candidacy_id)
        .where(
            Assignment.reviewer_id == actor.id,
            Assignment.conflict_status.in_([*REOPENED_BY_TIE, ConflictStatus.DECLARED]),
            Candidacy.stage.not_in([Stage.CLOSED, Stage.WITHDRAWN]),
        )
        .order_by(Assignment.id)
    ).all()
    hit = [
        (assignment, candidacy)
        for assignment, candidacy in rows
        if conflicts.detect_ties(
            [tie],
            candidate_name=candidacy.full_name,
            candidate_nationality=candidacy.nationality_code,
            nominating_state=candidacy.nominating_state_code,
            on=on,
        )
    ]
    if not hit:
        return []
    all_ties = ties_of(session, [actor.id])[actor.id]
    for assignment, candidacy in hit:
        kinds = conflicts.kinds_of(detect_with(actor, all_ties, candidacy, on))
        previous = assignment.conflict_status
        assignment.conflict_status = ConflictStatus.DECLARED
        assignment.detected_conflicts = ",".join(k.value for k in kinds) or None
        if assignment.conflict_kind is None:
            assignment.conflict_kind = kinds[0]
        audit.record(
            session,
            actor,
            AuditAction.CONFLICT_REOPEN,
            assignment,
            {
                "tie": tie.id,
                "previous": previous.value,
                "detected": [k.value for k in kinds],
                "locked": assignment.locked_at is not None,
            },
        )
        for user in _deciders(session, candidacy, exclude=actor):
            queue_notice(session, NoticeKind.CONFLICT_DECLARED, to=user, context={})
    return [assignment.id for assignment, _ in hit]
