"""Small pieces every view uses: loading by opaque id, and running one operation per request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort, flash
from flask_login import current_user

from vetting.extensions import db
from vetting.models import Assignment, Candidacy, User
from vetting.operations.errors import Refused

T = TypeVar("T")


def actor() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def candidacy_or_404(public_id: str) -> Candidacy:
    candidacy = db.session.scalar(sa.select(Candidacy).where(Candidacy.public_id == public_id))
    if candidacy is None:
        abort(404)
    return candidacy


def assignment_of(candidacy: Candidacy, reviewer: User) -> Assignment | None:
    return db.session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == reviewer.id
        )
    )


def run(
    operation: Callable[..., T], *args: Any, success: str | None = None, **kwargs: Any
) -> T | None:
    """Call one operation and commit once; on refusal roll back and flash the reason.

    Returns the operation's result, or None when it was refused (nothing was changed).
    """
    try:
        result = operation(db.session, *args, **kwargs)
    except Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return None
    db.session.commit()
    if success:
        flash(success, "success")
    return result
