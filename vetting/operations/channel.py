"""The confidential channel: the secretariat's window, reports and the reporter's additions,
the vetting officers' triage and reads.

Reports are restricted material. Their text, the reporter's contact, the triage reasons and
the reporter's additions are sealed at rest (vetting.sealing) and unsealed only for vetting
officers' pages. Nothing about the reporter's connection is kept: the audit entries of the
reporter's own steps carry no client address, and the report row has no column for one.
The reporter's way back is a receipt code shown once; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import channel as rules
from vetting.domain.channel import ContactKind, ReportStatus, WindowState
from vetting.domain.events import AuditAction
from vetting.domain.roles import Permission, Role, has_permission
from vetting.domain.vocabulary import MisconductCategory, TriageOutcome
from vetting.models import Candidacy, Complaint, ComplaintAddition, Election, StoredFile, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.files import store_upload
from vetting.operations.nominations import staff_with_role
from vetting.sealing import SEALER_KEY, Sealer, Unreadable

# Shown in place of sealed text that does not decrypt (altered, or sealed under a lost key).
UNREADABLE = "[This text does not decrypt: it was altered or sealed under another key.]"


def sealer_of(session: Session) -> Sealer:
    """The sealer the application put in its sessions' info (see vetting.create_app)."""
    found = session.info.get(SEALER_KEY)
    if not isinstance(found, Sealer):
        raise RuntimeError("This session has no sealer: create it from the application.")
    return found


@contextmanager
def _without_address(session: Session) -> Iterator[None]:
    """The reporter's steps are audited without the client address the web layer put there."""
    saved = session.info.pop(audit.IP_KEY, None)
    try:
        yield
    finally:
        if saved is not None:
            session.info[audit.IP_KEY] = saved


def opened(sealer: Sealer, token: str | None) -> str:
    """Sealed text for a vetting officer's page; a marker instead of an error if it is altered."""
    if not token:
        return ""
    try:
        return sealer.unseal(token)
    except Unreadable:
        return UNREADABLE


# --- The window ------------------------------------------------------------------------------


def set_channel_window(
    session: Session,
    actor: User,
    election: Election,
    *,
    opens: date | None,
    closes: date | None,
    today: date,
    report_link: str,
) -> None:
    """Set (or clear, with no dates) the days the channel accepts reports; announce an open or
    coming window to the States' focal points."""
    if not has_permission(actor.role, Permission.ELECTION_MANAGE):
        raise Refused("Only the secretariat sets the channel window.")
    problem = rules.window_problem(opens, closes, today=today, vote_date=election.vote_date)
    if problem:
        raise Refused(problem)
    if (election.channel_opens, election.channel_closes) == (opens, closes):
        raise Refused("The channel window already has these dates.")
    election.channel_opens, election.channel_closes = opens, closes
    audit.record(
        session,
        actor,
        AuditAction.CHANNEL_WINDOW_SET,
        election,
        {
            "opens": opens.isoformat() if opens else None,
            "closes": closes.isoformat() if closes else None,
        },
    )
    if opens is None or closes is None:
        return
    states = staff_with_role(session, Role.FOCAL_POINT)
    _tell_the_states(session, NoticeKind.CHANNEL_OPEN, election, report_link, states)


def _tell_the_states(
    session: Session,
    kind: NoticeKind,
    election: Election,
    report_link: str,
    focal_points: list[User],
) -> None:
    """A notice about the channel's window to each of the active focal points given."""
    assert election.channel_opens is not None and election.channel_closes is not None
    for focal_point in focal_points:
        queue_notice(
            session,
            kind,
            to=focal_point,
            context={
                "election": election.title,
                "opens": election.channel_opens.isoformat(),
                "closes": election.channel_closes.isoformat(),
                "link": report_link,
            },
        )


def report_link(base_url: str, election: Election) -> str:
    """The public page where anyone reports misconduct by this election's candidates."""
    return f"{base_url.rstrip('/')}/elections/{election.id}/report"


def send_closing_notices(session: Session, base_url: str, on: date | None = None) -> int:
    """The sweep's part for the channel: tell the States of every window whose last day is 14
    days away or less (vetting.domain.channel.closing_notice_due), once per last day. Safe to
    run as often as one likes; returns the number of windows announced."""
    day = on or utcnow().date()
    elections = session.scalars(
        sa.select(Election)
        .where(
            Election.channel_opens.is_not(None),
            Election.channel_closes.is_not(None),
            Election.channel_closes >= day,
            sa.or_(
                Election.channel_closing_notified_for.is_(None),
                Election.channel_closing_notified_for != Election.channel_closes,
            ),
        )
        .order_by(Election.id)
    ).all()
    due = [e for e in elections if rules.closing_notice_due(e.channel_opens, e.channel_closes, day)]
    states = staff_with_role(session, Role.FOCAL_POINT) if due else []
    for election in due:
        election.channel_closing_notified_for = election.channel_closes
        link = report_link(base_url, election)
        _tell_the_states(session, NoticeKind.CHANNEL_CLOSING, election, link, states)
        audit.record(
            session,
            None,
            AuditAction.CHANNEL_CLOSING_ANNOUNCE,
            election,
            {"closes": str(election.channel_closes), "on": day.isoformat()},
        )
    return len(due)


