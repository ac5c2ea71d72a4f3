"""Loading the logged-in user; the session epoch makes logout and disablement server-side.

Acting as another user. The session cookie always carries the administrator's own identity
(user id and session epoch), checked on every request as for anyone. While they act as another
user, the cookie also carries {"admin", "user", "reason"} under ACTING_SESSION_KEY, and the
loader returns *that user* as `current_user`: same role, permissions, recusals and 404s, since
every check downstream reads `current_user`. The administrator stays in `g.acting_admin`.
The target is re-checked on every request with the rules that allowed the start (not
oneself, not an administrator, not disabled): when they no longer hold, acting ends.

Acting is read-only twice over: the web layer refuses every unsafe request but "stop" and
sign-out (vetting/web/admin/act_as.py), and a flush that would write anything other than
audit entries while acting raises (fail closed). Audit entries written meanwhile in the
user's name are recorded under the administrator, with {"as": user id} (vetting.audit).
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, session
from flask_login import LoginManager, current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from vetting import audit
from vetting.extensions import db
from vetting.models import AuditEntry, AuditHead, User
from vetting.operations import acting

ACTING_SESSION_KEY = "acting_as"
# What a flush may write while an administrator acts as someone: the audit log, nothing else.
WRITABLE_WHILE_ACTING = (AuditEntry, AuditHead)


class WriteWhileActing(RuntimeError):
    """A change reached the database while an administrator was acting as another user."""


def _signed_in(user_key: str) -> User | None:
    try:
        user_id, epoch = (int(part) for part in user_key.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user


def _acting_target(admin: User, state: Any) -> User | None:
    if not isinstance(state, dict) or state.get("admin") != admin.id:
        return None
    user_id = state.get("user")
    target = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if acting.refusal(admin, target) is not None:
        return None
    return target


def load_user(user_key: str) -> User | None:
    user = _signed_in(user_key)
    if user is None:
        return None
    state = session.get(ACTING_SESSION_KEY)
    if state is None:
        return user
    target = _acting_target(user, state)
    if target is None:
        # The user was disabled or became an administrator meanwhile (or the state is not
        # this administrator's): acting ends here; vetting/web/admin/act_as.py records it.
        session.pop(ACTING_SESSION_KEY, None)
        g.acting_dropped = (user, state)
        return user
    g.acting_admin = user
    return target


def acting_admin() -> User | None:
    """The administrator behind `current_user` when they act as that user, else None."""
    if not has_request_context():
        return None  # templates rendered outside a request (notices from the CLI or a job)
    if ACTING_SESSION_KEY not in session and "acting_admin" not in g:
        return None
    _ = current_user.is_authenticated  # loads the user, which sets g.acting_admin
    admin: User | None = g.get("acting_admin")
    return admin


def real_user() -> User:
    """The person signed in: the administrator while they act as someone, else current_user."""
    admin = acting_admin()
    if admin is not None:
        return admin
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def acting_reason() -> str:
    state = session.get(ACTING_SESSION_KEY)
    return str(state.get("reason", "")) if isinstance(state, dict) else ""


def begin_acting(admin: User, target: User, reason: str) -> None:
    """From the next request on, `admin` sees the application as `target`."""
    session[ACTING_SESSION_KEY] = {"admin": admin.id, "user": target.id, "reason": reason}


def end_acting() -> None:
    """Forget the acting state; the request goes on with the database session writable."""
    session.pop(ACTING_SESSION_KEY, None)
    db.session.info.pop(audit.ACTING_KEY, None)


def _refuse_writes_while_acting(sess: Session, _context: Any, _instances: Any) -> None:
    if not sess.info.get(audit.ACTING_KEY):
        return
    changed = [
        obj
        for obj in (*sess.new, *sess.deleted, *(o for o in sess.dirty if sess.is_modified(o)))
        if not isinstance(obj, WRITABLE_WHILE_ACTING)
    ]
    if changed:
        names = sorted({type(obj).__name__ for obj in changed})
        raise WriteWhileActing(f"read-only while acting as another user; refused: {names}")


def install(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    if not event.contains(Session, "before_flush", _refuse_writes_while_acting):
        event.listen(Session, "before_flush", _refuse_writes_while_acting)
