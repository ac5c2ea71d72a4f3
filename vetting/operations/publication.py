"""Publishing a candidacy's public summary, in versions, under the two-person rule.

One secretariat member drafts a version (saving again edits the same open draft); a second,
who neither drafted nor edited it, approves it. Approval fixes the release moment: not before
the embargo, and for the first version not before the finding notices to the candidate and the
nominating State have had LEAD_WORKING_DAYS working days to arrive. The version is public from
then on (vetting.operations.published decides), so an embargo holds without any background job.

A correction after publication is a new version with a corrigendum; earlier versions stay
readable. A corrigendum is released at approval or at its embargo: the candidate and the State
are told at approval, and the finding itself did not change, so no lead time applies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from vetting import audit, checkpoints
from vetting.domain.events import AuditAction
from vetting.domain.publication import embargo_problem, is_second_person, release_time
from vetting.domain.roles import Permission, has_permission
from vetting.domain.stages import Action, Stage
from vetting.models import (
    AuditCheckpoint,
    AuditEntry,
    Candidacy,
    Election,
    Notice,
    PublicSummary,
    User,
)
from vetting.models.base import utcnow
from vetting.models.records import NoticeStatus
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.nominations import focal_points
from vetting.operations.published import summary_held_back
from vetting.operations.workflow import transition

CORRECTABLE = frozenset({Stage.PUBLISHED, Stage.CLOSED})
# The session's info key for the installation's holidays (config HOLIDAYS, a set of dates):
# days that do not count in the notification lead time.
HOLIDAYS_KEY = "holidays"


@dataclass(frozen=True)
class SummaryData:
    text: str
    embargo_until: datetime | None = None
    # Required from version 2 on: what changed and why, shown publicly with the version.
    corrigendum: str = ""


@dataclass(frozen=True)
class ReleasePlan:
    """When the open draft would become public if approved at `now`, or why it cannot be."""

    release: datetime | None
    problem: str | None = None


def versions_of(session: Session, candidacy: Candidacy) -> list[PublicSummary]:
    """Every version, approved or not, oldest first: the secretariat's view, never the public's
    (the public reads through vetting.operations.published)."""
    return list(
        session.scalars(
            sa.select(PublicSummary)
            .where(PublicSummary.candidacy_id == candidacy.id)
            .order_by(PublicSummary.version)
        )
    )


def open_draft(session: Session, candidacy: Candidacy) -> PublicSummary | None:
    """The version awaiting approval, if any (there is at most one)."""
    return session.scalar(
        sa.select(PublicSummary).where(
            PublicSummary.candidacy_id == candidacy.id, PublicSummary.approved_at.is_(None)
        )
    )


def summary_of(session: Session, candidacy: Candidacy) -> PublicSummary | None:
    """The latest version, approved or not."""
    return session.scalar(
        sa.select(PublicSummary)
        .where(PublicSummary.candidacy_id == candidacy.id)
        .order_by(PublicSummary.version.desc())
        .limit(1)
    )


def digest_of(summary: PublicSummary) -> str:
    """What the approver saw: the text, the corrigendum and the embargo. Approval is refused
    when the draft changed after the preview was opened."""
    embargo = summary.embargo_until.isoformat() if summary.embargo_until else ""
    material = "\x1f".join([str(summary.version), summary.text, summary.corrigendum or "", embargo])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def authors_of(session: Session, summary: PublicSummary) -> set[int]:
    """Everyone who drafted or edited this version, from its audit entries (an admin acting as
    a secretariat member counts as both), and the recorded drafter."""
    authors = {summary.drafted_by_id}
    entries = session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.action == AuditAction.SUMMARY_DRAFT.value,
            AuditEntry.object_type == PublicSummary.__tablename__,
            AuditEntry.object_id == str(summary.id),
        )
    )
    for entry in entries:
        if entry.actor_id is not None:
            authors.add(entry.actor_id)
        acted_as = audit.decode(entry).get("as")
        if isinstance(acted_as, int):
            authors.add(acted_as)
    return authors


def _refuse_unless_open(candidacy: Candidacy) -> None:
    if candidacy.stage is Stage.WITHDRAWN:
        raise Refused("The candidacy is withdrawn: no summary is published for it.")


def draft_summary(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    data: SummaryData,
    *,
    now: datetime | None = None,
) -> PublicSummary:
    """Save the open draft (creating the next version if there is none)."""
    if not has_permission(actor.role, Permission.SUMMARY_DRAFT):
        raise Refused("Only the secretariat drafts the public summary.")
    _refuse_unless_open(candidacy)
    moment = now or utcnow()
    text = data.text.strip()
    if not text:
        raise Refused("The summary cannot be empty.")
    problem = embargo_problem(data.embargo_until, moment)
    if problem:
        raise Refused(problem)
    summary = open_draft(session, candidacy)
    edit = summary is not None
    if summary is None:
        latest = summary_of(session, candidacy)
        version = 1 if latest is None else latest.version + 1
        summary = PublicSummary(
            candidacy_id=candidacy.id,
            version=version,
            text="",
            drafted_by_id=actor.id,
            drafted_at=moment,
        )
    if summary.version == 1 and candidacy.stage is not Stage.FINDING_ADOPTED:
        raise Refused(
            "The first public summary is drafted once the finding is adopted, before publication."
        )
    if summary.version > 1 and candidacy.stage not in CORRECTABLE:
        raise Refused("A corrected version is drafted only after the summary was published.")
    corrigendum = data.corrigendum.strip()
    if summary.version > 1 and not corrigendum:
        raise Refused("A corrected version needs a corrigendum: say what changed and why.")
    summary.text = text
    summary.corrigendum = corrigendum if summary.version > 1 else None
    summary.embargo_until = data.embargo_until
    session.add(summary)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.SUMMARY_DRAFT,
        summary,
        {
            "version": summary.version,
            "edit": edit,
            "embargo_until": data.embargo_until.isoformat() if data.embargo_until else None,
            "corrigendum": bool(summary.corrigendum),
        },
    )
    return summary


def release_plan(
    session: Session, candidacy: Candidacy, draft: PublicSummary, *, now: datetime | None = None
) -> ReleasePlan:
    """When `draft` would be public if approved at `now`. A first version waits for the finding
    notices (kind finding_adopted, about this candidacy): none queued, or any dead, blocks it."""
    moment = now or utcnow()
    if draft.version > 1:
        return ReleasePlan(release_time(moment, draft.embargo_until, None))
    holidays = session.info.get(HOLIDAYS_KEY, frozenset())
    notices = list(
        session.scalars(
            sa.select(Notice)
            .where(
                Notice.kind == NoticeKind.FINDING_ADOPTED.value,
                Notice.candidacy_id == candidacy.id,
            )
            .order_by(Notice.id)
        )
    )
    if not notices:
        return ReleasePlan(
            None,
            "The finding was not sent to the candidate and the nominating State: "
            "it must reach them before the summary is published.",
        )
    dead = [n.to_address for n in notices if n.status is NoticeStatus.DEAD]
    if dead:
        return ReleasePlan(
            None,
            "The finding did not reach "
            + ", ".join(dead)
            + ": the mail must be resent first (administration, outbox), then approve again.",
        )
    notified_at = max(n.created_at for n in notices)
    return ReleasePlan(release_time(moment, draft.embargo_until, notified_at, holidays))


def approve_summary(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    *,
    seen: str | None = None,
    now: datetime | None = None,
) -> PublicSummary:
    """The second member's approval. `seen` is the digest of the draft as previewed: approval
    is refused when the draft changed since."""
    if not has_permission(actor.role, Permission.SUMMARY_PUBLISH):
        raise Refused("Only the secretariat approves publication.")
    _refuse_unless_open(candidacy)
    draft = open_draft(session, candidacy)
    if draft is None:
        raise Refused("There is no draft awaiting approval.")
    if not is_second_person(actor.id, authors_of(session, draft)):
        raise Refused(
            "Publication needs a second secretariat member: you drafted or edited this version."
        )
    if seen is not None and seen != digest_of(draft):
        raise Refused("The draft changed after you opened the preview: read it again.")
    moment = now or utcnow()
    plan = release_plan(session, candidacy, draft, now=moment)
    if plan.problem is not None or plan.release is None:
        raise Refused(plan.problem or "The release date cannot be set.")
    if draft.version == 1:
        # The stage turns at approval; the public sees the text only from published_at.
        transition(session, actor, candidacy, Action.PUBLISH)
    elif candidacy.stage not in CORRECTABLE:
        raise Refused("A corrected version is approved only after the summary was published.")
    draft.published_by_id = actor.id
    draft.approved_at = moment
    draft.published_at = plan.release
    session.flush()
    corrected = draft.version > 1
    audit.record(
        session,
        actor,
        AuditAction.SUMMARY_PUBLISH,
        draft,
        {"version": draft.version, "release": plan.release.isoformat(), "corrigendum": corrected},
    )
    # Right after the publication's entry, so the signed head covers it.
    draft.checkpoint_id = checkpoints.take(session).id
    session.flush()
    _tell(session, candidacy, draft, plan.release)
    return draft


def _tell(
    session: Session, candidacy: Candidacy, summary: PublicSummary, release: datetime
) -> None:
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    corrected = summary.version > 1
    kind = NoticeKind.SUMMARY_CORRECTED if corrected else NoticeKind.SUMMARY_PUBLISHED
    context: dict[str, object] = {
        "candidate": candidacy.full_name,
        "when": release.strftime("%Y-%m-%d %H:%M UTC"),
    }
    if corrected:
        context |= {"version": summary.version, "reason": summary.corrigendum or ""}
    for person in [candidate, *focal_points(session, candidacy.nominating_state_code)]:
        queue_notice(session, kind, to=person, context=context, about=candidacy.id)


def close_candidacy(session: Session, actor: User, candidacy: Candidacy) -> None:
    transition(session, actor, candidacy, Action.CLOSE)


# -- What the secretariat's pages read -----------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    summary: PublicSummary
    drafter: str
    approver: str | None
    checkpoint_seq: int | None


def version_rows(session: Session, candidacy: Candidacy) -> list[VersionRow]:
    """Every version with its drafter, approver and checkpoint, oldest first, in one query."""
    drafter, approver = aliased(User), aliased(User)
    rows = session.execute(
        sa.select(PublicSummary, drafter.full_name, approver.full_name, AuditCheckpoint.seq)
        .join(drafter, PublicSummary.drafted_by_id == drafter.id)
        .outerjoin(approver, PublicSummary.published_by_id == approver.id)
        .outerjoin(AuditCheckpoint, PublicSummary.checkpoint_id == AuditCheckpoint.id)
        .where(PublicSummary.candidacy_id == candidacy.id)
        .order_by(PublicSummary.version)
    )
    return [VersionRow(s, d, a, seq) for s, d, a, seq in rows]


@dataclass(frozen=True)
class PendingRow:
    summary: PublicSummary
    candidacy: Candidacy
    election: Election
    drafter: str
    approver: str | None


PENDING_LIMIT = 200


def _pending(session: Session, condition: sa.ColumnElement[bool]) -> list[PendingRow]:
    drafter, approver = aliased(User), aliased(User)
    rows = session.execute(
        sa.select(PublicSummary, Candidacy, Election, drafter.full_name, approver.full_name)
        .join(Candidacy, PublicSummary.candidacy_id == Candidacy.id)
        .join(Election, Candidacy.election_id == Election.id)
        .join(drafter, PublicSummary.drafted_by_id == drafter.id)
        .outerjoin(approver, PublicSummary.published_by_id == approver.id)
        .where(condition)
        .order_by(PublicSummary.drafted_at, PublicSummary.id)
        .limit(PENDING_LIMIT)
    )
    return [PendingRow(*row) for row in rows]


def awaiting_approval(session: Session) -> list[PendingRow]:
    """Open drafts across elections, oldest first: each waits for a second member."""
    return _pending(session, PublicSummary.approved_at.is_(None))


def awaiting_release(session: Session, *, now: datetime | None = None) -> list[PendingRow]:
    """Approved versions not public yet (embargo or lead time), across elections."""
    return _pending(session, summary_held_back(now))
