"""The published election report: drafted by one secretariat member, approved by another.

Each version's method and general observations are written by the secretariat; the rest (the
rubric, the panel, the timeline, each candidacy's summary finding) is composed from the record
at approval and frozen in the version's snapshot, as canonical JSON with its SHA-256. The public
pages render only that snapshot, so a published version never changes; a correction is a new
version with a corrigendum, and earlier versions stay readable. What is public at a moment is
decided by vetting.operations.published.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit, checkpoints
from vetting.domain import reports as rules
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.models import (
    AuditEntry,
    Candidacy,
    Criterion,
    Election,
    ElectionReport,
    EligibilityCheck,
    Finding,
    Interview,
    NominationExtension,
    PanelMembership,
    PublicSummary,
    State,
    User,
)
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.nominations import staff_with_role
from vetting.operations.published import current_summaries


@dataclass(frozen=True)
class ReportData:
    method: str
    observations: str
    corrigendum: str = ""
    embargo_until: datetime | None = None


def versions_of(session: Session, election: Election) -> list[ElectionReport]:
    """Every version of the election's report, drafts included, oldest first (staff only)."""
    return list(
        session.scalars(
            sa.select(ElectionReport)
            .where(ElectionReport.election_id == election.id)
            .order_by(ElectionReport.version)
        )
    )


def pending_draft(session: Session, election: Election) -> ElectionReport | None:
    """The version being drafted (not yet approved), if there is one."""
    versions = versions_of(session, election)
    if versions and versions[-1].approved_at is None:
        return versions[-1]
    return None


def editors_of(session: Session, report: ElectionReport) -> set[int]:
    """Everyone who wrote any part of this version: none of them may approve it."""
    editors = {report.drafted_by_id}
    entries = session.execute(
        sa.select(AuditEntry.actor_id, AuditEntry.data).where(
            AuditEntry.action == AuditAction.REPORT_DRAFT.value,
            AuditEntry.object_type == ElectionReport.__tablename__,
            AuditEntry.object_id == str(report.id),
        )
    )
    for actor_id, data in entries:
        if actor_id is not None:
            editors.add(actor_id)
        # An administrator acting as a member is recorded with {"as": the member's id}.
        acted_as = json.loads(data).get("as")
        if isinstance(acted_as, int):
            editors.add(acted_as)
    return editors


def digest_of(report: ElectionReport) -> str:
    """What the approver read on the preview: approval is refused when the draft changed
    since (another member saved it in between)."""
    embargo = report.embargo_until.isoformat() if report.embargo_until else ""
    parts = [str(report.version), report.method, report.observations, report.corrigendum or ""]
    material = "\x1f".join([*parts, embargo])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _secretariat_only(actor: User) -> None:
    if actor.role is not Role.SECRETARIAT:
        raise Refused("Only the secretariat writes and publishes the election report.")


def draft_report(
    session: Session, actor: User, election: Election, data: ReportData
) -> ElectionReport:
    """Write the pending draft, or start the next version (a corrigendum once one is out)."""
    _secretariat_only(actor)
    versions = versions_of(session, election)
    report = versions[-1] if versions and versions[-1].approved_at is None else None
    version = report.version if report is not None else len(versions) + 1
    text = rules.DraftText(data.method, data.observations, data.corrigendum)
    if problem := rules.draft_problem(version, text):
        raise Refused(problem)
    if data.embargo_until is not None and data.embargo_until.tzinfo is None:
        raise Refused("Give the embargo with its time zone.")
    if report is None:
        report = ElectionReport(
            election_id=election.id, version=version, method="", observations=""
        )
        report.drafted_by_id = actor.id
        session.add(report)
    report.method = data.method.strip()
    report.observations = data.observations.strip()
    report.corrigendum = data.corrigendum.strip() or None
    report.embargo_until = data.embargo_until
    report.drafted_by_id = actor.id
    report.drafted_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.REPORT_DRAFT,
        report,
        {
            "election_id": election.id,
            "version": version,
            "embargo_until": data.embargo_until.isoformat() if data.embargo_until else None,
        },
    )
    return report


@dataclass(frozen=True)
class Approval:
    """What approving the pending draft now would do: refused (with the reason) or released
    at `release`. The preview page shows this before the button is pressed."""

    report: ElectionReport | None
    refusal: str | None
    release: datetime | None
    candidacies: Sequence[Candidacy] = ()
    ineligible: frozenset[int] = frozenset()


def _ineligible_ids(session: Session, election: Election) -> frozenset[int]:
    return frozenset(
        session.scalars(
            sa.select(EligibilityCheck.candidacy_id)
            .join(Candidacy, Candidacy.id == EligibilityCheck.candidacy_id)
            .where(Candidacy.election_id == election.id, EligibilityCheck.passed.is_(False))
            .distinct()
        )
    )


