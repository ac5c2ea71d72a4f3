from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import stages
from vetting.domain.events import AuditAction
from vetting.domain.policy import Relation, can_see_level
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.domain.vocabulary import (
    ConflictStatus,
    EvidenceKind,
    IntegrityOutcome,
    Level,
    MisconductCategory,
)
from vetting.models import (
    AdverseNotice,
    Assignment,
    Candidacy,
    Complaint,
    EvidenceItem,
    ReplyAnswers,
    ReplyAttachment,
    StoredFile,
    User,
)
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations import channel
from vetting.operations.conflicts import relation_of
from vetting.operations.errors import Refused
from vetting.operations.files import FileStore, Tampered, Upload
from vetting.operations.nominations import staff_with_role
from vetting.operations.workflow import gather_facts, transition
from vetting.sealing import Sealer

# The candidate's reply window, in days, as the chair may set it when approving the notice.
REPLY_WINDOW_MIN_DAYS = 5
REPLY_WINDOW_MAX_DAYS = 60
MAX_REPLY_CHARS = 20000
MAX_SUMMARY_CHARS = 10000
MAX_REPLY_FILES = 5
# After these stages what a finding relied on is history: the flag no longer changes.
_FINDING_MADE = (Stage.FINDING_ADOPTED, Stage.PUBLISHED, Stage.CLOSED, Stage.WITHDRAWN)


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
    session: Session,
    actor: User,
    candidacy: Candidacy,
    data: EvidenceData,
    *,
    upload: Upload | None = None,
    store: FileStore | None = None,
) -> EvidenceItem:
    """An evidence item with its provenance, and optionally its file (stored last, so that a
    refused item writes no file)."""
    _open(candidacy)
    if actor.role is not Role.VETTING_OFFICER:
        raise Refused("Only a vetting officer records evidence.")
    if not data.source.strip() or not data.summary.strip():
        raise Refused("An evidence item needs a source and a summary.")
    if data.obtained_on > date.today():
        raise Refused("The date obtained cannot be in the future.")
    stored = None
    if upload is not None:
        if store is None:
            raise ValueError("record_evidence needs the file store to keep an upload")
        stored = store.store(session, upload, actor)
    item = EvidenceItem(
        candidacy_id=candidacy.id,
        kind=data.kind,
        source=data.source.strip(),
        obtained_on=data.obtained_on,
        summary=data.summary.strip(),
        level=data.level,
        verified=data.verified,
        relied_on=data.relied_on,
        file_id=stored.id if stored is not None else None,
        added_by_id=actor.id,
    )
    session.add(item)
    session.flush()
    details: dict[str, object] = {"kind": data.kind.value, "level": data.level.value}
    if stored is not None:
        # The file's fingerprint, never its name (a name can identify a source).
        details.update(file_id=stored.id, sha256=stored.sha256, size=stored.size)
    audit.record(session, actor, AuditAction.EVIDENCE_CREATE, item, details)
    return item


def update_evidence_status(
    session: Session, actor: User, item: EvidenceItem, *, verified: bool, relied_on: bool
) -> None:
    """The vetting officer marks an item verified (or not) and says whether the finding relies
    on it; the change and the values before it are on record."""
    if actor.role is not Role.VETTING_OFFICER:
        raise Refused("Only a vetting officer changes an evidence item's status.")
    candidacy = session.get(Candidacy, item.candidacy_id)
    assert candidacy is not None
    _open(candidacy)
    if verified == item.verified and relied_on == item.relied_on:
        raise Refused("Nothing changed: the item's status is already as given.")
    if relied_on != item.relied_on and candidacy.stage in _FINDING_MADE:
        raise Refused(
            "The finding is adopted: whether it relied on this item can no longer change."
        )
    before = {"verified": item.verified, "relied_on": item.relied_on}
    item.verified, item.relied_on = verified, relied_on
    audit.record(
        session,
        actor,
        AuditAction.EVIDENCE_UPDATE,
        item,
        {"before": before, "after": {"verified": verified, "relied_on": relied_on}},
    )


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
    sealer: Sealer | None = None,
) -> Complaint:
    """A report that reached the vetting officers, sealed at rest; no actor, no address, no
    fingerprint. The public page goes through channel.submit_report (window, receipt code,
    acknowledgement). Without a sealer, the one the application put in the session is used."""
    return channel.receive_report(
        session,
        sealer or channel.sealer_of(session),
        candidacy,
        category=category,
        text=text,
        contact=reporter_contact,
    )


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
    problem = channel.memo_problem(session, candidacy, memo)
    if problem:
        raise Refused(problem)
    candidacy.integrity_outcome = outcome
    candidacy.integrity_memo = memo.strip()
    audit.record(
        session, actor, AuditAction.INTEGRITY_RECORD, candidacy, {"outcome": outcome.value}
    )


