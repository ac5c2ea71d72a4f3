"""The notice outbox: notices are rows written with the change they announce."""

from vetting.notices.kinds import NoticeKind
from vetting.notices.outbox import queue_notice

__all__ = ["NoticeKind", "queue_notice"]
