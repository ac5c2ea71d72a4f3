"""The only code that changes state. Each operation is a verb taking (session, actor, target,
data); it checks the domain rules, changes the models, records the audit entry and queues the
notices in the caller's transaction. None of them commits."""

from vetting.operations.errors import Refused

__all__ = ["Refused"]
