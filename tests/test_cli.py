"""The `vetting` command line: notices sweep, worker, create-user, db check."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests.conftest import make_test_app
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.extensions import db
from vetting.models import AuditEntry, Notice, NoticeStatus, User
from vetting.models.base import utcnow
from vetting.notices.outbox import DISPATCHER_KEY
from vetting.scenarios import add_focal_point, make_election, make_people, nominate


def _invoke(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=["vetting", *args], input=input)


def test_sweep_delivers_pending_notices_when_their_jobs_were_lost(app):
    # Committed without a dispatcher: as if Redis had been flushed before the jobs ran.
    with db.sessionmaker(info={DISPATCHER_KEY: None}) as s:
        people = make_people(s)
        nominate(s, people, make_election(s, people), name="Amina Diallo", state="SEN")
        s.commit()
        count = s.scalar(sa.select(sa.func.count()).select_from(Notice))
        assert count
        fresh = _invoke(app, "notices", "sweep")
        # Fresh notices are left alone for a minute: their jobs may still be on their way.
        assert "re-enqueued 0 notice(s)" in fresh.output
        s.execute(sa.update(Notice).values(next_attempt_at=utcnow() - timedelta(minutes=2)))
        s.commit()

    result = _invoke(app, "notices", "sweep")

    assert result.exit_code == 0, result.output
    assert f"re-enqueued {count} notice(s)" in result.output
    with db.sessionmaker() as s:
        assert set(s.scalars(sa.select(Notice.status))) == {NoticeStatus.SENT}


def test_worker_refuses_to_start_when_no_redis_is_configured(engine, database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, REDIS_URL=None)
    with app.app_context():
        result = _invoke(app, "worker", "--burst")
    assert result.exit_code != 0
    assert "VETTING_REDIS_URL" in result.output


def test_create_user_adds_account_and_audit_entry_when_email_is_new(app):
    result = _invoke(
        app,
        "create-user",
        "--email",
        "Ada@Example.org",
        "--name",
        "Ada Admin",
        "--role",
        Role.ADMIN.value,
        input="a sufficiently long password\na sufficiently long password\n",
    )

    assert result.exit_code == 0, result.output
    assert "created ada@example.org (admin)" in result.output
    with db.sessionmaker() as s:
        user = s.scalar(sa.select(User).where(User.email == "ada@example.org"))
        assert user is not None and user.role is Role.ADMIN
        actions = list(s.scalars(sa.select(AuditEntry.action)))
    assert actions == [AuditAction.USER_CREATE.value]


def test_create_user_refuses_and_changes_nothing_when_email_exists(app):
    arguments = ["create-user", "--email", "a@example.org", "--name", "A", "--role", "admin"]
    password = "a sufficiently long password\na sufficiently long password\n"
    assert _invoke(app, *arguments, input=password).exit_code == 0

    result = _invoke(app, *arguments, input=password)

    assert result.exit_code == 1
    assert "already exists" in result.output
    with db.sessionmaker() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(User)) == 1
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1


def test_create_user_refuses_when_password_is_short(app):
    result = _invoke(
        app,
        *["create-user", "--email", "a@example.org", "--name", "A", "--role", "admin"],
        input="short\nshort\n",
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    with db.sessionmaker() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_db_check_passes_when_database_is_at_head(app):
    result = _invoke(app, "db", "check")
    assert result.exit_code == 0, result.output


def test_cron_schedule_sweeps_notices_and_reminders_when_scheduler_is_built(app):
    from vetting.extensions import rq
    from vetting.jobs import REMINDER_SWEEP_INTERVAL_SECONDS, SWEEP_INTERVAL_SECONDS

    scheduler = rq.make_cron_scheduler()
    jobs = sorted((job.func_name, job.interval) for job in scheduler.get_jobs())

    assert jobs == [
        ("vetting.jobs.send_due_reminders", REMINDER_SWEEP_INTERVAL_SECONDS),
        ("vetting.jobs.sweep_notices", SWEEP_INTERVAL_SECONDS),
    ]
    assert SWEEP_INTERVAL_SECONDS <= 60
    assert REMINDER_SWEEP_INTERVAL_SECONDS <= 3600


def _channel_closing_on_31_march() -> None:
    """An election whose confidential channel is open in March 2027, and a State's focal point."""
    with db.sessionmaker() as s:
        people = make_people(s)
        add_focal_point(s, people, "SEN", "example.org")
        election = make_election(s, people)
        election.channel_opens = date(2027, 3, 1)
        election.channel_closes = date(2027, 3, 31)
        s.commit()


def test_send_reminders_announces_a_closing_channel_once_when_run_twice(app):
    _channel_closing_on_31_march()

    first = _invoke(app, "send-reminders", "--on", "2027-03-20")
    again = _invoke(app, "send-reminders", "--on", "2027-03-21")

    assert first.exit_code == 0, first.output
    assert "announced 1 channel closing(s)" in first.output
    assert "announced 0 channel closing(s)" in again.output
    with db.sessionmaker() as s:
        kinds = list(s.scalars(sa.select(Notice.kind).where(Notice.kind == "channel_closing")))
    assert kinds == ["channel_closing"]


def test_send_reminders_refuses_a_day_that_is_no_date_and_sends_nothing(app):
    _channel_closing_on_31_march()
    with db.sessionmaker() as s:
        before = s.scalar(sa.select(sa.func.count()).select_from(Notice))

    result = _invoke(app, "send-reminders", "--on", "2027-03-32")

    assert result.exit_code != 0
    assert "2027-03-32 is not a day" in result.output
    with db.sessionmaker() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Notice)) == before
