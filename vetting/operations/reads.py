"""Recording reads of confidential material. Reads change nothing else, but every read of
panel-level or restricted material leaves an audit entry (domain.md, 'Confidentiality levels')."""

from __future__ import annotations

from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.models import Candidacy, User


def note_memo_read(session: Session, actor: User, candidacy: Candidacy) -> None:
    """The integrity memo is panel-level: who read it, and when, is on record."""
    audit.record(session, actor, AuditAction.INTEGRITY_MEMO_READ, candidacy)


def note_dossier_read(
    session: Session, actor: User, candidacy: Candidacy, *, memo_shown: bool
) -> None:
    """A staff dossier page shows panel-level answers and findings; the memo is logged apart
    so that its readers can be listed on their own."""
    audit.record(session, actor, AuditAction.DOSSIER_READ, candidacy)
    if memo_shown:
        note_memo_read(session, actor, candidacy)