def assess_approval(
    session: Session, actor: User | None, election: Election, *, now: datetime | None = None
) -> Approval:
    """Whether the pending draft may be approved (by `actor`, when given), and its release:
    not before its embargo, the previous version's release, nor the release of any summary it
    shows. Four queries whatever the number of candidacies."""
    moment = now or utcnow()
    versions = versions_of(session, election)
    report = versions[-1] if versions and versions[-1].approved_at is None else None
    if report is None:
        return Approval(None, "There is no draft of the report to approve.", None)
    if actor is not None and actor.id in editors_of(session, report):
        return Approval(
            report,
            "Publication needs a second secretariat member: you drafted or edited this version.",
            None,
        )
    candidacies = session.scalars(
        sa.select(Candidacy)
        .where(Candidacy.election_id == election.id)
        .order_by(Candidacy.full_name, Candidacy.id)
    ).all()
    ineligible = _ineligible_ids(session, election)
    # The latest release of every approved version of each summary (a later, approved
    # corrigendum included), so the report shows the newest approved text.
    releases: dict[int, datetime | None] = {
        candidacy_id: release
        for candidacy_id, release in session.execute(
            sa.select(PublicSummary.candidacy_id, sa.func.max(PublicSummary.published_at))
            .join(Candidacy, Candidacy.id == PublicSummary.candidacy_id)
            .where(Candidacy.election_id == election.id, PublicSummary.approved_at.is_not(None))
            .group_by(PublicSummary.candidacy_id)
        )
    }
    missing = rules.missing_summaries(
        rules.Standing(
            c.full_name,
            withdrawn=c.withdrawn_at is not None,
            ineligible=c.id in ineligible,
            summary_approved=c.id in releases,
        )
        for c in candidacies
    )
    if missing:
        return Approval(
            report,
            "Every standing candidacy needs an approved summary first; none yet for: "
            + ", ".join(missing)
            + ".",
            None,
            candidacies,
            ineligible,
        )
    previous = versions[-2] if len(versions) >= 2 else None
    release = rules.release_moment(
        moment,
        embargo_until=report.embargo_until,
        summary_releases=[r for r in releases.values() if r is not None],
        previous_release=previous.published_at if previous is not None else None,
    )
    return Approval(report, None, release, candidacies, ineligible)


@dataclass(frozen=True)
class Preview:
    """The pending draft as the public would read it once approved now, and whether `actor`
    may approve it (and if not, why)."""

    report: ElectionReport
    snapshot: dict[str, Any]
    release: datetime | None
    refusal: str | None


def preview_report(
    session: Session, actor: User, election: Election, *, now: datetime | None = None
) -> Preview | None:
    """Read only: None when there is no draft."""
    moment = now or utcnow()
    approval = assess_approval(session, None, election, now=moment)
    if approval.report is None:
        return None
    refusal = approval.refusal
    if refusal is None and actor.id in editors_of(session, approval.report):
        refusal = (
            "Publication needs a second secretariat member: you drafted or edited this version."
        )
    snapshot = compose_snapshot(
        session,
        election,
        approval.report,
        release=approval.release or moment,
        candidacies=approval.candidacies,
        ineligible=approval.ineligible,
    )
    return Preview(approval.report, snapshot, approval.release, refusal)


def approve_report(
    session: Session,
    actor: User,
    election: Election,
    *,
    seen: str | None = None,
    now: datetime | None = None,
    base_url: str = "",
) -> ElectionReport:
    """Approve the pending draft: freeze its snapshot, record it with its hash, sign the audit
    chain's head, and tell every State's focal points when it is public. `seen` is the digest
    of the draft as previewed."""
    _secretariat_only(actor)
    moment = now or utcnow()
    approval = assess_approval(session, actor, election, now=moment)
    if approval.refusal is not None:
        raise Refused(approval.refusal)
    report, release = approval.report, approval.release
    assert report is not None and release is not None
    if seen is not None and seen != digest_of(report):
        raise Refused("The draft changed after you opened the preview: read it again.")
    snapshot = compose_snapshot(
        session,
        election,
        report,
        release=release,
        candidacies=approval.candidacies,
        ineligible=approval.ineligible,
    )
    text = audit.canonical(snapshot)
    report.snapshot = text
    report.snapshot_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    report.published_by_id = actor.id
    report.approved_at = moment
    report.published_at = release
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.REPORT_PUBLISH,
        report,
        {
            "election_id": election.id,
            "version": report.version,
            "published_at": release.isoformat(),
            "snapshot_sha256": report.snapshot_sha256,
        },
    )
    report.checkpoint_id = checkpoints.take(session).id
    context = {
        "election": election.title,
        "when": release.strftime("%Y-%m-%d %H:%M UTC"),
        "link": f"{base_url.rstrip('/')}/elections/{election.id}/vetting-report",
    }
    for focal_point in staff_with_role(session, Role.FOCAL_POINT):
        queue_notice(session, NoticeKind.REPORT_PUBLISHED, to=focal_point, context=context)
    session.flush()
    return report


