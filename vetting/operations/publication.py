from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Action, Stage
from vetting.models import Candidacy, PublicSummary, User
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused
from vetting.operations.nominations import focal_points
from vetting.operations.workflow import transition


def summary_of(session: Session, candidacy: Candidacy) -> PublicSummary | None:
    return session.scalar(
        sa.select(PublicSummary).where(PublicSummary.candidacy_id == candidacy.id)
    )


def draft_summary(session: Session, actor: User, candidacy: Candidacy, *, text: str) -> None:
    if candidacy.stage is not Stage.FINDING_ADOPTED:
        raise Refused(
            "A public summary is drafted once the finding is adopted, before publication."
        )
    if not text.strip():
        raise Refused("The summary cannot be empty.")
    summary = summary_of(session, candidacy)
    if summary is None:
        summary = PublicSummary(candidacy_id=candidacy.id, text="", drafted_by_id=actor.id)
        session.add(summary)
    summary.text = text.strip()
    summary.drafted_by_id = actor.id
    summary.drafted_at = utcnow()
    session.flush()
    audit.record(session, actor, AuditAction.SUMMARY_DRAFT, summary)


def publish_summary(session: Session, actor: User, candidacy: Candidacy) -> None:
    """Two-person rule: the publisher is a second secretariat member, never the drafter."""
    if actor.role is not Role.SECRETARIAT:
        raise Refused("Only the secretariat publishes.")
    summary = summary_of(session, candidacy)
    if summary is not None and summary.drafted_by_id == actor.id:
        raise Refused("Publication needs a second secretariat member: you drafted this summary.")
    transition(session, actor, candidacy, Action.PUBLISH)
    assert summary is not None
    summary.published_by_id = actor.id
    summary.published_at = utcnow()
    audit.record(session, actor, AuditAction.SUMMARY_PUBLISH, summary)
    candidate = session.get(User, candidacy.candidate_user_id)
    assert candidate is not None
    context = {"candidate": candidacy.full_name}
    queue_notice(session, NoticeKind.SUMMARY_PUBLISHED, to=candidate, context=context)
    for focal_point in focal_points(session, candidacy.nominating_state_code):
        queue_notice(session, NoticeKind.SUMMARY_PUBLISHED, to=focal_point, context=context)


def close_candidacy(session: Session, actor: User, candidacy: Candidacy) -> None:
    transition(session, actor, candidacy, Action.CLOSE)
