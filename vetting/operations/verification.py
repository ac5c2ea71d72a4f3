"""Checking the audit chain on demand, with the check itself put on record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.models import User


def verify_audit_chain(session: Session, actor: User) -> audit.Verification:
    """Walk the chain, then append an entry saying who checked and what was found; the entry
    comes after the walk so the result describes the chain as it was when asked."""
    result = audit.verify(session)
    audit.record(
        session,
        actor,
        AuditAction.AUDIT_VERIFY,
        None,
        {"ok": result.ok, "entries": result.entries, "first_bad_seq": result.first_bad_seq},
    )
    return result
