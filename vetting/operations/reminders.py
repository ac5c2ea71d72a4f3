"""The questionnaire's deadline: set when the questionnaire opens, extended by the secretariat
with a recorded reason, and the reminders to the candidate (14 and 3 days before, 1 day after).

Reminders are planned as background jobs at the day each is due (vetting.jobs), and a sweep
(`send_due_reminders`, the `vetting send-reminders` command and an hourly job) sends whatever is
due that was not sent. Both go through `send_reminder`, which decides at run time: a submitted,
withdrawn or extended questionnaire makes a planned reminder stale, and `ReminderSent` (unique
per candidacy, kind and deadline) makes each reminder go out once, however often they run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from vetting import audit
from vetting.domain import questionnaire as rules
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ReminderKind
from vetting.models import (
    Candidacy,
    DeadlineExtension,
    Election,
    QuestionnaireResponse,
    ReminderSent,
    StageChange,
    User,
)
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.operations.errors import Refused

# session.info keys the application sets (vetting/__init__.py): the number of days a
# questionnaire is open, and the planner that turns reminders into scheduled jobs after commit.
DUE_DAYS_KEY = "questionnaire_due_days"
PLANNER_KEY = "reminder_planner"
_PLANS_KEY = "reminder_plans_pending"
# Reminders go out in the morning (UTC) of their day.
SEND_AT = time(8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Plan:
    candidacy_id: int
    kind: ReminderKind
    due_on: date
    run_at: datetime


Planner = Callable[[list[Plan]], None]


class InvalidExtension(Refused):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def today() -> date:
    return utcnow().date()


def due_days(session: Session) -> int:
    days = session.info.get(DUE_DAYS_KEY)
    return int(days) if days else rules.DEFAULT_DUE_DAYS


def plan_reminders(session: Session, candidacy: Candidacy) -> list[Plan]:
    """Queue this deadline's reminders for scheduling once the transaction commits."""
    due_on = candidacy.questionnaire_due_on
    if due_on is None:
        return []
    plans = [
        Plan(candidacy.id, kind, due_on, datetime.combine(day, SEND_AT))
        for kind, day in rules.reminder_dates(due_on).items()
    ]
    session.info.setdefault(_PLANS_KEY, []).extend(plans)
    return plans


@sa.event.listens_for(Session, "after_commit")
def _schedule(session: Session) -> None:
    plans = session.info.pop(_PLANS_KEY, None)
    planner: Planner | None = session.info.get(PLANNER_KEY)
    if plans and planner is not None:
        planner(list(plans))


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(_PLANS_KEY, None)


def opened_on(session: Session, candidacy: Candidacy) -> date:
    """The day the questionnaire opened: the last move into the questionnaire stage."""
    moved = session.scalar(
        sa.select(sa.func.max(StageChange.at)).where(
            StageChange.candidacy_id == candidacy.id,
            StageChange.to_stage == Stage.QUESTIONNAIRE,
        )
    )
    return moved.date() if moved is not None else today()


def ensure_deadline(session: Session, candidacy: Candidacy, actor: User | None = None) -> None:
    """Set the default deadline of an open questionnaire that has none (it opens now, or opened
    before deadlines existed), and plan its reminders."""
    if candidacy.stage is not Stage.QUESTIONNAIRE or candidacy.questionnaire_due_on is not None:
        return
    due_on = rules.default_due_on(opened_on(session, candidacy), due_days(session))
    candidacy.questionnaire_due_on = due_on
    audit.record(
        session, actor, AuditAction.DEADLINE_SET, candidacy, {"due_on": due_on.isoformat()}
    )
    plan_reminders(session, candidacy)


def _submitted(session: Session, candidacy_id: int) -> bool:
    return bool(
        session.scalar(
            sa.select(sa.func.count(QuestionnaireResponse.id)).where(
                QuestionnaireResponse.candidacy_id == candidacy_id,
                QuestionnaireResponse.submitted_at.is_not(None),
            )
        )
    )


