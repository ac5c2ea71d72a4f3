"""Background jobs. They run in an application context (Flask-RQ) and commit their own work."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app

from vetting.extensions import db, rq
from vetting.models.base import utcnow
from vetting.notices.delivery import Outcome, deliver, due_for_sweep
from vetting.notices.mailers import make_mailer


@rq.job
def deliver_notice(notice_id: int) -> str:
    config = current_app.config
    outcome: Outcome = deliver(
        db.sessionmaker,
        notice_id,
        make_mailer(config["SMTP_URL"], config["MAIL_DIR"]),
        sender=config["MAIL_FROM"],
        max_attempts=config["NOTICE_MAX_ATTEMPTS"],
        stale_after=timedelta(seconds=config["NOTICE_STALE_CLAIM_SECONDS"]),
    )
    if outcome.retry_in is not None and rq.queue.is_async:
        deliver_notice.enqueue_in(outcome.retry_in, notice_id)
    return outcome.status


def enqueue_notices(ids: Iterable[int]) -> None:
    """The outbox dispatcher: called after commit with the ids of the new notices.

    Redis being down must not undo or fail a committed change: the rows stay pending and
    the sweeper enqueues them later.
    """
    for notice_id in ids:
        try:
            deliver_notice.enqueue(notice_id)
        except Exception:  # noqa: BLE001 - the sweeper recovers the notice
            current_app.logger.exception("could not enqueue notice %s; the sweeper will", notice_id)


@rq.job
def sweep_notices() -> int:
    """Re-enqueue notices whose job was lost (Redis flushed, worker killed)."""
    config = current_app.config
    with db.sessionmaker() as session:
        ids = due_for_sweep(
            session,
            now=utcnow(),
            lost_after=timedelta(seconds=60),
            stale_after=timedelta(seconds=config["NOTICE_STALE_CLAIM_SECONDS"]),
        )
    for notice_id in ids:
        deliver_notice.enqueue(notice_id)
    return len(ids)


# Every minute, the sweep re-enqueues notices whose job was lost; `vetting rq cron` runs this
# schedule beside the workers (one scheduler per deployment is enough; more are harmless).
SWEEP_INTERVAL_SECONDS = 60
sweep_notices.cron_register(SWEEP_INTERVAL_SECONDS)


# --- The questionnaire's deadline reminders (vetting.operations.reminders) -------------------


@rq.job
def send_questionnaire_reminder(candidacy_id: int, kind: str, due_on: str) -> bool:
    """One planned reminder. It decides at run time: a submission, a withdrawal or an
    extension since it was planned makes it do nothing."""
    from datetime import date

    from vetting.domain.vocabulary import ReminderKind
    from vetting.operations import reminders

    with db.sessionmaker() as session:
        sent = reminders.send_reminder(
            session, candidacy_id, ReminderKind(kind), date.fromisoformat(due_on)
        )
        session.commit()
    return sent


@rq.job
def send_due_reminders() -> int:
    """The sweep: every questionnaire reminder due and not yet sent, and the channel's "closing
    in 14 days" notices (also `vetting send-reminders`)."""
    from vetting.operations import channel, reminders

    with db.sessionmaker() as session:
        count = reminders.send_due_reminders(session)
        count += channel.send_closing_notices(session, current_app.config["BASE_URL"])
        session.commit()
    return count


def plan_reminders(plans: list) -> None:  # type: ignore[type-arg]
    """After commit: schedule each reminder at its day with RQ's scheduler (`enqueue_at`; the
    worker runs with_scheduler). One job id per candidacy, kind and deadline, so planning
    again replaces rather than duplicates. In the embedded mode jobs are not scheduled (they
    would run at once): the sweep sends what is due."""
    queue = rq.queue
    if not queue.is_async:
        return
    for plan in plans:
        if plan.run_at <= utcnow():
            continue
        job_id = f"reminder-{plan.candidacy_id}-{plan.kind.value}-{plan.due_on.isoformat()}"
        try:
            send_questionnaire_reminder.enqueue_at(
                plan.run_at,
                plan.candidacy_id,
                plan.kind.value,
                plan.due_on.isoformat(),
                job_id=job_id,
            )
        except Exception:  # noqa: BLE001 - the hourly sweep sends it anyway
            current_app.logger.exception("could not schedule %s; the sweep will send it", job_id)


# Every hour the reminder sweep catches what no planned job sent (lost jobs, deadlines set
# before a worker ran); it is idempotent, so it may run beside the planned jobs.
REMINDER_SWEEP_INTERVAL_SECONDS = 3600
send_due_reminders.cron_register(REMINDER_SWEEP_INTERVAL_SECONDS)
