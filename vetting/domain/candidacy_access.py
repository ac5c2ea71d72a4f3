"""Who may act on a candidacy from outside the panel: the candidate, the nominating State.

Anything these predicates refuse is answered with 404 by the web layer, so that the existence
of another person's candidacy does not leak.
"""

from __future__ import annotations

from vetting.domain.policy import Relation
from vetting.domain.roles import Role
from vetting.domain.stages import Stage


def is_own_candidate(rel: Relation) -> bool:
    """The candidate themself, and nobody acting for them."""
    return rel.role is Role.CANDIDATE and rel.is_own_candidacy


def is_nominating_focal_point(rel: Relation) -> bool:
    return rel.role is Role.FOCAL_POINT and rel.is_nominating_state


def can_request_withdrawal(rel: Relation) -> bool:
    """The candidate, the nominating State, or the secretariat on their written request."""
    return is_own_candidate(rel) or is_nominating_focal_point(rel) or rel.role is Role.SECRETARIAT


# Stages at which an adopted finding exists for the candidate and the nominating State to read:
# they receive it before publication (domain.md, "Notices"). A candidacy withdrawn after
# adoption keeps its finding; one withdrawn before has none to show.
_FINDING_STAGES = frozenset({Stage.FINDING_ADOPTED, Stage.PUBLISHED, Stage.CLOSED, Stage.WITHDRAWN})


def finding_is_communicated(stage: Stage) -> bool:
    return stage in _FINDING_STAGES


def awaits_reply(stage: Stage, notice_sent: bool, replied: bool) -> bool:
    """An adverse notice is out and the candidate has not yet answered it."""
    return stage is Stage.REPLY_PENDING and notice_sent and not replied


def questionnaire_is_open(stage: Stage) -> bool:
    """The candidate answers only while the candidacy is at the questionnaire stage."""
    return stage is Stage.QUESTIONNAIRE
