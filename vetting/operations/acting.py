"""An administrator acting as another user: seeing the application exactly as that user sees it,
to support them, and read-only (the web layer refuses every change while acting).

Starting and stopping are audited under the administrator, naming the user and the reason.
While acting, the reads the pages audit are recorded under the administrator too, with
{"as": user id} (`vetting.audit.ACTING_KEY`), so the log names who actually read what.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Permission, Role, has_permission
from vetting.models import User
from vetting.operations.errors import Refused

REASON_MAX = 500


def refusal(admin: User, target: User | None, *, acting_as: User | None = None) -> str | None:
    """Why `admin` may not start acting as `target`, or None when they may."""
    if not admin.active or not has_permission(admin.role, Permission.USER_ACT_AS):
        return "Only an administrator may act as another user."
    if acting_as is not None:
        return f"You are already acting as {acting_as.full_name}: stop first."
    if target is None:
        return "There is no such user."
    if target.id == admin.id:
        return "You cannot act as yourself."
    if target.role is Role.ADMIN:
        return "You cannot act as another administrator."
    if target.role is Role.VETTING_OFFICER:
        # Restricted material (raw reports, reporters' identities) is for vetting officers
        # alone (domain.md, 'Confidentiality levels'): no administrator reads it, even
        # read-only.
        return "Nobody acts as a vetting officer: restricted material is theirs alone."
    if not target.active:
        return "You cannot act as a disabled account."
    return None


def eligible_users(session: Session, admin: User) -> list[User]:
    """Whom `admin` may act as: every active user but administrators, vetting officers and
    themself."""
    return list(
        session.scalars(
            sa.select(User)
            .where(
                User.active,
                User.role.not_in([Role.ADMIN, Role.VETTING_OFFICER]),
                User.id != admin.id,
            )
            .order_by(User.full_name, User.id)
        )
    )


def start_acting(
    session: Session,
    admin: User,
    target: User | None,
    reason: str,
    *,
    acting_as: User | None = None,
) -> User:
    """Check that the administrator may act as the target, and record why; return the target.

    `acting_as` is whom the administrator already acts as, if anyone: acting is never nested.
    """
    problem = refusal(admin, target, acting_as=acting_as)
    if problem is not None:
        raise Refused(problem)
    assert target is not None
    reason = reason.strip()
    if not reason:
        raise Refused("Give the reason for acting as this user (for example, the support request).")
    if len(reason) > REASON_MAX:
        raise Refused(f"Keep the reason under {REASON_MAX} characters.")
    audit.record(
        session,
        admin,
        AuditAction.ACT_AS_START,
        target,
        {"user": target.id, "role": target.role.value, "reason": reason},
    )
    return target


def stop_acting(
    session: Session, admin: User, target: User, reason: str, *, ended_by: str = "stop"
) -> None:
    """Record the end of acting: `ended_by` says how ("stop", "logout", or "ineligible" when
    the user was disabled or made an administrator meanwhile)."""
    audit.record(
        session,
        admin,
        AuditAction.ACT_AS_STOP,
        target,
        {"user": target.id, "reason": reason, "ended_by": ended_by},
    )
