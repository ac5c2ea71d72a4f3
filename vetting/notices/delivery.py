"""Delivering one notice: claim the row, send with its stable Message-ID, mark it sent.

At least once to the mail server, never twice for the same notice while a claim is live:
the claim is a conditional UPDATE, so a second job for the same notice (a sweeper re-enqueue,
an RQ retry) finds nothing to claim. A claim older than the stale limit is taken over, which
covers a worker killed in the middle of a delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.models import Notice, NoticeStatus, User
from vetting.models.base import utcnow
from vetting.notices.confidential import error_text, forget_recipient
from vetting.notices.kinds import NoticeKind
from vetting.notices.mailers import Mailer, build_message
from vetting.notices.outbox import queue_notice

log = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min ... capped at 6 hours."""
    return timedelta(seconds=min(30 * 4 ** max(attempts - 1, 0), 6 * 3600))


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "retry", "dead", "skipped"
    retry_in: timedelta | None = None


def _claim(session: Session, notice_id: int, now: datetime, stale_after: timedelta) -> bool:
    stmt = (
        sa.update(Notice)
        .where(Notice.id == notice_id)
        .where(
            sa.or_(
                sa.and_(Notice.status == NoticeStatus.PENDING, Notice.next_attempt_at <= now),
                sa.and_(
                    Notice.status == NoticeStatus.SENDING,
                    Notice.claimed_at < now - stale_after,
                ),
            )
        )
        .values(status=NoticeStatus.SENDING, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined,no-any-return]


def deliver(
    sessionmaker: Callable[[], Session],
    notice_id: int,
    mailer: Mailer,
    *,
    sender: str,
    max_attempts: int,
    stale_after: timedelta,
    now: Callable[[], datetime] = utcnow,
) -> Outcome:
    with sessionmaker() as session:
        claimed = _claim(session, notice_id, now(), stale_after)
        session.commit()
        if not claimed:
            return Outcome("skipped")
        notice = session.get(Notice, notice_id)
        assert notice is not None
        message = build_message(notice, sender)
        session.commit()
        try:
            mailer.send(message)
        except Exception as exc:  # noqa: BLE001 - any failure of the mail path is retried
            return _record_failure(session, notice_id, exc, max_attempts, now())
        notice = session.get(Notice, notice_id, populate_existing=True)
        assert notice is not None
        notice.status = NoticeStatus.SENT
        notice.attempts += 1
        notice.sent_at = now()
        notice.last_error = None
        forget_recipient(notice)
        session.commit()
        return Outcome("sent")


def _record_failure(
    session: Session, notice_id: int, exc: Exception, max_attempts: int, now: datetime
) -> Outcome:
    notice = session.get(Notice, notice_id, populate_existing=True)
    assert notice is not None
    notice.attempts += 1
    notice.last_error = error_text(notice, exc)
    notice.claimed_at = None
    if notice.attempts >= max_attempts:
        notice.status = NoticeStatus.DEAD
        forget_recipient(notice)
        audit.record(
            session,
            None,
            AuditAction.NOTICE_DEAD,
            notice,
            {"kind": notice.kind, "attempts": notice.attempts},
        )
        _alert_admins(session, notice)
        session.commit()
        log.error("notice %s is dead after %s attempts: %s", notice_id, notice.attempts, exc)
        return Outcome("dead")
    delay = backoff(notice.attempts)
    notice.status = NoticeStatus.PENDING
    notice.next_attempt_at = now + delay
    session.commit()
    log.warning("notice %s failed (attempt %s), retrying in %s", notice_id, notice.attempts, delay)
    return Outcome("retry", delay)


def _alert_admins(session: Session, dead: Notice) -> None:
    """Tell the administrators, by mail and in their inbox, that a notice is dead.

    An alert that dies itself raises no further alert, so a broken mail server cannot make
    the notices multiply.
    """
    if dead.kind == NoticeKind.DELIVERY_FAILED.value:
        return
    admins = session.scalars(
        sa.select(User).where(User.role == Role.ADMIN, User.active).order_by(User.id)
    )
    for admin in admins:
        queue_notice(
            session,
            NoticeKind.DELIVERY_FAILED,
            to=admin,
            context={"notice_id": dead.id, "attempts": dead.attempts},
        )


def due_for_sweep(
    session: Session,
    *,
    now: datetime,
    lost_after: timedelta,
    stale_after: timedelta,
    limit: int = 500,
) -> list[int]:
    """Notices whose job was probably lost: due and pending for a while, or with a stale claim."""
    stmt = (
        sa.select(Notice.id)
        .where(
            sa.or_(
                sa.and_(
                    Notice.status == NoticeStatus.PENDING,
                    Notice.next_attempt_at <= now - lost_after,
                ),
                sa.and_(
                    Notice.status == NoticeStatus.SENDING,
                    Notice.claimed_at < now - stale_after,
                ),
            )
        )
        .order_by(Notice.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))
