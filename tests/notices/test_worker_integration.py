"""The whole mail path with real services: Redis, a real RQ worker process, a real SMTP server.

Needs VETTING_TEST_REDIS_URL (the engineer's own Redis database number: these tests empty its
default queue, and hold a lock so that pytest-xdist workers run them one at a time).
The database is a scratch one: a SQLite file, or `<test database>_worker` on PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from flask import Flask
from redis import Redis
from rq import Queue
from rq.registry import ScheduledJobRegistry

from tests.conftest import PG_URL, REDIS_URL, ROOT, TEST_SECRET, make_test_app, require_service
from vetting.domain.roles import Role
from vetting.extensions import db, rq
from vetting.models import Notice, NoticeStatus, User
from vetting.models.base import utcnow
from vetting.operations import accounts
from vetting.scenarios import make_election, make_people, nominate

pytestmark = [pytest.mark.services, pytest.mark.smtp]

VETTING = Path(sys.executable).parent / "vetting"


class Collector:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    from aiosmtpd.controller import Controller

    collector = Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    yield collector, port
    controller.stop()


def _clear_queue(connection: Redis) -> None:
    """Forget every job of the default queue, queued or scheduled: as if Redis lost them.

    Only the queue, not the whole Redis database: under pytest-xdist the other workers' tests
    use the same database for their in-process jobs (which never sit in the queue).
    """
    queue = Queue("default", connection=connection)
    queue.empty()
    scheduled = ScheduledJobRegistry(queue=queue)
    for job_id in scheduled.get_job_ids():
        scheduled.remove(job_id, delete_job=True)


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The test Redis database, held by this module's tests one at a time (pytest-xdist)."""
    require_service("redis", REDIS_URL)
    assert REDIS_URL is not None
    connection = Redis.from_url(REDIS_URL)
    with connection.lock("vetting-tests:worker-integration", timeout=600, blocking_timeout=600):
        _clear_queue(connection)
        yield REDIS_URL
        _clear_queue(connection)
    connection.close()


def _scratch_postgres(url: str, suffix: str) -> str:
    """Drop and create `<database>_<suffix>` next to the test database; return its URL."""
    base = sa.make_url(url)
    scratch = base.set(database=f"{base.database}_{suffix}")
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{scratch.database}"'))
    admin.dispose()
    return scratch.render_as_string(hide_password=False)


@pytest.fixture
def scratch_database(redis_url: str, tmp_path: Path) -> str:
    # Depends on redis_url for its lock: the scratch database is shared by this module's tests.
    if PG_URL:
        require_service("database", PG_URL)
        url = _scratch_postgres(PG_URL, "worker")
    else:
        url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")
    return url


@pytest.fixture
def worker_app(
    scratch_database: str, redis_url: str, smtp: tuple[Collector, int], tmp_path: Path
) -> Iterator[Flask]:
    _, port = smtp
    application = make_test_app(
        scratch_database,
        tmp_path,
        REDIS_URL=redis_url,
        RQ_ASYNC=True,
        SMTP_URL=f"smtp://127.0.0.1:{port}",
    )
    with application.app_context():
        yield application
        for engine in db.engines.values():
            engine.dispose()


