"""Small pieces every view uses: loading by opaque id, and running one operation per request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from flask import abort, current_app, flash
from flask_login import current_user
from flask_wtf import FlaskForm

from vetting.extensions import db
from vetting.models import Assignment, Candidacy, User
from vetting.operations.errors import Refused
from vetting.sealing import SEALER_KEY, Sealer

T = TypeVar("T")


def actor() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def sealer() -> Sealer:
    """The application's key holder for material encrypted at rest."""
    found: Sealer = current_app.extensions[SEALER_KEY]
    return found


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


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one operation call came to: its value, or the refusal. True when it went through."""

    value: T | None = None
    refusal: Refused | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None

    def __bool__(self) -> bool:
        return self.ok


def attempt(operation: Callable[..., T], *args: Any, **kwargs: Any) -> Outcome[T]:
    """Call one operation and commit once; on refusal roll back, so nothing is half-written."""
    try:
        value = operation(db.session, *args, **kwargs)
    except Refused as refused:
        db.session.rollback()
        return Outcome(refusal=refused)
    db.session.commit()
    return Outcome(value=value)


def run(
    operation: Callable[..., T], *args: Any, success: str | None = None, **kwargs: Any
) -> Outcome[T]:
    """attempt(), and tell the user: the refusal's reason, or the `success` message."""
    outcome = attempt(operation, *args, **kwargs)
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
    elif success:
        flash(success, "success")
    return outcome


def flash_errors(form: FlaskForm) -> None:
    """For forms posted from a page that the view redirects back to: the errors travel as
    flashed messages, each naming its field, since the form itself is not shown again."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "error")
