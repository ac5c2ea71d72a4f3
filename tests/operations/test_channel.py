"""The confidential channel's rules and operations: the window, reports sealed at rest, the
receipt code, the reporter's additions, the acknowledgement and its withheld address, triage."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from vetting.audit import IP_KEY
from vetting.domain import channel as rules
from vetting.domain.channel import ContactKind, ReportStatus, WindowState
from vetting.domain.events import AuditAction
from vetting.domain.vocabulary import IntegrityOutcome, MisconductCategory, TriageOutcome
from vetting.models import (
    AuditEntry,
    AuditHead,
    Complaint,
    ComplaintAddition,
    Election,
    Notice,
    StoredFile,
)
from vetting.notices.confidential import WITHHELD
from vetting.operations import channel, diligence, nominations
from vetting.operations.errors import Refused
from vetting.scenarios import add_focal_point, make_election, make_people, nominate

TODAY = date(2026, 12, 1)
TEXT = "CANARY-report-5e1: the candidate shouted at a clerk in March 2019."
CONTACT = "canary.witness.5e1@example.net"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


# -- domain rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "today", "state"),
    [
        (None, None, TODAY, WindowState.NOT_SET),
        (TODAY, None, TODAY, WindowState.NOT_SET),
        (TODAY + timedelta(days=1), TODAY + timedelta(days=9), TODAY, WindowState.NOT_YET_OPEN),
        (TODAY, TODAY, TODAY, WindowState.OPEN),  # both ends inclusive
        (TODAY - timedelta(days=9), TODAY, TODAY, WindowState.OPEN),
        (TODAY - timedelta(days=9), TODAY - timedelta(days=1), TODAY, WindowState.CLOSED),
    ],
)
def test_window_state_counts_both_dates_in_when_any_dates(opens, closes, today, state):
    assert rules.window_state(opens, closes, today) is state


@pytest.mark.parametrize(
    ("opens", "closes", "vote", "problem"),
    [
        (TODAY, None, None, "Give both dates"),
        (None, TODAY, None, "Give both dates"),
        (TODAY, TODAY - timedelta(days=1), None, "close on or after the day it opens"),
        (TODAY - timedelta(days=9), TODAY - timedelta(days=1), None, "close before today"),
        (TODAY, TODAY + timedelta(days=10), TODAY + timedelta(days=10), "before the day of"),
        (None, None, None, None),
        (TODAY - timedelta(days=3), TODAY, TODAY + timedelta(days=1), None),
    ],
)
def test_window_problem_names_the_fault_when_dates_are_bad(opens, closes, vote, problem):
    found = rules.window_problem(opens, closes, today=TODAY, vote_date=vote)
    assert (found is None) == (problem is None)
    if problem:
        assert problem in found


def test_receipt_code_is_long_random_and_grouped_when_made():
    codes = {rules.new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    groups = code.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert set(code.replace("-", "")) <= set(rules.RECEIPT_ALPHABET)
    # 32 symbols of a 32-letter alphabet: 160 bits.
    assert len(rules.RECEIPT_ALPHABET) == 32 and rules.RECEIPT_LENGTH == 32


def test_receipt_code_is_read_forgivingly_when_typed_by_hand():
    code = rules.new_receipt_code()
    plain = code.replace("-", "")
    assert rules.normalise_receipt(code) == plain
    assert rules.normalise_receipt(" " + code.lower().replace("-", " ") + "\n") == plain
    with_o = "O" + plain[1:]
    assert rules.normalise_receipt(with_o) == "0" + plain[1:]
    assert rules.receipt_hash(code) == hashlib.sha256(plain.encode()).hexdigest()
    assert rules.receipt_hash(code.lower()) == rules.receipt_hash(code)


@pytest.mark.parametrize("text", ["", "abc", "U" * 32, "0" * 31, "0" * 33, "é" * 32])
def test_receipt_code_is_refused_when_malformed(text):
    assert rules.normalise_receipt(text) is None


@pytest.mark.parametrize(
    ("kind", "contact", "ok"),
    [
        (ContactKind.NONE, "", True),
        (ContactKind.NONE, "me@example.org", False),
        (ContactKind.EMAIL, "", False),
        (ContactKind.EMAIL, "me@example.org", True),
        (ContactKind.EMAIL, "not an address", False),
        (ContactKind.EMAIL, "me@localhost", False),
        (ContactKind.PHONE, "+41 22 555 01 23", True),
        (ContactKind.PHONE, "(022) 555-0123", True),
        (ContactKind.PHONE, "12345", False),
        (ContactKind.PHONE, "+41 22 555 01 23 45 67 89 00", False),
        (ContactKind.PHONE, "call me maybe", False),
        (ContactKind.EMAIL, "a" * 250 + "@example.org", False),
    ],
)
def test_contact_is_checked_against_its_kind_when_given(kind, contact, ok):
    assert (rules.contact_problem(kind, contact) is None) is ok


@pytest.mark.parametrize(
    ("triage", "ended", "closed", "status"),
    [
        (None, False, False, ReportStatus.RECEIVED),
        (TriageOutcome.NEEDS_INFORMATION, False, False, ReportStatus.UNDER_REVIEW),
        (TriageOutcome.CREDIBLE_CONCERN, False, False, ReportStatus.UNDER_REVIEW),
        (TriageOutcome.OUT_OF_SCOPE, False, False, ReportStatus.CLOSED),
        (TriageOutcome.NOT_SUBSTANTIATED, False, False, ReportStatus.CLOSED),
        (TriageOutcome.CREDIBLE_CONCERN, False, True, ReportStatus.CLOSED),
        (None, True, False, ReportStatus.CLOSED),
    ],
)
def test_reporter_status_reveals_only_three_states_when_any_triage(triage, ended, closed, status):
    found = rules.report_status(triage, candidacy_ended=ended, diligence_closed=closed)
    assert found is status
    assert rules.more_information_welcome(triage, found) is (
        triage is TriageOutcome.NEEDS_INFORMATION and status is not ReportStatus.CLOSED
    )


# -- a world --------------------------------------------------------------------------------------


@pytest.fixture
def world(app, session, tmp_path):
    people = make_people(session)
    election = make_election(session, people)
    focal = add_focal_point(session, people, "KEN", "example.org")
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    other_election = make_election(session, people, title="Election of the Prosecutor")
    outsider = nominate(session, people, other_election, name="Omar Other", state="GHA")
    election.channel_opens = TODAY - timedelta(days=5)
    election.channel_closes = TODAY + timedelta(days=25)
    session.commit()
    settings = channel.ChannelSettings(
        files_dir=str(tmp_path / "files"),
        max_bytes=1024 * 1024,
        receipt_link="http://localhost/channel/receipt",
    )
    return {
        "people": people,
        "election": election,
        "candidacy": candidacy,
        "outsider": outsider,
        "focal": focal,
        "settings": settings,
        "sealer": channel.sealer_of(session),
        "files_dir": tmp_path / "files",
    }


def _data(**overrides) -> channel.ReportData:
    values = {
        "category": MisconductCategory.HARASSMENT,
        "text": TEXT,
        "contact_kind": ContactKind.EMAIL,
        "contact": CONTACT,
    }
    values.update(overrides)
    return channel.ReportData(**values)


def _submit(session, world, data=None, *, today=TODAY, candidacy=None):
    return channel.submit_report(
        session,
        world["sealer"],
        world["election"],
        candidacy or world["candidacy"],
        data or _data(),
        settings=world["settings"],
        today=today,
    )


def _snapshot(session) -> tuple:
    session.expire_all()
    count = lambda model: session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    return (
        count(Complaint),
        count(ComplaintAddition),
        count(StoredFile),
        count(Notice),
        session.get(AuditHead, 1).seq,
    )


def _raw_rows(session, table: str) -> str:
    """Every column of every row, as the database holds them."""
    rows = session.execute(sa.text(f"SELECT * FROM {table}")).all()  # noqa: S608 - fixed names
    return repr(rows)


# -- the window -----------------------------------------------------------------------------------


def test_window_is_set_audited_and_announced_when_secretariat_sets_it(session, world):
    people, election = world["people"], world["election"]
    opens, closes = TODAY + timedelta(days=1), TODAY + timedelta(days=30)
    channel.set_channel_window(
        session,
        people.secretariat,
        election,
        opens=opens,
        closes=closes,
        today=TODAY,
        report_link="http://localhost/elections/1/report",
    )
    session.commit()
    session.expire_all()
    stored = session.get(Election, election.id)
    assert (stored.channel_opens, stored.channel_closes) == (opens, closes)
    entry = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.CHANNEL_WINDOW_SET.value)
    ).one()
    assert entry.actor_id == people.secretariat.id
    assert '"closes":"2026-12-31"' in entry.data and '"opens":"2026-12-02"' in entry.data
    notices = session.scalars(sa.select(Notice).where(Notice.kind == "channel_open")).all()
    assert [n.recipient_user_id for n in notices] == [world["focal"].id]
    assert "2026-12-02" in notices[0].body and "/elections/1/report" in notices[0].body


@pytest.mark.parametrize(
    ("opens", "closes", "today", "due"),
    [
        (None, None, TODAY, False),
        # A 30-day window: due from 14 days before its last day, to that day.
        (date(2026, 12, 1), date(2026, 12, 31), date(2026, 12, 16), False),
        (date(2026, 12, 1), date(2026, 12, 31), date(2026, 12, 17), True),
        (date(2026, 12, 1), date(2026, 12, 31), date(2026, 12, 31), True),
        (date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 1), False),
        # 14 days or fewer: the opening notice already gave the last day.
        (date(2026, 12, 1), date(2026, 12, 15), date(2026, 12, 5), False),
        (date(2026, 12, 1), date(2026, 12, 16), date(2026, 12, 2), True),
    ],
)
def test_closing_notice_is_due_in_the_last_14_days_of_a_longer_window(opens, closes, today, due):
    assert rules.closing_notice_due(opens, closes, today) is due


def _closing_notices(session) -> list[Notice]:
    return list(
        session.scalars(
            sa.select(Notice).where(Notice.kind == "channel_closing").order_by(Notice.id)
        )
    )


def test_states_are_told_once_when_the_channel_closes_in_14_days(app, session, world):
    election, focal = world["election"], world["focal"]
    closes = election.channel_closes  # TODAY + 25
    gone = add_focal_point(session, world["people"], "GHA", "example.org")
    gone.active = False
    session.commit()
    base = "https://vetting.example.org"

    assert channel.send_closing_notices(session, base, closes - timedelta(days=15)) == 0
    assert _closing_notices(session) == []
    assert channel.send_closing_notices(session, base, closes - timedelta(days=14)) == 1
    session.commit()
    (notice,) = _closing_notices(session)
    assert notice.recipient_user_id == focal.id
    assert str(closes) in notice.subject and str(closes) in notice.body
    assert f"{base}/elections/{election.id}/report" in notice.body
    page = app.test_client().get(f"/elections/{election.id}/report")
    assert page.status_code == 200, "the notice links to the reporting page"
    entry = session.scalars(
        sa.select(AuditEntry).where(AuditAction.CHANNEL_CLOSING_ANNOUNCE.value == AuditEntry.action)
    ).one()
    assert entry.actor_id is None and f'"closes":"{closes}"' in entry.data
    # The sweep runs every hour: nothing more for this last day, today or later.
    for later in (14, 3, 0):
        assert channel.send_closing_notices(session, base, closes - timedelta(days=later)) == 0
    session.commit()
    assert len(_closing_notices(session)) == 1


def test_states_are_told_again_when_the_window_gets_a_new_last_day(session, world):
    people, election = world["people"], world["election"]
    first = election.channel_closes
    assert channel.send_closing_notices(session, "http://localhost", first - timedelta(days=1))
    channel.set_channel_window(
        session,
        people.secretariat,
        election,
        opens=election.channel_opens,
        closes=first + timedelta(days=30),
        today=first - timedelta(days=1),
        report_link="http://localhost/elections/1/report",
    )
    session.commit()
    later = election.channel_closes
    assert channel.send_closing_notices(session, "http://localhost", first) == 0
    assert channel.send_closing_notices(session, "http://localhost", later - timedelta(days=2)) == 1
    session.commit()
    assert [str(later) in n.body for n in _closing_notices(session)] == [False, True]


def test_no_closing_notice_goes_out_when_the_window_is_closed_or_unset(session, world):
    election = world["election"]
    closes = election.channel_closes
    assert (
        channel.send_closing_notices(session, "http://localhost", closes + timedelta(days=1)) == 0
    )
    election.channel_opens = election.channel_closes = None
    session.commit()
    assert channel.send_closing_notices(session, "http://localhost", closes) == 0
    assert _closing_notices(session) == []


def test_window_is_cleared_without_announcement_when_no_dates_are_given(session, world):
    channel.set_channel_window(
        session,
        world["people"].secretariat,
        world["election"],
        opens=None,
        closes=None,
        today=TODAY,
        report_link="x",
    )
    session.commit()
    assert session.get(Election, world["election"].id).channel_opens is None
    assert (
        session.scalar(
            sa.select(sa.func.count()).select_from(Notice).where(Notice.kind == "channel_open")
        )
        == 0
    )


@pytest.mark.parametrize(
    ("who", "opens", "closes", "message"),
    [
        ("secretariat", TODAY, None, "Give both dates"),
        ("secretariat", TODAY, TODAY - timedelta(days=1), "on or after the day it opens"),
        ("secretariat", TODAY - timedelta(days=9), TODAY - timedelta(days=2), "before today"),
        ("secretariat", TODAY, TODAY + timedelta(days=400), "before the day of the vote"),
        ("secretariat", TODAY - timedelta(days=5), TODAY + timedelta(days=25), "already has"),
        ("vetting_officer", TODAY, TODAY + timedelta(days=3), "Only the secretariat"),
    ],
)
def test_window_is_refused_and_nothing_changes_when_bad(
    session, world, who, opens, closes, message
):
    people = world["people"]
    user = people.secretariat if who == "secretariat" else people.vetting_officer
    before = _snapshot(session)
    with pytest.raises(Refused, match=message):
        channel.set_channel_window(
            session,
            user,
            world["election"],
            opens=opens,
            closes=closes,
            today=TODAY,
            report_link="x",
        )
    session.rollback()
    assert _snapshot(session) == before
    stored = session.get(Election, world["election"].id)
    assert stored.channel_opens == TODAY - timedelta(days=5)


# -- reports --------------------------------------------------------------------------------------


def test_report_is_sealed_at_rest_with_only_the_receipt_hash_when_submitted(session, world):
    filed = _submit(session, world, _data(files=(channel.Upload("notes.txt", b"CANARY-file"),)))
    session.commit()
    complaint = session.get(Complaint, filed.complaint.id)
    code = filed.receipt_code
    assert complaint.receipt_hash == rules.receipt_hash(code)
    raw = _raw_rows(session, "complaints")
    for secret in (TEXT, CONTACT, code, code.replace("-", "")):
        assert secret not in raw
    assert world["sealer"].unseal(complaint.text) == TEXT
    assert world["sealer"].unseal(complaint.reporter_contact) == CONTACT
    additions = session.scalars(sa.select(ComplaintAddition)).all()
    assert len(additions) == 1 and additions[0].file_id is not None
    stored = session.get(StoredFile, additions[0].file_id)
    assert stored.uploaded_by_id is None
    for path in Path(world["files_dir"]).iterdir():
        assert b"CANARY-file" not in path.read_bytes()
    # Nothing else holds the text, the contact or the code either.
    for table in ("audit_entries", "stored_files", "complaint_additions"):
        dump = _raw_rows(session, table)
        assert TEXT not in dump and CONTACT not in dump and code not in dump


def test_report_keeps_no_address_when_the_request_had_one(session, world):
    session.info[IP_KEY] = "203.0.113.77"
    filed = _submit(session, world)
    session.commit()
    entry = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.COMPLAINT_RECEIVE.value)
    ).one()
    assert entry.object_id == str(filed.complaint.id)
    assert entry.ip is None and entry.actor_id is None
    assert "203.0.113.77" not in _raw_rows(session, "complaints")
    # The address given to the session is back for whatever the request does next.
    assert session.info[IP_KEY] == "203.0.113.77"


def test_acknowledgement_reveals_nothing_and_its_address_is_withheld_when_sent(app, session, world):
    filed = _submit(session, world)
    session.commit()
    notice = session.scalars(sa.select(Notice).where(Notice.kind == "complaint_received")).one()
    session.refresh(notice)
    assert notice.recipient_user_id is None
    # Delivered at commit (jobs run in-process in tests); the row no longer holds the address.
    assert notice.status.value == "sent"
    assert notice.to_address == WITHHELD
    for secret in ("Amina Diallo", TEXT, filed.receipt_code, filed.receipt_code.replace("-", "")):
        assert secret not in notice.body and secret not in notice.subject
    assert "http://localhost/channel/receipt" in notice.body
    assert CONTACT not in _raw_rows(session, "notices")
    # The message itself did go to the reporter.
    mails = list(Path(app.config["MAIL_DIR"]).glob("*.eml"))
    assert any(f"To: {CONTACT}" in m.read_text() for m in mails)


@pytest.mark.parametrize(
    ("kind", "contact"), [(ContactKind.PHONE, "+41 22 555 01 23"), (ContactKind.NONE, "")]
)
def test_no_acknowledgement_is_queued_when_no_email_is_left(session, world, kind, contact):
    filed = _submit(session, world, _data(contact_kind=kind, contact=contact))
    session.commit()
    assert (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Notice)
            .where(Notice.kind == "complaint_received")
        )
        == 0
    )
    stored = session.get(Complaint, filed.complaint.id)
    if kind is ContactKind.NONE:
        assert stored.reporter_contact is None
    else:
        assert world["sealer"].unseal(stored.reporter_contact) == contact


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("before", "opens on 2026-12-02"),
        ("after", "closed on 2026-11-30"),
        ("unset", "no dates have been set"),
        ("withdrawn", "Choose a candidate of this election"),
        ("other_election", "Choose a candidate of this election"),
        ("empty", "Describe what you are reporting"),
        ("too_long", "at most 20000 characters"),
        ("bad_contact", "not an email address"),
        ("anonymous_with_contact", "You chose to stay anonymous"),
        ("too_many_files", "at most 5 files"),
        ("bad_file", "not a type of file we accept"),
    ],
)
def test_report_is_refused_and_nothing_changes_when_bad(session, world, case, message):
    election, people = world["election"], world["people"]
    data, candidacy = _data(), None
    if case == "before":
        election.channel_opens, election.channel_closes = (
            TODAY + timedelta(days=1),
            TODAY + timedelta(days=9),
        )
    elif case == "after":
        election.channel_opens, election.channel_closes = (
            TODAY - timedelta(days=9),
            TODAY - timedelta(days=1),
        )
    elif case == "unset":
        election.channel_opens = election.channel_closes = None
    elif case == "withdrawn":
        candidacy = nominate(session, people, election, name="Wendy Withdrawn", state="JPN")
        nominations.withdraw_candidacy(session, people.secretariat, candidacy, reason="Personal.")
    elif case == "other_election":
        candidacy = world["outsider"]
    elif case == "empty":
        data = _data(text="   ")
    elif case == "too_long":
        data = _data(text="x" * 20001)
    elif case == "bad_contact":
        data = _data(contact="nobody")
    elif case == "anonymous_with_contact":
        data = _data(contact_kind=ContactKind.NONE)
    elif case == "too_many_files":
        data = _data(files=tuple(channel.Upload(f"{i}.txt", b"text") for i in range(6)))
    elif case == "bad_file":
        data = _data(files=(channel.Upload("a.txt", b"fine"), channel.Upload("x.pdf", b"\x7fELF")))
    session.commit()
    before = _snapshot(session)
    with pytest.raises(Refused, match=message):
        _submit(session, world, data, candidacy=candidacy)
    session.rollback()
    assert _snapshot(session) == before
    files_dir = Path(world["files_dir"])
    assert not files_dir.exists() or list(files_dir.iterdir()) == []


# -- the receipt ----------------------------------------------------------------------------------


def test_receipt_opens_its_report_only_when_the_code_is_right(session, world):
    filed = _submit(session, world)
    other = _submit(session, world, _data(text="Another report."))
    session.commit()
    code = filed.receipt_code
    assert channel.find_by_receipt(session, code).id == filed.complaint.id
    assert channel.find_by_receipt(session, code.lower().replace("-", " ")).id == filed.complaint.id
    assert channel.find_by_receipt(session, other.receipt_code).id == other.complaint.id
    assert channel.find_by_receipt(session, rules.new_receipt_code()) is None
    assert channel.find_by_receipt(session, "not a code") is None
    assert channel.find_by_receipt(session, "") is None


def test_addition_is_sealed_and_audited_without_address_when_report_is_open(session, world):
    filed = _submit(session, world, _data(contact_kind=ContactKind.NONE, contact=""))
    session.commit()
    session.info[IP_KEY] = "198.51.100.9"
    channel.add_information(
        session,
        world["sealer"],
        filed.complaint,
        text="CANARY-addition: a second witness.",
        files=(channel.Upload("scan.png", PNG),),
        settings=world["settings"],
    )
    session.commit()
    additions = session.scalars(sa.select(ComplaintAddition).order_by(ComplaintAddition.id)).all()
    assert len(additions) == 2
    assert world["sealer"].unseal(additions[0].text) == "CANARY-addition: a second witness."
    assert additions[1].text == "" and additions[1].file_id is not None
    assert "CANARY-addition" not in _raw_rows(session, "complaint_additions")
    entry = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.COMPLAINT_ADD.value)
    ).one()
    assert entry.ip is None and entry.actor_id is None
    assert entry.data == '{"files":1,"text":true}'


@pytest.mark.parametrize("case", ["empty", "closed_by_triage", "diligence_closed", "withdrawn"])
def test_addition_is_refused_and_nothing_changes_when_not_possible(session, world, case):
    people, candidacy = world["people"], world["candidacy"]
    filed = _submit(session, world)
    session.commit()
    if case == "closed_by_triage":
        channel.triage_report(
            session,
            world["sealer"],
            people.vetting_officer,
            filed.complaint,
            outcome=TriageOutcome.OUT_OF_SCOPE,
            reason="Concerns a private dispute.",
        )
    elif case == "diligence_closed":
        diligence.record_integrity_outcome(
            session,
            people.vetting_officer,
            candidacy,
            outcome=IntegrityOutcome.CONCERNS_NOTED,
            memo="One concern, partly substantiated.",
        )
    elif case == "withdrawn":
        nominations.withdraw_candidacy(session, people.secretariat, candidacy, reason="Personal.")
    session.commit()
    before = _snapshot(session)
    with pytest.raises(Refused, match="closed" if case != "empty" else "Write the information"):
        channel.add_information(
            session,
            world["sealer"],
            filed.complaint,
            text="" if case == "empty" else "More.",
            settings=world["settings"],
        )
    session.rollback()
    assert _snapshot(session) == before


# -- triage ---------------------------------------------------------------------------------------


def test_triage_is_recorded_sealed_and_audited_by_digest_when_officer(session, world):
    officer = world["people"].vetting_officer
    filed = _submit(session, world)
    session.commit()
    reason = "CANARY-reason: two consistent accounts; the reporter names a witness."
    channel.triage_report(
        session,
        world["sealer"],
        officer,
        filed.complaint,
        outcome=TriageOutcome.NEEDS_INFORMATION,
        reason=reason,
    )
    session.commit()
    channel.triage_report(
        session,
        world["sealer"],
        officer,
        filed.complaint,
        outcome=TriageOutcome.CREDIBLE_CONCERN,
        reason=reason,
    )
    session.commit()
    complaint = session.get(Complaint, filed.complaint.id)
    assert complaint.triage is TriageOutcome.CREDIBLE_CONCERN
    assert complaint.triaged_by_id == officer.id and complaint.triaged_at is not None
    assert world["sealer"].unseal(complaint.triage_reason) == reason
    assert "CANARY-reason" not in _raw_rows(session, "complaints")
    entries = session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == AuditAction.COMPLAINT_TRIAGE.value)
        .order_by(AuditEntry.seq)
    ).all()
    assert [e.actor_id for e in entries] == [officer.id, officer.id]
    digest = hashlib.sha256(f"credible_concern\n{reason}".encode()).hexdigest()
    assert entries[1].data == f'{{"digest":"{digest}","first":false}}'
    # The log, which the secretariat reads, does not name the outcome.
    assert all("credible" not in e.data and "needs_information" not in e.data for e in entries)


@pytest.mark.parametrize(
    ("who", "outcome", "reason", "message"),
    [
        ("vetting_officer", TriageOutcome.OUT_OF_SCOPE, "   ", "Give the reasons"),
        ("vetting_officer", TriageOutcome.OUT_OF_SCOPE, "x" * 4001, "at most 4000"),
        ("vetting_officer", TriageOutcome.NOT_SUBSTANTIATED, "Same.", "already recorded"),
        ("secretariat", TriageOutcome.OUT_OF_SCOPE, "Reasons.", "Only a vetting officer"),
        ("chair", TriageOutcome.OUT_OF_SCOPE, "Reasons.", "Only a vetting officer"),
    ],
)
def test_triage_is_refused_and_nothing_changes_when_bad(
    session, world, who, outcome, reason, message
):
    people = world["people"]
    filed = _submit(session, world)
    channel.triage_report(
        session,
        world["sealer"],
        people.vetting_officer,
        filed.complaint,
        outcome=TriageOutcome.NOT_SUBSTANTIATED,
        reason="Same.",
    )
    session.commit()
    before = _snapshot(session)
    user = getattr(people, who)
    with pytest.raises(Refused, match=message):
        channel.triage_report(
            session, world["sealer"], user, filed.complaint, outcome=outcome, reason=reason
        )
    session.rollback()
    assert _snapshot(session) == before
    stored = session.get(Complaint, filed.complaint.id)
    assert stored.triage is TriageOutcome.NOT_SUBSTANTIATED
    assert world["sealer"].unseal(stored.triage_reason) == "Same."


def test_complaint_received_by_other_means_is_sealed_when_recorded(session, world):
    complaint = diligence.receive_complaint(
        session,
        world["candidacy"],
        category=MisconductCategory.FRAUD_CORRUPTION_OTHER,
        text=TEXT,
        reporter_contact=CONTACT,
    )
    session.commit()
    assert complaint.receipt_hash is None
    raw = _raw_rows(session, "complaints")
    assert TEXT not in raw and CONTACT not in raw
    assert world["sealer"].unseal(complaint.text) == TEXT


# -- the integrity memo -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("memo", "problem"),
    [
        ("A credible concern about conduct towards court staff, partly confirmed.", None),
        ("Report 5e1: the Candidate SHOUTED at a clerk in March, 2019 - and more.", "quotes"),
        ("Write to canary.witness.5e1@EXAMPLE.net for details.", "contact"),
        ("shouted at a clerk", None),  # a few words in common are not a quotation
    ],
)
def test_memo_problem_finds_quotations_and_contacts_when_any_memo(memo, problem):
    reports = ["CANARY-report-5e1: the candidate shouted at a clerk in March 2019."]
    found = rules.memo_problem(memo, reports, [CONTACT])
    assert (found is None) == (problem is None)
    if problem:
        assert problem in found


def test_memo_is_refused_and_nothing_changes_when_it_quotes_a_report_or_names_a_reporter(
    session, world
):
    people, candidacy = world["people"], world["candidacy"]
    filed = _submit(session, world)
    channel.add_information(
        session,
        world["sealer"],
        filed.complaint,
        text="A second witness, the registrar's assistant, saw the whole exchange in the hall.",
        settings=world["settings"],
    )
    session.commit()
    before = _snapshot(session)
    for memo in (
        f"Concerns: {TEXT}",
        f"The reporter ({CONTACT}) is credible.",
        "Per the reporter, the registrar's assistant saw the whole exchange in the hall.",
    ):
        with pytest.raises(Refused, match="memo"):
            diligence.record_integrity_outcome(
                session,
                people.vetting_officer,
                candidacy,
                outcome=IntegrityOutcome.CONCERNS_NOTED,
                memo=memo,
            )
        session.rollback()
    assert _snapshot(session) == before
    assert session.get(type(candidacy), candidacy.id).integrity_memo is None
    diligence.record_integrity_outcome(
        session,
        people.vetting_officer,
        candidacy,
        outcome=IntegrityOutcome.CONCERNS_NOTED,
        memo="A first-hand account of conduct towards court staff, partly corroborated.",
    )
    session.commit()
    assert session.get(type(candidacy), candidacy.id).integrity_outcome is (
        IntegrityOutcome.CONCERNS_NOTED
    )