def _run(app: Flask, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real `vetting` command with the same services as the test application."""
    env = {
        **os.environ,
        "VETTING_ENV": "testing",
        "VETTING_SECRET_KEY": TEST_SECRET,
        "VETTING_DATABASE_URL": app.config["DATABASE_URL"],
        "VETTING_REDIS_URL": app.config["REDIS_URL"],
        "VETTING_SMTP_URL": app.config["SMTP_URL"],
        "VETTING_INSTANCE_PATH": app.instance_path,
    }
    env.pop("FLASK_APP", None)
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(VETTING), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"vetting {' '.join(args)} failed:\n{result.stderr}"
    return result


def _nominate(app: Flask) -> list[str]:
    """Nominate through the real operations and commit; return the new notices' Message-IDs."""
    with db.sessionmaker() as s:
        people = make_people(s)
        election = make_election(s, people)
        nominate(s, people, election, name="Amina Diallo", state="SEN")
        s.commit()
        ids = list(s.scalars(sa.select(Notice.message_id)))
    assert ids, "the nomination queued notices"
    return ids


def _invite(app: Flask) -> list[str]:
    """Invite the secretariat again (a real operation); return the new notice's Message-ID."""
    with db.sessionmaker() as s:
        before = set(s.scalars(sa.select(Notice.message_id)))
        user = s.scalars(sa.select(User).where(User.role == Role.SECRETARIAT)).first()
        assert user is not None
        accounts.issue_invitation(s, None, user, base_url=app.config["BASE_URL"], hours=72)
        s.commit()
        ids = [m for m in s.scalars(sa.select(Notice.message_id)) if m not in before]
    assert len(ids) == 1
    return ids


def _statuses() -> Counter[NoticeStatus]:
    with db.sessionmaker() as s:
        return Counter(s.scalars(sa.select(Notice.status)))


def _received(collector: Collector) -> Counter[str]:
    return Counter(str(m["Message-ID"]) for m in collector.messages)


def test_worker_delivers_each_notice_once_when_jobs_are_queued_or_lost(worker_app, smtp):
    collector, _ = smtp
    queue = rq.queue

    # Committing enqueued one job per notice into the real Redis; nothing was sent yet.
    first = _nominate(worker_app)
    assert queue.count == len(first)
    assert collector.messages == []

    _run(worker_app, "worker", "--burst")

    assert _received(collector) == Counter({m: 1 for m in first})
    assert _statuses() == Counter({NoticeStatus.SENT: len(first)})
    assert queue.count == 0

    # Jobs lost: Redis is flushed after the commit, so only the rows remember the notices.
    second = _invite(worker_app)
    assert queue.count == len(second)
    _clear_queue(queue.connection)
    with db.sessionmaker() as s:
        # The sweeper leaves fresh notices alone for a minute: their jobs may still be coming.
        s.execute(
            sa.update(Notice)
            .where(Notice.status == NoticeStatus.PENDING)
            .values(next_attempt_at=utcnow() - timedelta(minutes=5))
        )
        s.commit()

    swept = _run(worker_app, "notices", "sweep")
    assert f"re-enqueued {len(second)} notice(s)" in swept.stdout
    assert queue.count == len(second)

    # The worker sweeps again as it starts, so the job is queued twice: the claim keeps it to one.
    _run(worker_app, "worker", "--burst")

    assert _received(collector) == Counter({m: 1 for m in first + second})
    assert _statuses() == Counter({NoticeStatus.SENT: len(first) + len(second)})

    # A further sweep and worker run find nothing to do: nothing is mailed twice.
    swept = _run(worker_app, "notices", "sweep")
    assert "re-enqueued 0 notice(s)" in swept.stdout
    _run(worker_app, "worker", "--burst")
    assert len(collector.messages) == len(first) + len(second)


def test_failed_delivery_is_scheduled_for_retry_when_mail_server_is_down(worker_app):
    from vetting.jobs import deliver_notice

    first = _nominate(worker_app)
    queue = rq.queue
    queue.empty()
    worker_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{_free_port()}"  # nobody listens there
    with db.sessionmaker() as s:
        notice_id = s.scalar(sa.select(Notice.id).where(Notice.message_id == first[0]))

    # Run the job's function in this process, as the work-horse would.
    assert deliver_notice(notice_id) == "retry"

    registry = ScheduledJobRegistry(queue=queue)
    jobs = [queue.fetch_job(job_id) for job_id in registry.get_job_ids()]
    assert [(job.func_name, job.args) for job in jobs if job] == [
        ("vetting.jobs.deliver_notice", (notice_id,))
    ]
    due = registry.get_scheduled_time(jobs[0])
    with db.sessionmaker() as s:
        notice = s.get(Notice, notice_id)
        assert notice is not None and notice.status is NoticeStatus.PENDING
        # The job is due when the row says the next attempt is (30 s backoff after one failure).
        assert abs((due - notice.next_attempt_at).total_seconds()) < 2
        assert notice.next_attempt_at - utcnow() > timedelta(seconds=20)
