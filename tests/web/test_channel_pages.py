"""The confidential channel over HTTP: the public report page and its window, the receipt
code (no enumeration), rate limits, the vetting officers' reports and triage, the secretariat's
window form, and the reporter's address withheld from the outgoing-mail pages."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import _dispose, _empty_tables, make_test_app
from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.vocabulary import MisconductCategory, TriageOutcome
from vetting.extensions import db
from vetting.models import AuditEntry, AuditHead, Complaint, ComplaintAddition, Election, Notice
from vetting.models.base import utcnow
from vetting.notices import NoticeKind, queue_notice
from vetting.notices.confidential import WITHHELD
from vetting.notices.outbox import DISPATCHER_KEY
from vetting.operations import channel, nominations
from vetting.scenarios import make_election, make_people, nominate

TEXT = "CANARY-web-report-91c: the candidate falsified travel claims in 2018."
CONTACT = "canary.web.91c@example.net"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
CODE = re.compile(r'<p[^>]*id="receipt-code"[^>]*>([A-Z0-9-]+)</p>')


def make_world(session, *, opens=-5, closes=25):
    people = make_people(session)
    election = make_election(session, people)
    amina = nominate(session, people, election, name="Amina Diallo", state="SEN")
    withdrawn = nominate(session, people, election, name="Wendy Withdrawn", state="JPN")
    nominations.withdraw_candidacy(session, people.secretariat, withdrawn, reason="Personal.")
    today = utcnow().date()
    if opens is not None:
        election.channel_opens = today + timedelta(days=opens)
        election.channel_closes = today + timedelta(days=closes)
    session.commit()
    return people, election, amina


def report_form(target, **overrides):
    data = {
        "candidacy": target.public_id,
        "category": MisconductCategory.FRAUD_CORRUPTION_OTHER.value,
        "text": TEXT,
        "contact_kind": "email",
        "contact": CONTACT,
    }
    data.update(overrides)
    return data


def send_report(client, election, target, **overrides):
    return client.post(
        f"/elections/{election.id}/report",
        data=report_form(target, **overrides),
        content_type="multipart/form-data",
    )


def snapshot(session):
    session.expire_all()

    def count(model):
        return session.scalar(sa.select(sa.func.count()).select_from(model))

    return count(Complaint), count(ComplaintAddition), count(Notice), session.get(AuditHead, 1).seq


def code_of(response) -> str:
    match = CODE.search(response.get_data(as_text=True))
    assert match, "the receipt code is not shown"
    return match.group(1)


# -- the window ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "words"),
    [
        (3, 20, "is not open yet. It opens on"),
        (-20, -1, "closed on"),
        (None, None, "its dates have not been set"),
    ],
)
def test_report_page_says_when_and_refuses_posts_when_window_is_closed(
    client, session, opens, closes, words
):
    _people, election, amina = make_world(session, opens=opens, closes=closes)
    page = client.get(f"/elections/{election.id}/report")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert words in body and 'id="channel-closed"' in body
    assert "Send the report" not in body
    if opens is not None:
        expected = (utcnow().date() + timedelta(days=opens if opens > 0 else closes)).isoformat()
        assert expected in body
    before = snapshot(session)
    refused = send_report(client, election, amina)
    assert refused.status_code == 403
    assert words in refused.get_data(as_text=True)
    assert snapshot(session) == before


def test_report_page_lists_this_elections_candidates_only_when_open(client, session):
    people, election, _amina = make_world(session)
    other = make_election(session, people, title="Election of the Prosecutor")
    nominate(session, people, other, name="Omar Other", state="GHA")
    session.commit()
    body = client.get(f"/elections/{election.id}/report").get_data(as_text=True)
    assert "Amina Diallo" in body
    assert "Wendy Withdrawn" not in body and "Omar Other" not in body
    assert 'enctype="multipart/form-data"' in body
    assert "Report misconduct by a candidate" in client.get(f"/elections/{election.id}").get_data(
        as_text=True
    )
    assert client.get("/elections/999/report").status_code == 404


# -- reporting ----------------------------------------------------------------------------------


def test_report_is_received_sealed_and_its_code_shown_once_when_sent(client, session):
    _people, election, amina = make_world(session)
    response = client.post(
        f"/elections/{election.id}/report",
        data={
            **report_form(amina),
            "files": (io.BytesIO(PNG), "photo.png"),
        },
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": "203.0.113.50"},
        headers={"User-Agent": "CANARY-agent/1.0"},
    )
    assert response.status_code == 200
    code = code_of(response)
    assert "shown only this once" in response.get_data(as_text=True)
    complaint = session.scalars(sa.select(Complaint)).one()
    assert complaint.receipt_hash == channel.rules.receipt_hash(code)
    dump = repr(session.execute(sa.text("SELECT * FROM complaints")).all())
    audit_dump = repr(session.execute(sa.text("SELECT * FROM audit_entries")).all())
    for secret in (TEXT, CONTACT, code, "203.0.113.50", "CANARY-agent"):
        assert secret not in dump
    assert "203.0.113.50" not in audit_dump and "CANARY-agent" not in audit_dump
    additions = session.scalars(sa.select(ComplaintAddition)).all()
    assert len(additions) == 1 and additions[0].file_id is not None
    # The code is not in the session cookie either.
    assert code not in str(
        client.get_cookie("session").value if client.get_cookie("session") else ""
    )
    # Coming back to the page does not show it again.
    assert code not in client.get(f"/elections/{election.id}/report").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "Describe what you are reporting."),
        ({"candidacy": ""}, "Choose the candidate concerned."),
        ({"candidacy": "0" * 32}, "Not a valid choice"),
        ({"category": "gossip"}, "Not a valid choice"),
        ({"contact": "nobody"}, "not an email address we can write to"),
        ({"contact_kind": "none"}, "You chose to stay anonymous"),
        ({"contact_kind": "phone", "contact": "12"}, "with its country code"),
        ({"text": "x" * 20001}, "Field cannot be longer than 20000 characters."),
    ],
)
def test_report_is_refused_with_words_and_nothing_changes_when_input_is_bad(
    client, session, overrides, message
):
    _people, election, amina = make_world(session)
    before = snapshot(session)
    response = send_report(client, election, amina, **overrides)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_report_with_a_wrong_file_is_refused_and_nothing_changes(client, session):
    _people, election, amina = make_world(session)
    before = snapshot(session)
    response = client.post(
        f"/elections/{election.id}/report",
        data={**report_form(amina), "files": (io.BytesIO(b"MZ\x90\x00binary"), "cv.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "not a type of file we accept" in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_report_needs_the_csrf_token_when_csrf_is_on(csrf_app):
    from vetting.extensions import db as ext_db

    with ext_db.sessionmaker() as session:
        _people, election, amina = make_world(session)
        client = csrf_app.test_client()
        assert send_report(client, election, amina).status_code == 400
        page = client.get(f"/elections/{election.id}/report").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = send_report(client, election, amina, csrf_token=token)
        assert response.status_code == 200
        code_of(response)


# -- the receipt --------------------------------------------------------------------------------


def _file_report(client, session, **overrides):
    _people, election, amina = make_world(session)
    return code_of(send_report(client, election, amina, **overrides))


def test_receipt_opens_the_status_and_takes_additions_when_code_is_right(client, session):
    code = _file_report(client, session)
    page = client.post("/channel/receipt", data={"code": code.lower().replace("-", " ")})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Received: the vetting officers have not yet assessed it." in body
    assert TEXT not in body and "Amina Diallo" not in body and CONTACT not in body
    added = client.post(
        "/channel/receipt/add",
        data={
            "code": code,
            "text": "CANARY-more: a colleague saw it too.",
            "files": (io.BytesIO(PNG), "p.png"),
        },
        content_type="multipart/form-data",
    )
    assert added.status_code == 200
    assert "Your information was added to the report." in added.get_data(as_text=True)
    rows = session.scalars(sa.select(ComplaintAddition).order_by(ComplaintAddition.id)).all()
    assert len(rows) == 2  # the text, then the file
    assert "CANARY-more" not in repr(
        session.execute(sa.text("SELECT * FROM complaint_additions")).all()
    )


def test_receipt_answers_identically_when_code_is_wrong_malformed_or_lost(client, session):
    real = _file_report(client, session)
    unknown = channel.rules.new_receipt_code()
    answers = []
    for code in (unknown, "not-a-code", "x" * 500, real[:-1] + ("0" if real[-1] != "0" else "1")):
        response = client.post("/channel/receipt", data={"code": code})
        answers.append((response.status_code, response.get_data(as_text=True)))
        add = client.post("/channel/receipt/add", data={"code": code, "text": "More."})
        answers.append((add.status_code, add.get_data(as_text=True)))
    assert len(set(answers)) == 1
    status, body = answers[0]
    assert status == 200 and 'id="receipt-unknown"' in body
    assert "No report can be opened with this code." in body
    # The code typed is not echoed back.
    assert unknown not in body and "not-a-code" not in body
    assert session.scalar(sa.select(sa.func.count()).select_from(ComplaintAddition)) == 0


def test_reporter_sees_status_words_but_never_the_triage_reasons_when_triaged(client, session):
    people, election, amina = make_world(session)
    code = code_of(send_report(client, election, amina))
    complaint = session.scalars(sa.select(Complaint)).one()
    reason = "CANARY-triage-reason: the reporter saw it first-hand."
    for outcome, words in (
        (TriageOutcome.NEEDS_INFORMATION, "would welcome more information"),
        (TriageOutcome.CREDIBLE_CONCERN, "Under review by the vetting officers."),
        (TriageOutcome.NOT_SUBSTANTIATED, "Closed: the vetting officers"),
    ):
        channel.triage_report(
            session,
            channel.sealer_of(session),
            people.vetting_officer,
            complaint,
            outcome=outcome,
            reason=f"{reason} {outcome.value}",
        )
        session.commit()
        body = client.post("/channel/receipt", data={"code": code}).get_data(as_text=True)
        assert words in body
        assert "CANARY-triage-reason" not in body
        assert "Credible" not in body and "substantiated" not in body.lower()
    assert "nothing more can be added" in body
    refused = client.post("/channel/receipt/add", data={"code": code, "text": "More."})
    assert refused.status_code == 422
    assert "This report is closed; nothing more can be added to it." in refused.get_data(
        as_text=True
    )
    assert session.scalar(sa.select(sa.func.count()).select_from(ComplaintAddition)) == 0


# -- rate limits --------------------------------------------------------------------------------


@pytest.fixture
def limited_app(engine, database_url, tmp_path):
    _empty_tables(engine)
    application = make_test_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        CHANNEL_REPORT_LIMITS="3 per hour",
        CHANNEL_REPORT_GLOBAL_LIMITS="100 per hour",
        CHANNEL_RECEIPT_LIMITS="4 per hour",
    )
    with application.app_context():
        yield application
    _dispose(application)
    _empty_tables(engine)


def test_reports_get_429_with_words_after_the_limit_when_flooding(limited_app):
    from vetting.web.ratelimit import limiter

    with db.sessionmaker() as session:
        _people, election, amina = make_world(session)
        client = limited_app.test_client()
        for _ in range(3):
            assert send_report(client, election, amina).status_code == 200
        before = snapshot(session)
        flooded = send_report(client, election, amina)
        assert flooded.status_code == 429
        body = flooded.get_data(as_text=True)
        assert "Too many attempts" in body and "Nothing was recorded" in body
        assert int(flooded.headers["Retry-After"]) > 0
        assert snapshot(session) == before
        # Reading the page is not limited; another address still may report.
        assert client.get(f"/elections/{election.id}/report").status_code == 200
        other = limited_app.test_client()
        elsewhere = other.post(
            f"/elections/{election.id}/report",
            data=report_form(amina),
            environ_base={"REMOTE_ADDR": "198.51.100.4"},
        )
        assert elsewhere.status_code == 200
        # The counters are kept under a keyed hash, never the address.
        keys = " ".join(str(k) for k in limiter.storage.storage)
        assert keys and "127.0.0.1" not in keys and "198.51.100.4" not in keys


def test_receipt_attempts_get_429_after_the_limit_on_both_pages(limited_app):
    with db.sessionmaker() as session:
        make_world(session)
        client = limited_app.test_client()
        for index in range(4):
            url = "/channel/receipt" if index % 2 else "/channel/receipt/add"
            assert client.post(url, data={"code": f"wrong {index}"}).status_code == 200
        assert client.post("/channel/receipt", data={"code": "wrong"}).status_code == 429
        assert client.post("/channel/receipt/add", data={"code": "wrong"}).status_code == 429
        assert client.get("/channel/receipt").status_code == 200


# -- the vetting officers' side -----------------------------------------------------------------


def _officer_world(client, session):
    people, election, amina = make_world(session)
    code_of(send_report(client, election, amina))
    first = session.scalars(sa.select(Complaint)).one()
    channel.triage_report(
        session,
        channel.sealer_of(session),
        people.vetting_officer,
        first,
        outcome=TriageOutcome.OUT_OF_SCOPE,
        reason="A private dispute.",
    )
    session.commit()
    second = channel.receive_report(
        session,
        channel.sealer_of(session),
        amina,
        category=MisconductCategory.HARASSMENT,
        text="CANARY-second report.",
        contact=None,
    )
    session.commit()
    return people, first, second


def test_reports_queue_lists_untriaged_first_without_text_when_vetting_officer(client, session):
    people, first, second = _officer_world(client, session)
    login(client, people.vetting_officer)
    page = client.get("/diligence/reports")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert body.index(f"/diligence/reports/{second.id}") < body.index(
        f"/diligence/reports/{first.id}"
    )
    assert "Not triaged" in body and "Out of scope" in body
    assert TEXT not in body and "CANARY-second" not in body and CONTACT not in body


def test_report_page_shows_text_and_contact_on_request_and_audits_both(client, session):
    people, first, _second = _officer_world(client, session)
    login(client, people.vetting_officer)
    page = client.get(f"/diligence/reports/{first.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and TEXT in body and CONTACT not in body
    assert "A private dispute." in body  # the triage reasons, for the officers
    shown = client.post(f"/diligence/reports/{first.id}/contact")
    assert shown.status_code == 200 and CONTACT in shown.get_data(as_text=True)
    reads = session.scalars(
        sa.select(AuditEntry.data)
        .where(
            AuditEntry.action == AuditAction.COMPLAINT_READ.value,
            AuditEntry.actor_id == people.vetting_officer.id,
        )
        .order_by(AuditEntry.seq)
    ).all()
    assert reads == ['{"contact":false}', '{"contact":true}']


def test_report_file_is_served_as_an_attachment_and_audited_when_vetting_officer(client, session):
    people, election, amina = make_world(session)
    client.post(
        f"/elections/{election.id}/report",
        data={**report_form(amina), "files": (io.BytesIO(PNG), "../../photo.png")},
        content_type="multipart/form-data",
    )
    complaint = session.scalars(sa.select(Complaint)).one()
    addition = session.scalars(sa.select(ComplaintAddition)).one()
    login(client, people.vetting_officer)
    response = client.get(f"/diligence/reports/{complaint.id}/files/{addition.id}")
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Disposition"] == "attachment; filename*=UTF-8''photo.png"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    entry = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == AuditAction.COMPLAINT_READ.value)
    ).one()
    assert f'"file":{addition.file_id}' in entry.data
    assert (
        client.get(f"/diligence/reports/{complaint.id}/files/{addition.id + 1}").status_code == 404
    )


def test_triage_is_recorded_when_posted_and_refused_without_change_when_bad(client, session):
    people, _first, second = _officer_world(client, session)
    login(client, people.vetting_officer)
    before = snapshot(session)
    bad = client.post(
        f"/diligence/reports/{second.id}/triage", data={"outcome": "guilty", "reason": "R."}
    )
    assert bad.status_code == 422 and "Not a valid choice" in bad.get_data(as_text=True)
    empty = client.post(
        f"/diligence/reports/{second.id}/triage", data={"outcome": "credible_concern"}
    )
    assert empty.status_code == 422 and "Give the reasons for the triage." in empty.get_data(
        as_text=True
    )
    after = snapshot(session)
    # Re-rendering records the reads it shows, and nothing else.
    assert after[:3] == before[:3]
    actions = set(session.scalars(sa.select(AuditEntry.action).where(AuditEntry.seq > before[3])))
    assert actions == {AuditAction.COMPLAINT_READ.value}
    assert session.get(Complaint, second.id).triage is None
    done = client.post(
        f"/diligence/reports/{second.id}/triage",
        data={"outcome": "credible_concern", "reason": "Consistent and detailed."},
    )
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Complaint, second.id).triage is TriageOutcome.CREDIBLE_CONCERN


@pytest.mark.parametrize("who", ["secretariat", "chair", "admin"])
def test_reports_are_refused_when_not_a_vetting_officer(client, session, who):
    people, first, _second = _officer_world(client, session)
    login(client, getattr(people, who))
    for method, url in (
        ("get", "/diligence/reports"),
        ("get", f"/diligence/reports/{first.id}"),
        ("post", f"/diligence/reports/{first.id}/contact"),
        ("post", f"/diligence/reports/{first.id}/triage"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 403
        assert TEXT.encode() not in response.data and CONTACT.encode() not in response.data


# -- the secretariat's window -------------------------------------------------------------------


def test_secretariat_sets_the_window_from_the_election_page(client, session):
    people, election, _amina = make_world(session, opens=None)
    login(client, people.secretariat)
    page = client.get(f"/secretariat/elections/{election.id}")
    assert "Not open: no dates are set." in page.get_data(as_text=True)
    today = utcnow().date()
    response = client.post(
        f"/secretariat/elections/{election.id}/channel",
        data={"opens": today.isoformat(), "closes": (today + timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Election, election.id).channel_closes == today + timedelta(days=30)
    page = client.get(f"/secretariat/elections/{election.id}").get_data(as_text=True)
    assert "The confidential channel&#39;s window is saved." in page or "window is saved" in page
    assert "Open from" in page


def test_secretariat_window_is_refused_with_words_and_nothing_changes_when_bad(client, session):
    people, election, _amina = make_world(session)
    login(client, people.secretariat)
    before = snapshot(session)
    stored = (election.channel_opens, election.channel_closes)
    today = utcnow().date()
    for data, words in (
        ({"opens": today.isoformat(), "closes": ""}, "Give both dates"),
        ({"opens": "soon", "closes": ""}, "Not a valid date value"),
        (
            {"opens": today.isoformat(), "closes": (today - timedelta(days=1)).isoformat()},
            "close on or after the day it opens",
        ),
    ):
        response = client.post(
            f"/secretariat/elections/{election.id}/channel", data=data, follow_redirects=True
        )
        assert words in response.get_data(as_text=True)
    assert snapshot(session) == before
    session.expire_all()
    fresh = session.get(Election, election.id)
    assert (fresh.channel_opens, fresh.channel_closes) == stored


# -- the outgoing mail pages --------------------------------------------------------------------


def test_mail_pages_withhold_a_reporters_address_while_the_notice_is_pending(client, session):
    people, _election, _amina = make_world(session)
    session.info.pop(DISPATCHER_KEY, None)  # not delivered: the row still holds the address
    notice = queue_notice(
        session,
        NoticeKind.COMPLAINT_RECEIVED,
        to=CONTACT,
        context={"when": "2026-12-01", "link": "http://localhost/channel/receipt"},
    )
    session.commit()
    assert notice.to_address == CONTACT and notice.status.value == "pending"
    for user in (people.admin, people.secretariat):
        login(client, user)
        for url in ("/admin/mail", f"/admin/mail/{notice.id}"):
            body = client.get(url).get_data(as_text=True)
            assert CONTACT not in body
            assert WITHHELD.replace("'", "&#39;") in body
        client.post("/logout")