def extend_deadline(
    session: Session,
    actor: User,
    candidacy: Candidacy,
    *,
    new_due_on: date | None,
    reason: str,
) -> DeadlineExtension:
    if actor.role is not Role.SECRETARIAT:
        raise Refused("Only the secretariat grants an extension.")
    if candidacy.stage is not Stage.QUESTIONNAIRE or _submitted(session, candidacy.id):
        raise Refused("Only an open questionnaire, not yet submitted, has a deadline to extend.")
    reason = reason.strip()
    problems = rules.check_extension(candidacy.questionnaire_due_on, new_due_on, reason, today())
    if problems:
        raise InvalidExtension(problems)
    assert new_due_on is not None
    extension = DeadlineExtension(
        candidacy_id=candidacy.id,
        previous_due_on=candidacy.questionnaire_due_on,
        new_due_on=new_due_on,
        reason=reason,
        granted_by_id=actor.id,
    )
    session.add(extension)
    previous = candidacy.questionnaire_due_on
    candidacy.questionnaire_due_on = new_due_on
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.DEADLINE_EXTEND,
        candidacy,
        {
            "from": previous.isoformat() if previous else None,
            "to": new_due_on.isoformat(),
            "reason": reason,
        },
    )
    candidate = session.get(User, candidacy.candidate_user_id)
    if candidate is not None:
        queue_notice(
            session,
            NoticeKind.DEADLINE_EXTENDED,
            to=candidate,
            context={
                "candidate": candidacy.full_name,
                "due_on": new_due_on.isoformat(),
                "reason": reason,
            },
        )
    plan_reminders(session, candidacy)
    return extension


def extensions_of(session: Session, candidacy_id: int) -> list[DeadlineExtension]:
    return list(
        session.scalars(
            sa.select(DeadlineExtension)
            .where(DeadlineExtension.candidacy_id == candidacy_id)
            .order_by(DeadlineExtension.granted_at, DeadlineExtension.id)
        )
    )


def _sent(session: Session, pairs: Iterable[tuple[int, date]]) -> dict[int, set[ReminderKind]]:
    """The reminders already sent for each candidacy's current deadline, in one statement."""
    wanted = dict(pairs)
    if not wanted:
        return {}
    rows = session.execute(
        sa.select(ReminderSent.candidacy_id, ReminderSent.kind, ReminderSent.due_on).where(
            ReminderSent.candidacy_id.in_(list(wanted))
        )
    ).all()
    sent: dict[int, set[ReminderKind]] = {cid: set() for cid in wanted}
    for candidacy_id, kind, due_on in rows:
        if wanted.get(candidacy_id) == due_on:
            sent[candidacy_id].add(kind)
    return sent


def send_reminder(
    session: Session, candidacy_id: int, kind: ReminderKind, due_on: date, on: date | None = None
) -> bool:
    """Send this reminder if it is still right to send it today; True when sent. Stale plans
    (submitted, withdrawn, deadline moved, already sent, not yet or no longer due) do nothing."""
    day = on or today()
    candidacy = session.get(Candidacy, candidacy_id)
    if candidacy is None or candidacy.stage is not Stage.QUESTIONNAIRE:
        return False
    if candidacy.withdrawn_at is not None or candidacy.questionnaire_due_on != due_on:
        return False
    if _submitted(session, candidacy.id):
        return False
    sent = _sent(session, [(candidacy.id, due_on)]).get(candidacy.id, set())
    if rules.reminder_due(due_on, day, sent) is not kind:
        return False
    _send(session, candidacy, kind, due_on, day)
    return True