def window_refusal(election: Election, today: date) -> str | None:
    """Why the channel of this election takes no report today; None when it is open."""
    state = rules.window_state(election.channel_opens, election.channel_closes, today)
    if state is WindowState.OPEN:
        return None
    if state is WindowState.NOT_YET_OPEN:
        assert election.channel_opens is not None
        return f"The confidential channel for this election opens on {election.channel_opens}."
    if state is WindowState.CLOSED:
        assert election.channel_closes is not None
        return f"The confidential channel for this election closed on {election.channel_closes}."
    return "The confidential channel for this election is not open: no dates have been set."


# --- Reports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class ReportData:
    category: MisconductCategory
    text: str
    contact_kind: ContactKind = ContactKind.NONE
    contact: str = ""
    files: tuple[Upload, ...] = ()
    # The language of the page the report was made on: the acknowledgement's language.
    language: str = "en"


@dataclass(frozen=True)
class ChannelSettings:
    files_dir: str
    max_bytes: int
    # Where a reporter comes back with the receipt code (named in the acknowledgement).
    receipt_link: str


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    # Shown once to the reporter, never stored.
    receipt_code: str


def _check_text(text: str, *, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise Refused("Describe what you are reporting.")
    if len(text) > rules.TEXT_MAX:
        raise Refused(f"A report may be at most {rules.TEXT_MAX} characters.")
    return text


def _store_files(
    session: Session, sealer: Sealer, uploads: tuple[Upload, ...], settings: ChannelSettings
) -> list[StoredFile]:
    if len(uploads) > rules.FILES_MAX:
        raise Refused(f"Attach at most {rules.FILES_MAX} files at a time.")
    return [
        store_upload(
            session,
            sealer,
            settings.files_dir,
            name=upload.name,
            data=upload.data,
            uploader=None,
            max_bytes=settings.max_bytes,
        )
        for upload in uploads
    ]


def receive_report(
    session: Session,
    sealer: Sealer,
    candidacy: Candidacy,
    *,
    category: MisconductCategory,
    text: str,
    contact: str | None,
) -> Complaint:
    """A report that reached the vetting officers, sealed: no actor, no address, no
    fingerprint. The public page adds the window, the receipt and the acknowledgement."""
    if candidacy.stage.is_terminal:
        raise Refused("This candidacy is closed or withdrawn; it takes no report.")
    text = _check_text(text, required=True)
    contact = (contact or "").strip() or None
    complaint = Complaint(
        candidacy_id=candidacy.id,
        category=category,
        text=sealer.seal(text),
        reporter_contact=sealer.seal(contact) if contact else None,
    )
    session.add(complaint)
    session.flush()
    with _without_address(session):
        audit.record(session, None, AuditAction.COMPLAINT_RECEIVE, complaint)
    return complaint


def submit_report(
    session: Session,
    sealer: Sealer,
    election: Election,
    candidacy: Candidacy,
    data: ReportData,
    *,
    settings: ChannelSettings,
    today: date,
) -> Filed:
    """The public page's report: inside the window, about a candidate of this election."""
    refusal = window_refusal(election, today)
    if refusal:
        raise Refused(refusal)
    if candidacy.election_id != election.id or candidacy.stage.is_terminal:
        raise Refused("Choose a candidate of this election.")
    problem = rules.contact_problem(data.contact_kind, data.contact)
    if problem:
        raise Refused(problem)
    _check_text(data.text, required=True)
    stored = _store_files(session, sealer, data.files, settings)
    contact = data.contact.strip() if data.contact_kind is not ContactKind.NONE else None
    complaint = receive_report(
        session, sealer, candidacy, category=data.category, text=data.text, contact=contact
    )
    code = rules.new_receipt_code()
    complaint.receipt_hash = rules.receipt_hash(code)
    for file in stored:
        session.add(ComplaintAddition(complaint_id=complaint.id, text="", file_id=file.id))
    session.flush()
    if data.contact_kind is ContactKind.EMAIL and contact:
        # The body names no candidate and repeats nothing of the report nor the code.
        queue_notice(
            session,
            NoticeKind.COMPLAINT_RECEIVED,
            to=contact,
            context={"when": today.isoformat(), "link": settings.receipt_link},
            language=data.language if data.language in ("en", "fr") else "en",
        )
    return Filed(complaint=complaint, receipt_code=code)


# --- The reporter's way back -----------------------------------------------------------------


def find_by_receipt(session: Session, code: str) -> Complaint | None:
    """The report this code opens, or None. A malformed code costs the same single lookup as
    a well-formed one (of a hash no code has), so the answers cannot be told apart."""
    return session.scalar(
        sa.select(Complaint).where(Complaint.receipt_hash == rules.receipt_hash(code))
    )


def status_of(complaint: Complaint, candidacy: Candidacy) -> ReportStatus:
    return rules.report_status(
        complaint.triage,
        candidacy_ended=candidacy.stage.is_terminal,
        diligence_closed=candidacy.integrity_outcome is not None,
    )


def add_information(
    session: Session,
    sealer: Sealer,
    complaint: Complaint,
    *,
    text: str,
    files: tuple[Upload, ...] = (),
    settings: ChannelSettings,
) -> None:
    """The reporter adds to their report, through the receipt code, while it is not closed."""
    candidacy = session.get(Candidacy, complaint.candidacy_id)
    assert candidacy is not None
    if status_of(complaint, candidacy) is ReportStatus.CLOSED:
        raise Refused("This report is closed; nothing more can be added to it.")
    text = _check_text(text, required=False)
    if not text and not files:
        raise Refused("Write the information to add, or attach a file.")
    stored = _store_files(session, sealer, files, settings)
    if text:
        session.add(ComplaintAddition(complaint_id=complaint.id, text=sealer.seal(text)))
    for file in stored:
        session.add(ComplaintAddition(complaint_id=complaint.id, text="", file_id=file.id))
    session.flush()
    with _without_address(session):
        audit.record(
            session,
            None,
            AuditAction.COMPLAINT_ADD,
            complaint,
            {"text": bool(text), "files": len(stored)},
        )


# --- The vetting officers' side ----------------------------------------------------------------


def triage_report(
    session: Session,
    sealer: Sealer,
    actor: User,
    complaint: Complaint,
    *,
    outcome: TriageOutcome,
    reason: str,
) -> None:
    """Record (or revise) a report's triage with its reasons. The reasons are sealed; the
    audit entry carries their digest, not the outcome, since the log is read beyond the
    vetting officers and the triage is theirs alone."""
    if not has_permission(actor.role, Permission.COMPLAINT_TRIAGE):
        raise Refused("Only a vetting officer triages reports.")
    reason = reason.strip()
    if not reason:
        raise Refused("Give the reasons for the triage.")
    if len(reason) > rules.REASON_MAX:
        raise Refused(f"The reasons may be at most {rules.REASON_MAX} characters.")
    if complaint.triage is outcome and opened(sealer, complaint.triage_reason) == reason:
        raise Refused("This triage is already recorded with these reasons.")
    first = complaint.triage is None
    complaint.triage = outcome
    complaint.triage_reason = sealer.seal(reason)
    complaint.triaged_by_id = actor.id
    complaint.triaged_at = utcnow()
    digest = hashlib.sha256(f"{outcome.value}\n{reason}".encode()).hexdigest()
    audit.record(
        session,
        actor,
        AuditAction.COMPLAINT_TRIAGE,
        complaint,
        {"first": first, "digest": digest},
    )


def note_report_read(
    session: Session,
    actor: User,
    complaint: Complaint,
    *,
    contact_shown: bool,
    file: StoredFile | None = None,
) -> None:
    """One report's page (or one of its files) was shown; whether the reporter's contact was
    shown is on record too."""
    data: dict[str, object] = {"contact": contact_shown}
    if file is not None:
        data.update(file=file.id, sha256=file.sha256)
    audit.record(session, actor, AuditAction.COMPLAINT_READ, complaint, data)


def additions_of(session: Session, complaint: Complaint) -> list[ComplaintAddition]:
    return list(
        session.scalars(
            sa.select(ComplaintAddition)
            .where(ComplaintAddition.complaint_id == complaint.id)
            .order_by(ComplaintAddition.added_at, ComplaintAddition.id)
        )
    )


def memo_problem(session: Session, candidacy: Candidacy, memo: str) -> str | None:
    """Whether the integrity memo, which the panel reads, carries report material: a
    reporter's contact, or a report or an addition quoted word for word."""
    complaints = list(
        session.scalars(sa.select(Complaint).where(Complaint.candidacy_id == candidacy.id))
    )
    if not complaints:
        return None
    sealer = sealer_of(session)
    additions = session.scalars(
        sa.select(ComplaintAddition.text).where(
            ComplaintAddition.complaint_id.in_([c.id for c in complaints]),
            ComplaintAddition.text != "",
        )
    )
    reports = [opened(sealer, c.text) for c in complaints] + [opened(sealer, t) for t in additions]
    contacts = [opened(sealer, c.reporter_contact) for c in complaints if c.reporter_contact]
    return rules.memo_problem(memo, reports, contacts)
