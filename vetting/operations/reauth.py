"""Confirming, within a session, that the person at the keyboard is still the account's owner:
the step-up before high-risk actions (security checklist AU-9). The factor checked is the
password, the only one accounts have so far; a second factor (TOTP) would be checked here."""

from __future__ import annotations

from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.models import User
from vetting.passwords import verify_password


def confirm_identity(session: Session, actor: User, password: str) -> bool:
    """True when `password` is the actor's; both outcomes are audited, so repeated failures in
    a session that someone else may be using are visible in the log."""
    ok = actor.active and verify_password(actor.password_hash, password)
    audit.record(
        session,
        actor,
        AuditAction.REAUTH_SUCCESS if ok else AuditAction.REAUTH_FAILURE,
        actor,
    )
    return ok