# --- Files: every download goes through here, is authorised and is audited. ---


@dataclass(frozen=True)
class Download:
    """What a download came to: the file and its bytes, or why it cannot be served."""

    stored: StoredFile
    data: bytes | None = None
    problem: str | None = None


def _relation(session: Session, actor: User, candidacy: Candidacy) -> Relation:
    assignment = session.scalar(
        sa.select(Assignment).where(
            Assignment.candidacy_id == candidacy.id, Assignment.reviewer_id == actor.id
        )
    )
    return relation_of(actor, candidacy, assignment)


def may_see_evidence(session: Session, actor: User, item: EvidenceItem) -> bool:
    """Whether the actor may see this item (and so download its file): its level, for them,
    on this candidacy (domain.md, 'Confidentiality levels')."""
    candidacy = session.get(Candidacy, item.candidacy_id)
    assert candidacy is not None
    return can_see_level(_relation(session, actor, candidacy), item.level)


def may_see_reply(session: Session, actor: User, notice: AdverseNotice) -> bool:
    """A reply is panel-level material; the candidate who sent it sees it too."""
    candidacy = session.get(Candidacy, notice.candidacy_id)
    assert candidacy is not None
    rel = _relation(session, actor, candidacy)
    return rel.is_own_candidacy or can_see_level(rel, Level.PANEL)


def _serve(
    session: Session, actor: User, stored: StoredFile, store: FileStore, context: dict[str, object]
) -> Download:
    """Read a stored file for a download. A missing or altered file is never served: the
    attempt is audited as such, and the caller commits that record like any other."""
    details = {**context, "file_id": stored.id, "sha256": stored.sha256}
    try:
        data = store.read(stored)
    except Tampered as tampered:
        audit.record(session, actor, AuditAction.FILE_TAMPERED, stored, details)
        return Download(stored, problem=str(tampered))
    audit.record(session, actor, AuditAction.FILE_DOWNLOAD, stored, details)
    return Download(stored, data=data)


def download_evidence_file(
    session: Session, actor: User, item: EvidenceItem, store: FileStore
) -> Download:
    if not may_see_evidence(session, actor, item):
        raise Refused("You may not see this evidence item.")
    if item.file_id is None:
        raise Refused("This evidence item has no file.")
    stored = session.get(StoredFile, item.file_id)
    assert stored is not None
    return _serve(session, actor, stored, store, {"evidence_item": item.id})


def download_reply_file(
    session: Session, actor: User, attachment: ReplyAttachment, store: FileStore
) -> Download:
    notice = session.get(AdverseNotice, attachment.notice_id)
    assert notice is not None
    if not may_see_reply(session, actor, notice):
        raise Refused("You may not see this reply.")
    stored = session.get(StoredFile, attachment.file_id)
    assert stored is not None
    return _serve(session, actor, stored, store, {"reply_attachment": attachment.id})


# --- The right of reply. ---


def _summary_text(summary: str) -> str:
    text = summary.strip()
    if not text:
        raise Refused("Write the de-identified summary the candidate will receive.")
    if len(text) > MAX_SUMMARY_CHARS:
        raise Refused(f"The summary may be at most {MAX_SUMMARY_CHARS} characters.")
    return text


def _cleared_chair(session: Session, actor: User, candidacy: Candidacy, doing: str) -> None:
    if actor.role is not Role.PANEL_CHAIR:
        raise Refused(f"Only the panel chair {doing}.")
    if not _relation(session, actor, candidacy).is_cleared_reviewer:
        raise Refused(
            f"You are not cleared on this candidacy (a conflict is declared, undecided or has "
            f"recused you, or you are not assigned): you cannot {doing.split(' ', 1)[1]}."
        )


def notice_of(session: Session, candidacy: Candidacy) -> AdverseNotice | None:
    return session.scalar(
        sa.select(AdverseNotice).where(AdverseNotice.candidacy_id == candidacy.id)
    )


