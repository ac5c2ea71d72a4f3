"""Giving people accounts: administrators invite staff and State focal points. Candidates get
theirs from the nomination (operations.nominations), never from here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from vetting.domain.roles import Role
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
    elif data.role is Role.FOCAL_POINT:
        raise Refused("A focal point needs the State they represent.")
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
    issue_invitation(session, actor, user, base_url=base_url, hours=hours)
    return user