def _send(
    session: Session, candidacy: Candidacy, kind: ReminderKind, due_on: date, day: date
) -> None:
    session.add(ReminderSent(candidacy_id=candidacy.id, kind=kind, due_on=due_on))
    session.flush()
    candidate = session.get(User, candidacy.candidate_user_id)
    if candidate is not None:
        queue_notice(
            session,
            NoticeKind.QUESTIONNAIRE_DUE,
            to=candidate,
            context={
                "candidate": candidacy.full_name,
                "due_on": due_on.isoformat(),
                "days": max((due_on - day).days, 0),
                "overdue": day > due_on,
            },
        )
    audit.record(
        session,
        None,
        AuditAction.DEADLINE_REMIND,
        candidacy,
        {"kind": kind.value, "due_on": due_on.isoformat()},
    )


def send_due_reminders(session: Session, on: date | None = None) -> int:
    """The sweep: every open questionnaire gets a deadline if it has none, and whatever
    reminder is due today and not yet sent goes out. Safe to run as often as one likes."""
    day = on or today()
    open_ones = session.scalars(
        sa.select(Candidacy)
        .where(
            Candidacy.stage == Stage.QUESTIONNAIRE,
            Candidacy.withdrawn_at.is_(None),
            ~sa.exists().where(
                QuestionnaireResponse.candidacy_id == Candidacy.id,
                QuestionnaireResponse.submitted_at.is_not(None),
            ),
        )
        .order_by(Candidacy.id)
    ).all()
    for candidacy in open_ones:
        ensure_deadline(session, candidacy)
    sent = _sent(
        session,
        [(c.id, c.questionnaire_due_on) for c in open_ones if c.questionnaire_due_on is not None],
    )
    count = 0
    for candidacy in open_ones:
        due_on = candidacy.questionnaire_due_on
        if due_on is None:
            continue
        kind = rules.reminder_due(due_on, day, sent.get(candidacy.id, set()))
        if kind is not None:
            _send(session, candidacy, kind, due_on, day)
            count += 1
    return count


@dataclass(frozen=True)
class DeadlineRow:
    candidacy: Candidacy
    election_title: str
    due_on: date | None
    days_overdue: int
    extensions: int
    last_reminder: ReminderKind | None


def deadlines(session: Session, on: date | None = None) -> list[DeadlineRow]:
    """Every open, unsubmitted questionnaire with its deadline, most overdue first; a constant
    number of statements whatever the number of candidacies."""
    day = on or today()
    rows = session.execute(
        sa.select(Candidacy, Election.title)
        .join(Election, Election.id == Candidacy.election_id)
        .where(
            Candidacy.stage == Stage.QUESTIONNAIRE,
            Candidacy.withdrawn_at.is_(None),
            ~sa.exists().where(
                QuestionnaireResponse.candidacy_id == Candidacy.id,
                QuestionnaireResponse.submitted_at.is_not(None),
            ),
        )
        .order_by(Candidacy.questionnaire_due_on, Candidacy.full_name)
    ).all()
    ids = [c.id for c, _ in rows]
    counts: dict[int, int] = {}
    last: dict[int, ReminderKind] = {}
    if ids:
        counts = dict(
            session.execute(
                sa.select(DeadlineExtension.candidacy_id, sa.func.count(DeadlineExtension.id))
                .where(DeadlineExtension.candidacy_id.in_(ids))
                .group_by(DeadlineExtension.candidacy_id)
            ).all()
        )
        for candidacy_id, kind in session.execute(
            sa.select(ReminderSent.candidacy_id, ReminderSent.kind)
            .where(ReminderSent.candidacy_id.in_(ids))
            .order_by(ReminderSent.sent_at, ReminderSent.id)
        ):
            last[candidacy_id] = kind
    result = [
        DeadlineRow(
            candidacy=c,
            election_title=title,
            due_on=c.questionnaire_due_on,
            days_overdue=rules.days_overdue(c.questionnaire_due_on, day),
            extensions=counts.get(c.id, 0),
            last_reminder=last.get(c.id),
        )
        for c, title in rows
    ]
    result.sort(key=lambda r: (-r.days_overdue, r.due_on or date.max, r.candidacy.full_name))
    return result