def draft_adverse_notice(
    session: Session, actor: User, candidacy: Candidacy, *, summary: str
) -> AdverseNotice:
    """Write or revise the de-identified summary. Nothing reaches the candidate until the chair
    approves it; until then the reply deadline is not set (it is stored as the drafting time)."""
    _open(candidacy)
    if actor.role is Role.PANEL_CHAIR:
        _cleared_chair(session, actor, candidacy, "drafts the adverse notice")
    elif actor.role is not Role.VETTING_OFFICER:
        raise Refused("Only a vetting officer or the panel chair drafts the adverse notice.")
    outcome = candidacy.integrity_outcome
    if outcome is None or not outcome.is_adverse:
        raise Refused("An adverse notice needs an adverse integrity outcome, recorded first.")
    if candidacy.stage not in (
        Stage.NOMINATED,
        Stage.QUESTIONNAIRE,
        Stage.PAPER_SCORING,
        Stage.INTERVIEW,
        Stage.DELIBERATION,
    ):
        raise Refused("The adverse notice can no longer be drafted at this stage.")
    text = _summary_text(summary)
    notice = notice_of(session, candidacy)
    if notice is not None and notice.approved_by_id is not None:
        raise Refused("The adverse notice was approved and sent; it can no longer change.")
    now = utcnow()
    revised = notice is not None
    if notice is None:
        notice = AdverseNotice(
            candidacy_id=candidacy.id, summary=text, sent_at=now, reply_due_at=now
        )
        session.add(notice)
    elif notice.summary == text:
        raise Refused("The summary is unchanged.")
    else:
        notice.summary, notice.sent_at, notice.reply_due_at = text, now, now
    session.flush()
    audit.record(session, actor, AuditAction.ADVERSE_NOTICE_DRAFT, notice, {"revised": revised})
    return notice


def approve_adverse_notice(
    session: Session, actor: User, candidacy: Candidacy, *, window_days: int
) -> AdverseNotice:
    """The chair, cleared on this candidacy, approves the drafted summary: the candidate
    receives it now, with the reply window."""
    _cleared_chair(session, actor, candidacy, "approves the adverse notice")
    if not REPLY_WINDOW_MIN_DAYS <= window_days <= REPLY_WINDOW_MAX_DAYS:
        raise Refused(
            f"The reply window is between {REPLY_WINDOW_MIN_DAYS} and {REPLY_WINDOW_MAX_DAYS} days."
        )
    notice = notice_of(session, candidacy)
    if notice is None:
        raise Refused("No summary is drafted yet.")
    if notice.approved_by_id is not None:
        raise Refused("The adverse notice was already approved and sent.")
    transition(session, actor, candidacy, Action.SEND_ADVERSE_NOTICE)
    now = utcnow()
    notice.approved_by_id = actor.id
    notice.sent_at = now
    notice.reply_due_at = now + timedelta(days=window_days)
    audit.record(
        session,
        actor,
        AuditAction.ADVERSE_NOTICE_APPROVE,
        notice,
        {"window_days": window_days, "reply_due_at": notice.reply_due_at.isoformat()},
    )
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    queue_notice(
        session,
        NoticeKind.ADVERSE_NOTICE,
        to=candidate,
        context={"candidate": candidacy.full_name, "days": window_days},
    )
    return notice


def send_adverse_notice(
    session: Session, actor: User, candidacy: Candidacy, *, summary: str, window_days: int
) -> AdverseNotice:
    """The chair writes (or revises the vetting officer's draft) and approves in one act."""
    notice = notice_of(session, candidacy)
    if notice is None or notice.summary != summary.strip():
        _cleared_chair(session, actor, candidacy, "approves the adverse notice")
        draft_adverse_notice(session, actor, candidacy, summary=summary)
    return approve_adverse_notice(session, actor, candidacy, window_days=window_days)


def visible_to_candidate(session: Session, candidacy: Candidacy) -> list[EvidenceItem]:
    """The evidence items the candidate sees, and so may answer: their own level and public."""
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    rel = relation_of(candidate, candidacy, None)
    levels = [level for level in Level if can_see_level(rel, level)]
    return list(
        session.scalars(
            sa.select(EvidenceItem)
            .where(EvidenceItem.candidacy_id == candidacy.id, EvidenceItem.level.in_(levels))
            .order_by(EvidenceItem.obtained_on, EvidenceItem.id)
        )
    )


