"""Notices whose recipient is confidential: a reporter's address, given through the
confidential channel, is restricted material (vetting officers only).

The outbox row needs the address until the message is handed to the mail server; after that
(or once the notice is dead) the address is replaced by a marker, and a delivery error is kept
without its text, which may quote the address. Until then the staff's mail pages show the
marker instead of the address. The body itself names no candidate and repeats nothing of the
report (templates/notices/complaint_received/).
"""

from __future__ import annotations

from vetting.models import Notice
from vetting.notices.kinds import NoticeKind

WITHHELD_KINDS = frozenset({NoticeKind.COMPLAINT_RECEIVED.value})
WITHHELD = "[withheld: a reporter's address]"


def is_withheld(kind: str) -> bool:
    return kind in WITHHELD_KINDS


def shown_recipient(notice: Notice) -> str:
    """The recipient as staff may see it."""
    return WITHHELD if is_withheld(notice.kind) else notice.to_address


def forget_recipient(notice: Notice) -> None:
    """Called once the notice is sent or dead: the row no longer needs the address."""
    if is_withheld(notice.kind):
        notice.to_address = WITHHELD


def error_text(notice: Notice, exc: Exception) -> str:
    """What is kept of a failed delivery: mail errors often quote the recipient."""
    if is_withheld(notice.kind):
        return f"{type(exc).__name__} (details withheld: a reporter's address)"
    return f"{type(exc).__name__}: {exc}"[:2000]
