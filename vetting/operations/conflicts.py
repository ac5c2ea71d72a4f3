"""Conflicts of interest: a member's declaration, and the decision on it by someone else."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import conflicts
from vetting.domain.events import AuditAction
from vetting.domain.policy import Relation, can_declare_conflict
from vetting.domain.roles import Role
from vetting.domain.vocabulary import (
    ConflictKind,
    ConflictStatus,
)
from vetting.models import Assignment, Candidacy, User
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


def detect_conflicts(
    session: Session, member: User, candidacy: Candidacy
) -> tuple[ConflictKind, ...]:
    """Every conflict the system finds from the facts on record between one panel member and
    one candidacy, whatever the member declares. Assignment, declaration and the pages that
    flag conflicts all ask here, so they agree."""
    return conflicts.detect(
        member.state_code, candidacy.nationality_code, candidacy.nominating_state_code
    )


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


def decide_conflict(
    session: Session, actor: User, assignment: Assignment, *, recuse: bool, reason: str
) -> None:
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
    assignment.conflict_status = ConflictStatus.RECUSED if recuse else ConflictStatus.MANAGED
    audit.record(
        session,
        actor,
        AuditAction.CONFLICT_DECIDE,
        assignment,
        {"decision": assignment.conflict_status.value, "reason": reason.strip()},
    )
