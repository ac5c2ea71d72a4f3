from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.models import Invitation, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.passwords import hash_password, needs_rehash, password_problem, verify_password


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session,
    actor: User | None,
    *,
    email: str,
    full_name: str,
    role: Role,
    password: str | None = None,
    state_code: str | None = None,
    language: str = "en",
) -> User:
    email = normalise_email(email)
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Refused(f"An account with the address {email} already exists.")
    if password is not None and (problem := password_problem(password)):
        raise Refused(problem)
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        state_code=state_code,
        language=language,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, AuditAction.USER_CREATE, user, {"role": role.value})
    return user


def issue_invitation(
    session: Session, actor: User | None, user: User, *, base_url: str, hours: int
) -> str:
    """Queue the invitation notice and return the link (the token itself is never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        Invitation(
            user_id=user.id,
            token_hash=_token_hash(token),
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    link = f"{base_url.rstrip('/')}/invitation/{token}"
    queue_notice(
        session,
        NoticeKind.INVITATION,
        to=user,
        context={"name": user.full_name, "link": link, "hours": hours},
    )
    return link


def find_invitation(session: Session, token: str) -> Invitation | None:
    invitation = session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def accept_invitation(session: Session, token: str, password: str) -> User:
    invitation = find_invitation(session, token)
    if invitation is None:
        raise Refused("This link is not valid: it was already used or has expired.")
    if problem := password_problem(password):
        raise Refused(problem)
    user = session.get(User, invitation.user_id)
    assert user is not None
    invitation.used_at = utcnow()
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    audit.record(session, user, AuditAction.INVITATION_ACCEPT, user)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Check a login. Success and failure are both audited; the failure names no account."""
    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        audit.record(
            session,
            user if user is not None else None,
            AuditAction.LOGIN_FAILURE,
            None,
            {},
        )
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record(session, user, AuditAction.LOGIN_SUCCESS, user)
    return user


def end_sessions(session: Session, user: User) -> None:
    """Logout kills every session of the user server-side (the epoch is in the cookie)."""
    user.session_epoch += 1
    audit.record(session, user, AuditAction.LOGOUT, user)


def set_password(session: Session, actor: User | None, user: User, password: str) -> None:
    """Set a password directly: the demo seeder and the CLI (actor None), an admin, or oneself.

    Outstanding invitations are closed, so an old link cannot overwrite the new password, and
    every existing session of the account ends.
    """
    if actor is not None and actor.role is not Role.ADMIN and actor.id != user.id:
        raise Refused("Only an administrator sets another person's password.")
    if problem := password_problem(password):
        raise Refused(problem)
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    now = utcnow()
    for invitation in session.scalars(
        sa.select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ):
        invitation.used_at = now
    audit.record(session, actor, AuditAction.PASSWORD_SET, user)
