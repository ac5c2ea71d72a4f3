"""Writing notices in the caller's transaction, and handing them to the queue after commit.

A listener on every Session collects the ids of notices flushed in a transaction; after the
commit it passes them to the dispatcher the application put in `session.info`, and after a
rollback it forgets them, so nothing is announced that did not happen.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting.models import Notice, User
from vetting.notices.kinds import NoticeKind
from vetting.notices.rendering import render

DISPATCHER_KEY = "notice_dispatcher"
PENDING_KEY = "notice_ids_pending"
MESSAGE_ID_DOMAIN = "vetting.invalid"

Dispatcher = Callable[[Iterable[int]], None]


def queue_notice(
    session: Session,
    kind: NoticeKind,
    *,
    to: User | str,
    context: dict[str, Any] | None = None,
    language: str | None = None,
    about: int | None = None,
) -> Notice:
    """Add a notice row (rendered now, so what is sent is what was decided). `about` is the id
    of the candidacy the notice concerns, where its delivery time matters later."""
    user = to if isinstance(to, User) else None
    address = to.email if isinstance(to, User) else to
    lang = language or (user.language if user is not None else "en")
    subject, body = render(kind, lang, dict(context or {}))
    notice = Notice(
        kind=kind.value,
        recipient_user_id=user.id if user is not None else None,
        candidacy_id=about,
        to_address=address,
        language=lang,
        subject=subject,
        body=body,
        message_id=f"<notice.{uuid.uuid4().hex}@{MESSAGE_ID_DOMAIN}>",
    )
    session.add(notice)
    session.flush()
    return notice


@sa.event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: Any) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, Notice)]
    if ids:
        session.info.setdefault(PENDING_KEY, []).extend(ids)


@sa.event.listens_for(Session, "after_commit")
def _dispatch(session: Session) -> None:
    ids = session.info.pop(PENDING_KEY, None)
    dispatcher: Dispatcher | None = session.info.get(DISPATCHER_KEY)
    if ids and dispatcher is not None:
        dispatcher(list(ids))


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(PENDING_KEY, None)
