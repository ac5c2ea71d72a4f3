"""The outbox's delivery: claim, send once, retry with backoff, dead after N, stale claims."""

from __future__ import annotations

import logging
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.extensions import db
from vetting.models import AuditEntry, Notice, NoticeStatus, User
from vetting.models.base import utcnow
from vetting.notices.delivery import backoff, deliver, due_for_sweep
from vetting.notices.kinds import NoticeKind
from vetting.notices.mailers import FileMailer
from vetting.notices.outbox import DISPATCHER_KEY, queue_notice
from vetting.scenarios import make_election, make_people, nominate

STALE = timedelta(minutes=5)


class RecordingMailer:
    """An in-memory mail server that fails the first `failures` sends."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls = 0
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError("mail server down")
        self.sent.append(message)


class RecordingDispatcher:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def __call__(self, ids) -> None:  # type: ignore[no-untyped-def]
        self.batches.append(list(ids))


def _quiet_session():
    """A session that queues nothing after commit, so the notices stay pending for the test."""
    return db.sessionmaker(info={DISPATCHER_KEY: None})


def _pending_notice(app) -> int:
    with _quiet_session() as s:
        people = make_people(s)
        election = make_election(s, people)
        nominate(s, people, election, name="Amina Diallo", state="SEN")
        s.commit()
        ids = list(s.scalars(sa.select(Notice.id).where(Notice.kind == "invitation")))
        statuses = set(s.scalars(sa.select(Notice.status)))
    assert statuses == {NoticeStatus.PENDING}, "nothing was dispatched"
    assert len(ids) == 1, "the nomination queues exactly one invitation"
    return ids[0]


def _deliver(notice_id: int, mailer, max_attempts: int = 5) -> str:
    return deliver(
        db.sessionmaker,
        notice_id,
        mailer,
        sender="vetting@example.org",
        max_attempts=max_attempts,
        stale_after=STALE,
    ).status


def _notice(notice_id: int) -> Notice:
    with db.sessionmaker() as s:
        notice = s.get(Notice, notice_id)
        assert notice is not None
        s.expunge(notice)
        return notice


def test_notice_is_sent_once_with_its_message_id_when_delivered(app):
    notice_id = _pending_notice(app)
    mailer = RecordingMailer()

    assert _deliver(notice_id, mailer) == "sent"
    assert _deliver(notice_id, mailer) == "skipped"

    notice = _notice(notice_id)
    assert len(mailer.sent) == 1
    assert mailer.sent[0]["Message-ID"] == notice.message_id
    assert mailer.sent[0]["To"] == notice.to_address
    assert notice.status is NoticeStatus.SENT
    assert notice.attempts == 1
    assert notice.sent_at is not None


def test_notice_is_retried_with_backoff_then_sent_when_mailer_fails_twice(app):
    notice_id = _pending_notice(app)
    mailer = RecordingMailer(failures=2)

    with freeze_time("2030-01-01 12:00:00") as clock:
        start = utcnow()
        assert _deliver(notice_id, mailer) == "retry"
        notice = _notice(notice_id)
        assert notice.status is NoticeStatus.PENDING
        assert notice.attempts == 1
        assert notice.next_attempt_at == start + timedelta(seconds=30)
        assert notice.claimed_at is None
        assert "mail server down" in (notice.last_error or "")

        # Not due yet: a job arriving early (a duplicate) does not jump the backoff.
        assert _deliver(notice_id, mailer) == "skipped"
        assert mailer.calls == 1

        clock.tick(timedelta(seconds=31))
        assert _deliver(notice_id, mailer) == "retry"
        notice = _notice(notice_id)
        assert notice.attempts == 2
        assert notice.next_attempt_at == utcnow() + timedelta(minutes=2)

        clock.tick(timedelta(minutes=2, seconds=1))
        assert _deliver(notice_id, mailer) == "sent"

    notice = _notice(notice_id)
    assert notice.status is NoticeStatus.SENT
    assert notice.attempts == 3
    assert notice.last_error is None
    assert len(mailer.sent) == 1


def test_backoff_grows_and_is_capped_when_attempts_increase():
    assert [backoff(n) for n in (1, 2, 3)] == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=8),
    ]
    assert backoff(50) == timedelta(hours=6)


def test_notice_ends_dead_with_audit_entry_and_error_log_when_mailer_always_fails(app, caplog):
    notice_id = _pending_notice(app)
    mailer = RecordingMailer(failures=100)
    caplog.set_level(logging.WARNING, logger="vetting.notices.delivery")

    with freeze_time("2030-01-01 12:00:00") as clock:
        outcomes = []
        for _ in range(3):
            outcomes.append(_deliver(notice_id, mailer, max_attempts=3))
            clock.tick(timedelta(hours=7))

    assert outcomes == ["retry", "retry", "dead"]
    notice = _notice(notice_id)
    assert notice.status is NoticeStatus.DEAD
    assert notice.attempts == 3
    with db.sessionmaker() as s:
        entries = s.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == AuditAction.NOTICE_DEAD.value)
        ).all()
    assert [(e.object_type, e.object_id) for e in entries] == [("notices", str(notice_id))]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and f"notice {notice_id} is dead" in errors[0].getMessage()

    # The administrators are alerted, by mail (sent in-process here) and in their inbox.
    with db.sessionmaker() as s:
        alerts = s.scalars(sa.select(Notice).where(Notice.kind == "delivery_failed")).all()
        admins = s.scalars(sa.select(User.email).where(User.role == Role.ADMIN)).all()
    assert [a.to_address for a in alerts] == list(admins) and len(admins) == 1
    assert alerts[0].status is NoticeStatus.SENT
    assert f"Notice {notice_id} could not be delivered after 3 attempts" in alerts[0].body

    # A dead notice is never picked up again, neither by a job nor by the sweeper.
    assert _deliver(notice_id, mailer, max_attempts=3) == "skipped"
    with db.sessionmaker() as s:
        assert notice_id not in due_for_sweep(
            s, now=utcnow() + timedelta(days=1), lost_after=timedelta(0), stale_after=STALE
        )


def test_dead_alert_raises_no_further_alert_when_it_cannot_be_delivered_either(app):
    _pending_notice(app)
    with _quiet_session() as s:
        admin = s.scalars(sa.select(User).where(User.role == Role.ADMIN)).one()
        alert = queue_notice(
            s, NoticeKind.DELIVERY_FAILED, to=admin, context={"notice_id": 1, "attempts": 5}
        )
        s.commit()
        alert_id = alert.id
        count = s.scalar(sa.select(sa.func.count()).select_from(Notice))

    assert _deliver(alert_id, RecordingMailer(failures=1), max_attempts=1) == "dead"

    with db.sessionmaker() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Notice)) == count


def test_second_job_does_nothing_when_notice_is_already_claimed(app):
    notice_id = _pending_notice(app)
    with db.sessionmaker() as s:
        s.execute(
            sa.update(Notice)
            .where(Notice.id == notice_id)
            .values(status=NoticeStatus.SENDING, claimed_at=utcnow())
        )
        s.commit()
    mailer = RecordingMailer()

    assert _deliver(notice_id, mailer) == "skipped"
    assert mailer.calls == 0
    assert _notice(notice_id).status is NoticeStatus.SENDING


def test_stale_claim_is_taken_over_when_worker_died_mid_delivery(app):
    notice_id = _pending_notice(app)
    with db.sessionmaker() as s:
        s.execute(
            sa.update(Notice)
            .where(Notice.id == notice_id)
            .values(status=NoticeStatus.SENDING, claimed_at=utcnow() - STALE - timedelta(seconds=1))
        )
        s.commit()
        assert notice_id in due_for_sweep(
            s, now=utcnow(), lost_after=timedelta(0), stale_after=STALE
        )
    mailer = RecordingMailer()

    assert _deliver(notice_id, mailer) == "sent"
    assert len(mailer.sent) == 1
    assert _notice(notice_id).status is NoticeStatus.SENT


def test_no_notice_and_no_job_when_business_transaction_rolls_back(app, tmp_path):
    dispatcher = RecordingDispatcher()
    with db.sessionmaker(info={DISPATCHER_KEY: dispatcher}) as s:
        people = make_people(s)
        election = make_election(s, people)
        s.commit()
        nominate(s, people, election, name="Amina Diallo", state="SEN")
        assert s.scalar(sa.select(sa.func.count()).select_from(Notice)) >= 1
        s.rollback()
        # A later commit in the same session must not announce the rolled-back notice.
        s.commit()
        assert s.scalar(sa.select(sa.func.count()).select_from(Notice)) == 0
    assert dispatcher.batches == []
    assert not list(Path(app.config["MAIL_DIR"]).glob("*.eml"))


def test_committed_notice_is_dispatched_and_delivered_when_transaction_commits(app):
    dispatcher = RecordingDispatcher()
    with db.sessionmaker(info={DISPATCHER_KEY: dispatcher}) as s:
        people = make_people(s)
        election = make_election(s, people)
        nominate(s, people, election, name="Amina Diallo", state="SEN")
        s.commit()
        ids = list(s.scalars(sa.select(Notice.id).order_by(Notice.id)))
    assert [sorted(batch) for batch in dispatcher.batches] == [ids]

    assert ids, "the nomination queues notices"

    # Through the application's own dispatcher (jobs run in-process in tests) they are mailed.
    with db.sessionmaker() as s:
        election = s.merge(election)
        nominate(s, make_people(s, domain="other.org"), election, name="B", state="CHL")
        s.commit()
        new = s.scalars(
            sa.select(Notice).where(Notice.id.not_in(ids)).execution_options(populate_existing=True)
        ).all()
        assert new and {n.status for n in new} == {NoticeStatus.SENT}
    files = list(Path(app.config["MAIL_DIR"]).glob("*.eml"))
    assert len(files) == len(new)


def test_file_mailer_writes_parseable_eml_with_stable_message_id_when_sending(app, tmp_path):
    notice_id = _pending_notice(app)
    folder = tmp_path / "outbox"

    assert _deliver(notice_id, FileMailer(folder)) == "sent"

    notice = _notice(notice_id)
    files = list(folder.glob("*.eml"))
    assert len(files) == 1
    assert not list(folder.glob("*.tmp"))
    with files[0].open("rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    assert message["Message-ID"] == notice.message_id
    assert message["To"] == notice.to_address
    assert message["From"] == "vetting@example.org"
    assert message["Subject"] == notice.subject
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content().strip() == notice.body.strip()


@pytest.mark.parametrize("url", ["http://mail.example.org", "ftp://x"])
def test_smtp_mailer_refuses_unknown_scheme_when_configured(url):
    from vetting.notices.mailers import SmtpMailer

    with pytest.raises(ValueError, match="unsupported mail URL scheme"):
        SmtpMailer(url)
