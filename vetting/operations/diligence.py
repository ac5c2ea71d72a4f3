from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import EvidenceKind, IntegrityOutcome, Level, MisconductCategory
from vetting.models import AdverseNotice, Candidacy, Complaint, EvidenceItem, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.workflow import transition


@dataclass(frozen=True)
class EvidenceData:
    kind: EvidenceKind
    source: str
    obtained_on: date
    summary: str
    level: Level
    verified: bool = False
    relied_on: bool = False


def _open(candidacy: Candidacy) -> None:
    if candidacy.stage.is_terminal:
        raise Refused("This candidacy is closed or withdrawn; its record is frozen.")


def record_evidence(
    session: Session, actor: User, candidacy: Candidacy, data: EvidenceData
) -> EvidenceItem:
    _open(candidacy)
    if not data.source.strip() or not data.summary.strip():
        raise Refused("An evidence item needs a source and a summary.")
    if data.obtained_on > date.today():
        raise Refused("The date obtained cannot be in the future.")
    item = EvidenceItem(
        candidacy_id=candidacy.id,
        kind=data.kind,
        source=data.source.strip(),
        obtained_on=data.obtained_on,
        summary=data.summary.strip(),
        level=data.level,
        verified=data.verified,
        relied_on=data.relied_on,
        added_by_id=actor.id,
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.EVIDENCE_CREATE,
        item,
        {"kind": data.kind.value, "level": data.level.value},
    )
    return item


def note_evidence_read(session: Session, actor: User, items: list[EvidenceItem]) -> None:
    """Every read of panel-level or restricted material is logged."""
    for item in items:
        if item.level in (Level.PANEL, Level.RESTRICTED, Level.CANDIDATE_OWN):
            audit.record(session, actor, AuditAction.EVIDENCE_READ, item)


def note_complaints_read(session: Session, actor: User, complaints: list[Complaint]) -> None:
    for complaint in complaints:
        audit.record(session, actor, AuditAction.COMPLAINT_READ, complaint)


def receive_complaint(
    session: Session,
    candidacy: Candidacy,
    *,
    category: MisconductCategory,
    text: str,
    reporter_contact: str | None,
) -> Complaint:
    """A report through the confidential channel; no actor, no address, no fingerprint."""
    if not text.strip():
        raise Refused("Describe what you are reporting.")
    complaint = Complaint(
        candidacy_id=candidacy.id,
        category=category,
        text=text.strip(),
        reporter_contact=(reporter_contact or "").strip() or None,
    )
    session.add(complaint)
    session.flush()
    audit.record(session, None, AuditAction.COMPLAINT_RECEIVE, complaint)
    return complaint


def record_integrity_outcome(
    session: Session, actor: User, candidacy: Candidacy, *, outcome: IntegrityOutcome, memo: str
) -> None:
    """Closes due diligence: the memo is what the panel sees, never the raw material."""
    _open(candidacy)
    if actor.role is not Role.VETTING_OFFICER:
        raise Refused("Only a vetting officer records the integrity outcome.")
    if candidacy.stage not in (
        Stage.NOMINATED,
        Stage.QUESTIONNAIRE,
        Stage.PAPER_SCORING,
        Stage.INTERVIEW,
    ):
        raise Refused("Due diligence closes before deliberation; the outcome can no longer change.")
    if not memo.strip():
        raise Refused("Write the integrity memo for the panel.")
    candidacy.integrity_outcome = outcome
    candidacy.integrity_memo = memo.strip()
    audit.record(
        session, actor, AuditAction.INTEGRITY_RECORD, candidacy, {"outcome": outcome.value}
    )


def send_adverse_notice(
    session: Session, actor: User, candidacy: Candidacy, *, summary: str, window_days: int
) -> AdverseNotice:
    if not summary.strip():
        raise Refused("Write the de-identified summary the candidate will receive.")
    transition(session, actor, candidacy, Action.SEND_ADVERSE_NOTICE)
    notice = AdverseNotice(
        candidacy_id=candidacy.id,
        summary=summary.strip(),
        reply_due_at=utcnow() + timedelta(days=window_days),
    )
    session.add(notice)
    session.flush()
    audit.record(session, actor, AuditAction.ADVERSE_NOTICE_SEND, notice)
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    queue_notice(
        session,
        NoticeKind.ADVERSE_NOTICE,
        to=candidate,
        context={"candidate": candidacy.full_name, "days": window_days},
    )
    return notice


def submit_reply(
    session: Session, actor: User, candidacy: Candidacy, notice: AdverseNotice, *, text: str
) -> None:
    if actor.id != candidacy.candidate_user_id:
        raise Refused("Only the candidate replies to an adverse notice.")
    if notice.replied_at is not None:
        raise Refused("Your reply was already received.")
    if notice.reply_due_at < utcnow():
        raise Refused("The reply window has closed.")
    if not text.strip():
        raise Refused("Write your reply.")
    notice.reply_text = text.strip()
    notice.replied_at = utcnow()
    transition(session, actor, candidacy, Action.RECORD_REPLY)
    audit.record(session, actor, AuditAction.REPLY_SUBMIT, notice)