def compose_snapshot(
    session: Session,
    election: Election,
    report: ElectionReport,
    *,
    release: datetime,
    candidacies: Sequence[Candidacy],
    ineligible: frozenset[int],
) -> dict[str, Any]:
    """The report as it will be published: one query per part, whatever the election's size."""
    criteria = session.scalars(
        sa.select(Criterion)
        .where(Criterion.election_id == election.id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    panel = session.execute(
        sa.select(User, State.regional_group)
        .join(PanelMembership, PanelMembership.member_id == User.id)
        .outerjoin(State, State.code == User.state_code)
        .where(PanelMembership.election_id == election.id)
        .order_by(User.full_name, User.id)
    ).all()
    extensions = session.execute(
        sa.select(NominationExtension.extended_at, NominationExtension.reason)
        .where(NominationExtension.election_id == election.id)
        .order_by(NominationExtension.number)
    ).all()
    ids = [c.id for c in candidacies]
    # Interviews held: those of candidacies on which a finding was then adopted.
    interview_days = session.scalars(
        sa.select(Interview.scheduled_at)
        .join(Finding, Finding.candidacy_id == Interview.candidacy_id)
        .where(Interview.candidacy_id.in_(ids))
    ).all()
    finding_days = session.scalars(
        sa.select(Finding.adopted_at).where(Finding.candidacy_id.in_(ids))
    ).all()
    earlier = session.execute(
        sa.select(ElectionReport.published_at, ElectionReport.version).where(
            ElectionReport.election_id == election.id,
            ElectionReport.version < report.version,
            ElectionReport.published_at.is_not(None),
        )
    ).all()
    summaries = current_summaries(session, ids, now=release)
    return {
        "format": rules.SNAPSHOT_FORMAT,
        "election": {
            "id": election.id,
            "title": election.title,
            "office": election.office.value,
            "seats": election.seats,
            "nomination_opens": election.nomination_opens.isoformat(),
            "nomination_closes": election.nomination_closes.isoformat(),
            "vote_date": election.vote_date.isoformat() if election.vote_date else None,
        },
        "method": report.method,
        "observations": report.observations,
        "rubric": [
            {
                "code": c.code,
                "title": c.title,
                "weight": c.weight,
                "phase": c.phase.value,
                "allows_na": c.allows_na,
                "descriptors": [c.descriptor_1, c.descriptor_2, c.descriptor_3, c.descriptor_4],
            }
            for c in criteria
        ],
        "panel": [
            {
                "name": user.full_name,
                "nationality": user.state_code,
                "regional_group": group.value if group is not None else None,
                "chair": user.role is Role.PANEL_CHAIR,
            }
            # The chair first, then the members by name.
            for user, group in sorted(panel, key=lambda row: row[0].role is not Role.PANEL_CHAIR)
        ],
        "panel_gender": rules.panel_gender(
            user.gender.value if user.gender is not None else None for user, _ in panel
        ),
        "timeline": rules.timeline(
            rules.TimelineFacts(
                nomination_opens=election.nomination_opens,
                nomination_closes=election.nomination_closes,
                extensions=tuple((at.date(), reason) for at, reason in extensions),
                channel_opens=election.channel_opens,
                channel_closes=election.channel_closes,
                interview_dates=tuple(at.date() for at in interview_days),
                finding_dates=tuple(at.date() for at in finding_days),
                report_releases=(
                    *sorted((at.date(), version) for at, version in earlier if at is not None),
                    (release.date(), report.version),
                ),
                vote_date=election.vote_date,
            )
        ),
        "candidacies": [_candidacy(c, ineligible, summaries.get(c.id)) for c in candidacies],
    }


def _candidacy(
    candidacy: Candidacy, ineligible: frozenset[int], summary: PublicSummary | None
) -> dict[str, Any]:
    return {
        "public_id": candidacy.public_id,
        "name": candidacy.full_name,
        "nationality": candidacy.nationality_code,
        "nominating_state": candidacy.nominating_state_code,
        "list": candidacy.judge_list.value,
        "status": rules.candidacy_status(
            withdrawn=candidacy.withdrawn_at is not None,
            ineligible=candidacy.id in ineligible,
        ),
        "withdrawn_on": candidacy.withdrawn_at.date().isoformat()
        if candidacy.withdrawn_at is not None
        else None,
        "summary": {
            "version": summary.version,
            "text": summary.text,
            "published_at": summary.published_at.isoformat()
            if summary.published_at is not None
            else None,
            "corrigendum": summary.corrigendum,
        }
        if summary is not None
        else None,
    }


def snapshot_of(report: ElectionReport) -> dict[str, Any]:
    """A published version's frozen snapshot, read back."""
    if report.snapshot is None:
        raise ValueError("This version has not been approved: it has no snapshot.")
    value = json.loads(report.snapshot)
    assert isinstance(value, dict)
    return value
