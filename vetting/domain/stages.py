"""The stages of a candidacy and the one transition table that moves between them.

Due diligence is not a stage: it runs in parallel from nomination and must be closed (an
integrity outcome recorded) before deliberation opens, so it appears here as a guard.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from vetting.domain.roles import Role


class Stage(enum.Enum):
    NOMINATED = "nominated"
    QUESTIONNAIRE = "questionnaire"
    PAPER_SCORING = "paper_scoring"
    INTERVIEW = "interview"
    DELIBERATION = "deliberation"
    REPLY_PENDING = "reply_pending"
    FINDING_ADOPTED = "finding_adopted"
    PUBLISHED = "published"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def is_terminal(self) -> bool:
        return self in (Stage.CLOSED, Stage.WITHDRAWN)


class Action(enum.Enum):
    PASS_ELIGIBILITY = "pass_eligibility"  # noqa: S105 - not a password
    FAIL_ELIGIBILITY = "fail_eligibility"
    SUBMIT_QUESTIONNAIRE = "submit_questionnaire"
    INVITE_TO_INTERVIEW = "invite_to_interview"
    OPEN_DELIBERATION = "open_deliberation"
    SEND_ADVERSE_NOTICE = "send_adverse_notice"
    RECORD_REPLY = "record_reply"
    ADOPT_FINDING = "adopt_finding"
    PUBLISH = "publish"
    CLOSE = "close"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class CandidacyFacts:
    """What the guards need to know about a candidacy, gathered by the operation."""

    assigned_reviewers: int = 0
    undeclared_reviewers: int = 0
    # Cleared reviewers who have not locked the paper phase (0 when the rubric has none).
    unlocked_reviewers: int = 0
    # The rubric's criteria scored after the interview, and who has not locked that phase.
    has_post_interview_criteria: bool = False
    interview_unlocked_reviewers: int = 0
    # Whether the person asking is one of the unlocked reviewers: they are then told to lock
    # their own scores, not how many others have locked (which they may not know before).
    actor_unlocked: bool = False
    actor_interview_unlocked: bool = False
    due_diligence_closed: bool = False
    integrity_adverse: bool = False
    adverse_notice_sent: bool = False
    reply_received: bool = False
    # The panel (its chair) has recorded that it read the candidate's reply.
    reply_read: bool = False
    reply_window_expired: bool = False
    summary_drafted: bool = False


class TransitionRefused(Exception):
    """A rule refuses the transition; the message says which, in words for the user."""


Guard = Callable[[CandidacyFacts], str | None]


def _scoring_complete(f: CandidacyFacts) -> str | None:
    """The paper phase: every cleared reviewer has declared and locked it."""
    if f.assigned_reviewers == 0:
        return "No reviewer is assigned to this candidacy."
    if f.undeclared_reviewers:
        return f"{f.undeclared_reviewers} reviewer(s) have not declared their conflicts."
    if f.actor_unlocked:
        return "You have not locked your own scores yet."
    if f.unlocked_reviewers:
        return f"{f.unlocked_reviewers} reviewer(s) have not locked their scores."
    return None


def _interview_scoring_complete(f: CandidacyFacts) -> str | None:
    """Both phases, when the rubric has criteria scored after the interview."""
    if reason := _scoring_complete(f):
        return reason
    if not f.has_post_interview_criteria:
        return None
    if f.actor_interview_unlocked:
        return "You have not locked your own scores after the interview yet."
    if f.interview_unlocked_reviewers:
        return (
            f"{f.interview_unlocked_reviewers} reviewer(s) have not locked their scores after "
            "the interview."
        )
    return None


def _ready_for_deliberation(f: CandidacyFacts) -> str | None:
    """From the interview: due diligence closed, and both phases locked by everyone."""
    if not f.due_diligence_closed:
        return "Due diligence is not closed: the vetting officer has not recorded an outcome."
    return _interview_scoring_complete(f)


def _ready_without_interview(f: CandidacyFacts) -> str | None:
    """Straight from the papers: only when the rubric scores nothing after an interview."""
    if not f.due_diligence_closed:
        return "Due diligence is not closed: the vetting officer has not recorded an outcome."
    if f.has_post_interview_criteria:
        return (
            "The rubric has criteria scored after the interview: invite the candidate to an "
            "interview before deliberation opens."
        )
    return _scoring_complete(f)


def _adverse_outcome(f: CandidacyFacts) -> str | None:
    if not f.integrity_adverse:
        return "An adverse notice needs an adverse integrity outcome."
    if f.adverse_notice_sent:
        return "An adverse notice was already sent."
    return None


def _reply_in(f: CandidacyFacts) -> str | None:
    if not f.adverse_notice_sent:
        return "No adverse notice was sent."
    return None


def _may_adopt(f: CandidacyFacts) -> str | None:
    if f.integrity_adverse:
        if not f.adverse_notice_sent:
            return (
                "The integrity outcome is adverse: the candidate must first receive an adverse "
                "notice and have the chance to reply."
            )
        if f.reply_received and not f.reply_read:
            return (
                "The candidate has replied: the panel must record that it has read the reply "
                "before it adopts a finding."
            )
        if not (f.reply_received or f.reply_window_expired):
            return "The candidate's reply window is still open and no reply has been received."
    return None


def _may_publish(f: CandidacyFacts) -> str | None:
    if not f.summary_drafted:
        return "No public summary has been drafted."
    return None


@dataclass(frozen=True)
class Transition:
    source: Stage
    action: Action
    target: Stage
    roles: frozenset[Role]
    guard: Guard | None = None


_SEC = frozenset({Role.SECRETARIAT})
_CHAIR = frozenset({Role.PANEL_CHAIR})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Stage.NOMINATED, Action.PASS_ELIGIBILITY, Stage.QUESTIONNAIRE, _SEC),
    Transition(Stage.NOMINATED, Action.FAIL_ELIGIBILITY, Stage.CLOSED, _SEC),
    Transition(
        Stage.QUESTIONNAIRE,
        Action.SUBMIT_QUESTIONNAIRE,
        Stage.PAPER_SCORING,
        frozenset({Role.CANDIDATE}),
    ),
    Transition(
        Stage.PAPER_SCORING, Action.INVITE_TO_INTERVIEW, Stage.INTERVIEW, _CHAIR, _scoring_complete
    ),
    Transition(
        Stage.PAPER_SCORING,
        Action.OPEN_DELIBERATION,
        Stage.DELIBERATION,
        _CHAIR,
        _ready_without_interview,
    ),
    Transition(
        Stage.INTERVIEW,
        Action.OPEN_DELIBERATION,
        Stage.DELIBERATION,
        _CHAIR,
        _ready_for_deliberation,
    ),
    Transition(
        Stage.DELIBERATION,
        Action.SEND_ADVERSE_NOTICE,
        Stage.REPLY_PENDING,
        _CHAIR,
        _adverse_outcome,
    ),
    Transition(
        Stage.REPLY_PENDING,
        Action.RECORD_REPLY,
        Stage.DELIBERATION,
        frozenset({Role.CANDIDATE}),
        _reply_in,
    ),
    Transition(Stage.DELIBERATION, Action.ADOPT_FINDING, Stage.FINDING_ADOPTED, _CHAIR, _may_adopt),
    Transition(
        Stage.REPLY_PENDING, Action.ADOPT_FINDING, Stage.FINDING_ADOPTED, _CHAIR, _may_adopt
    ),
    Transition(Stage.FINDING_ADOPTED, Action.PUBLISH, Stage.PUBLISHED, _SEC, _may_publish),
    Transition(Stage.PUBLISHED, Action.CLOSE, Stage.CLOSED, _SEC),
)

# Withdrawal is possible from every stage that is not terminal, by the candidate, the
# nominating State or the secretariat acting on their written request.
WITHDRAWERS = frozenset({Role.CANDIDATE, Role.FOCAL_POINT, Role.SECRETARIAT})
TRANSITIONS = TRANSITIONS + tuple(
    Transition(stage, Action.WITHDRAW, Stage.WITHDRAWN, WITHDRAWERS)
    for stage in Stage
    if not stage.is_terminal
)

_TABLE: dict[tuple[Stage, Action], Transition] = {(t.source, t.action): t for t in TRANSITIONS}


def find_transition(stage: Stage, action: Action) -> Transition | None:
    return _TABLE.get((stage, action))


def check_transition(
    stage: Stage, action: Action, role: Role, facts: CandidacyFacts | None = None
) -> Stage:
    """Return the target stage, or raise TransitionRefused saying why not."""
    transition = find_transition(stage, action)
    if transition is None:
        raise TransitionRefused(
            f"'{action.value}' is not possible while the candidacy is at stage '{stage.value}'."
        )
    if role not in transition.roles:
        raise TransitionRefused(f"The role '{role.value}' may not '{action.value}'.")
    if transition.guard is not None:
        reason = transition.guard(facts or CandidacyFacts())
        if reason is not None:
            raise TransitionRefused(reason)
    return transition.target


def available_actions(stage: Stage, role: Role) -> list[Action]:
    return [t.action for t in TRANSITIONS if t.source is stage and role in t.roles]
