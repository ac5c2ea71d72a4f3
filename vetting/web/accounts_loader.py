"""Loading the logged-in user; the session epoch makes logout and disablement server-side."""

from __future__ import annotations

from flask_login import LoginManager

from vetting.extensions import db
from vetting.models import User


def load_user(user_key: str) -> User | None:
    try:
        user_id, epoch = (int(part) for part in user_key.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user


def install(manager: LoginManager) -> None:
    manager.user_loader(load_user)