def submit_reply(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    notice: AdverseNotice,
    *,
    text: str,
    answers: Sequence[int] = (),
    uploads: Sequence[Upload] = (),
    store: FileStore | None = None,
) -> None:
    """The candidate's reply: text, the evidence items it answers, and files. Everything is
    checked before anything is written; the reply is panel-level material from then on."""
    if actor.id != candidacy.candidate_user_id or notice.candidacy_id != candidacy.id:
        raise Refused("Only the candidate replies to an adverse notice.")
    if notice.approved_by_id is None:
        raise Refused("No adverse notice has been sent to you.")
    if notice.replied_at is not None:
        raise Refused("Your reply was already received.")
    if notice.reply_due_at < utcnow():
        raise Refused("The reply window has closed.")
    body = text.strip()
    if not body:
        raise Refused("Write your reply.")
    if len(body) > MAX_REPLY_CHARS:
        raise Refused(f"Your reply may be at most {MAX_REPLY_CHARS} characters.")
    if len(uploads) > MAX_REPLY_FILES:
        raise Refused(f"Attach at most {MAX_REPLY_FILES} files.")
    if uploads and store is None:
        raise ValueError("submit_reply needs the file store to keep uploads")
    wanted = set(answers)
    answerable = {item.id for item in visible_to_candidate(session, candidacy)}
    if not wanted <= answerable:
        raise Refused("Your reply can answer only the evidence items shown to you.")
    try:
        stages.check_transition(
            candidacy.stage, Action.RECORD_REPLY, actor.role, gather_facts(session, candidacy)
        )
    except stages.TransitionRefused as refused:
        raise Refused(str(refused)) from refused
    for upload in uploads:
        assert store is not None
        store.check(upload)
    stored = [store.store(session, upload, actor) for upload in uploads if store is not None]
    for file in stored:
        session.add(ReplyAttachment(notice_id=notice.id, file_id=file.id))
    for item_id in sorted(wanted):
        session.add(ReplyAnswers(notice_id=notice.id, evidence_item_id=item_id))
    notice.reply_text = body
    notice.replied_at = utcnow()
    transition(session, actor, candidacy, Action.RECORD_REPLY)
    audit.record(
        session,
        actor,
        AuditAction.REPLY_SUBMIT,
        notice,
        {"answers": sorted(wanted), "files": [f.sha256 for f in stored]},
    )
    for reader in _reply_readers(session, candidacy):
        queue_notice(
            session,
            NoticeKind.REPLY_RECEIVED,
            to=reader,
            context={"candidate": candidacy.full_name},
            about=candidacy.id,
        )


def _reply_readers(session: Session, candidacy: Candidacy) -> list[User]:
    """Who is told of a reply: the chairs cleared on the candidacy, who record that the panel
    read it; when none is (the chair is recused or undecided), the secretariat, who must see to
    it. Never anyone recused."""
    chairs = list(
        session.scalars(
            sa.select(User)
            .join(Assignment, Assignment.reviewer_id == User.id)
            .where(
                Assignment.candidacy_id == candidacy.id,
                Assignment.conflict_status.in_([ConflictStatus.NONE, ConflictStatus.MANAGED]),
                User.role == Role.PANEL_CHAIR,
                User.active,
            )
            .order_by(User.id)
        )
    )
    return chairs or staff_with_role(session, Role.SECRETARIAT)


def record_reply_read(
    session: Session, actor: User, candidacy: Candidacy, notice: AdverseNotice
) -> None:
    """The chair records, for the panel, that it has read the candidate's reply."""
    _cleared_chair(session, actor, candidacy, "records that the panel read the reply")
    if notice.candidacy_id != candidacy.id or notice.replied_at is None:
        raise Refused("There is no reply to record as read.")
    if notice.reply_read_at is not None:
        raise Refused("The panel's reading of the reply is already on record.")
    if candidacy.stage is not Stage.DELIBERATION:
        raise Refused("The reply is recorded as read during deliberation only.")
    notice.reply_read_by_id = actor.id
    notice.reply_read_at = utcnow()
    audit.record(session, actor, AuditAction.REPLY_READ_RECORD, notice)


def note_reply_read(session: Session, actor: User, notice: AdverseNotice | None) -> None:
    """The candidate's reply (panel-level) was shown to a member of staff."""
    if notice is not None and notice.replied_at is not None:
        audit.record(session, actor, AuditAction.REPLY_READ, notice)
