"""Giving people accounts: administrators invite staff and State focal points. Candidates get
theirs from the nomination (operations.nominations), never from here."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.vocabulary import Gender
from vetting.models import State, User
from vetting.operations.accounts import create_user, issue_invitation
from vetting.operations.errors import Refused

INVITABLE_ROLES = tuple(role for role in Role if role is not Role.CANDIDATE)


@dataclass(frozen=True)
class NewUserData:
    email: str
    full_name: str
    role: Role
    state_code: str | None = None
    language: str = "en"
    # Recorded for panel chairs and members only, for the panel's balance.
    gender: Gender | None = None


def invite_user(
    session: Session, actor: User, data: NewUserData, *, base_url: str, hours: int
) -> User:
    """Create the account without a password and mail the link that lets the person set it."""
    if data.role not in INVITABLE_ROLES:
        raise Refused("Candidates receive their account when their nomination is registered.")
    if not data.full_name.strip():
        raise Refused("Give the person's name.")
    state_code = data.state_code or None
    if state_code is not None:
        state = session.get(State, state_code)
        if state is None:
            raise Refused("Choose a State from the list.")
        if data.role is Role.FOCAL_POINT and not state.is_party:
            raise Refused("A focal point represents a State Party to the Rome Statute.")
        if data.role is Role.FOCAL_POINT:
            # One focal point account per State (issue 3): it speaks for its State.
            existing = session.scalar(
                sa.select(User.full_name).where(
                    User.role == Role.FOCAL_POINT, User.state_code == state.code, User.active
                )
            )
            if existing is not None:
                raise Refused(
                    f"{state.name_en} already has a focal point account ({existing}): "
                    "a State has one."
                )
    elif data.role is Role.FOCAL_POINT:
        raise Refused("A focal point needs the State they represent.")
    if data.gender is not None and not data.role.is_panel:
        raise Refused(GENDER_PANEL_ONLY)
    user = create_user(
        session,
        actor,
        email=data.email,
        full_name=data.full_name,
        role=data.role,
        password=None,
        state_code=state_code,
        language=data.language,
    )
    if data.gender is not None:
        set_gender(session, actor, user, data.gender)
    issue_invitation(session, actor, user, base_url=base_url, hours=hours)
    return user


GENDER_PANEL_ONLY = (
    "A gender is recorded only for panel chairs and members (for the panel's balance)."
)


def set_gender(session: Session, actor: User | None, user: User, gender: Gender | None) -> None:
    """Record (or clear, with None) a panel chair's or member's gender; audited with the
    previous value. An administrator does it; the demo seeder and the CLI pass no actor."""
    if actor is not None and actor.role is not Role.ADMIN:
        raise Refused("Only an administrator records a person's gender.")
    if not user.role.is_panel:
        raise Refused(GENDER_PANEL_ONLY)
    if user.gender is gender:
        return
    before = user.gender
    user.gender = gender
    audit.record(
        session,
        actor,
        AuditAction.USER_GENDER_SET,
        user,
        {
            "from": before.value if before is not None else None,
            "to": gender.value if gender is not None else None,
        },
    )
