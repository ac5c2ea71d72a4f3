"""The administrators' pages: the audit log and its verification, the outgoing mail, the users."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from tests.web.support import login
from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Role
from vetting.models import AuditEntry, Invitation, Notice, User
from vetting.notices import NoticeKind, queue_notice
from vetting.scenarios import make_people


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    from vetting.extensions import db

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def people(session):
    people = make_people(session)
    session.commit()
    return people


# -- Audit log --------------------------------------------------------------------------------


def test_audit_log_lists_entries_newest_first_when_admin(client, session, people):
    login(client, people.admin)
    page = client.get("/admin/audit")
    assert page.status_code == 200
    body = page.data.decode()
    # The admin's own login is the newest entry; account creation (no actor) is older.
    assert body.index(AuditAction.LOGIN_SUCCESS.value) < body.index(AuditAction.USER_CREATE.value)
    assert "Ada Admin" in body and "127.0.0.1" in body
    assert "/admin/audit/verify" in body


def test_audit_log_is_open_to_secretariat_and_closed_to_others_when_requested(
    client, session, people
):
    login(client, people.secretariat)
    assert client.get("/admin/audit").status_code == 200
    assert client.get("/admin/mail").status_code == 200
    assert client.get("/admin/users").status_code == 403
    client.post("/logout")
    login(client, people.chair)
    assert client.get("/admin/audit").status_code == 403
    assert client.post("/admin/audit/verify").status_code == 403
    assert client.get("/admin/mail").status_code == 403
    client.post("/logout")
    for url in ("/admin/audit", "/admin/mail", "/admin/users", "/admin/users/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def add_audit_entries(session, actors: list[User], n: int) -> None:
    for i in range(n):
        audit.record(session, actors[i % len(actors)], AuditAction.DOSSIER_READ, actors[0])
    session.commit()


def test_audit_log_runs_constant_queries_when_entries_grow(client, session, people):
    actors = [people.secretariat, people.chair, people.vetting_officer, people.admin]
    login(client, people.admin)
    add_audit_entries(session, actors, 3)
    with counted_statements() as small:
        assert client.get("/admin/audit").status_code == 200
    add_audit_entries(session, actors, 40)
    with counted_statements() as large:
        page = client.get("/admin/audit")
    assert page.status_code == 200
    assert page.data.count(AuditAction.DOSSIER_READ.value.encode()) == 43
    assert len(small) == len(large)


def test_audit_log_paginates_when_more_than_a_page(client, session, people):
    add_audit_entries(session, [people.admin], 60)
    login(client, people.admin)
    total = count(session, AuditEntry)
    first = client.get("/admin/audit").data.decode()
    second = client.get("/admin/audit?page=2").data.decode()
    assert f">{total}</th>" in first and f">{total - 49}</th>" in first
    assert f">{total - 50}</th>" not in first
    assert f">{total - 50}</th>" in second and ">1</th>" in second
    assert "?page=2" in first and "?page=1" in second


def test_audit_verify_reports_intact_chain_and_records_the_check_when_untouched(
    client, session, people
):
    login(client, people.admin)
    entries = count(session, AuditEntry)
    response = client.post("/admin/audit/verify", follow_redirects=True)
    assert response.status_code == 200
    assert f"The audit chain is intact: {entries} entries.".encode() in response.data
    last = session.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    assert last.action == AuditAction.AUDIT_VERIFY.value
    assert last.actor_id == people.admin.id
    assert audit.decode(last) == {"ok": True, "entries": entries, "first_bad_seq": None}


def test_audit_verify_names_the_first_bad_entry_when_a_row_was_tampered(client, session, people):
    session.execute(
        sa.text("UPDATE audit_entries SET action = :action WHERE seq = 3"),
        {"action": "account:innocent"},
    )
    session.commit()
    login(client, people.admin)
    response = client.post("/admin/audit/verify", follow_redirects=True)
    assert b"The audit chain is broken at entry 3" in response.data
    assert b"entry 3 was altered" in response.data
    last = session.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    assert audit.decode(last)["first_bad_seq"] == 3


def test_audit_verify_is_refused_when_csrf_token_is_missing(csrf_app, session):
    people = make_people(session)
    session.commit()
    client = csrf_app.test_client()
    page = client.get("/login").data.decode()
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={
            "email": people.admin.email,
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    before = count(session, AuditEntry)
    assert client.post("/admin/audit/verify").status_code == 400
    assert count(session, AuditEntry) == before


# -- Outgoing mail ----------------------------------------------------------------------------


def add_notices(session, to: User, n: int) -> None:
    for i in range(n):
        queue_notice(
            session, NoticeKind.REVIEWER_ASSIGNED, to=to, context={"name": f"Reviewer {i}"}
        )
    session.commit()


def test_mail_lists_notices_and_shows_one_in_full_when_admin(client, session, people):
    add_notices(session, people.chair, 2)
    notice = session.scalar(sa.select(Notice).order_by(Notice.id.desc()).limit(1))
    session.execute(
        sa.update(Notice).where(Notice.id == notice.id).values(last_error="SMTPError: busy")
    )
    session.commit()
    login(client, people.admin)
    page = client.get("/admin/mail")
    assert page.status_code == 200
    body = page.data.decode()
    assert people.chair.email in body and "reviewer_assigned" in body
    assert "SMTPError: busy" in body
    assert f"/admin/mail/{notice.id}" in body
    detail = client.get(f"/admin/mail/{notice.id}")
    assert detail.status_code == 200
    text = detail.data.decode()
    assert notice.message_id.replace("<", "&lt;").replace(">", "&gt;") in text
    assert "Reviewer 1" in text  # the body as rendered when queued
    assert client.get(f"/admin/mail/{notice.id + 999}").status_code == 404


def test_mail_runs_constant_queries_when_notices_grow(client, session, people):
    login(client, people.admin)
    add_notices(session, people.chair, 2)
    with counted_statements() as small:
        assert client.get("/admin/mail").status_code == 200
    add_notices(session, people.chair, 20)
    with counted_statements() as large:
        page = client.get("/admin/mail")
    assert page.data.count(b"/admin/mail/") == 22
    assert len(small) == len(large)


# -- Users ------------------------------------------------------------------------------------


def test_users_page_lists_accounts_when_admin(client, session, people):
    login(client, people.admin)
    page = client.get("/admin/users")
    assert page.status_code == 200
    body = page.data.decode()
    assert people.vetting_officer.email in body and "Vetting officer" in body
    assert "/admin/users/new" in body


def test_user_is_created_and_invited_when_form_is_valid(client, session, people):
    login(client, people.admin)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Focal.Chile@Example.org",
            "full_name": "Camila Focal",
            "role": "focal_point",
            "state_code": "CHL",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/users")
    user = session.scalar(sa.select(User).where(User.email == "focal.chile@example.org"))
    assert user.role is Role.FOCAL_POINT and user.state_code == "CHL"
    assert user.password_hash is None
    assert session.scalar(sa.select(Invitation).where(Invitation.user_id == user.id))
    notice = session.scalar(sa.select(Notice).where(Notice.recipient_user_id == user.id))
    assert notice.kind == "invitation" and "/invitation/" in notice.body
    entry = session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.action == AuditAction.USER_CREATE.value,
            AuditEntry.object_id == str(user.id),
        )
    )
    assert entry.actor_id == people.admin.id
    assert b"Camila Focal" in client.get("/admin/users").data


def test_user_creation_changes_nothing_when_email_exists(client, session, people):
    login(client, people.admin)
    before = (count(session, User), count(session, Notice), count(session, Invitation))
    response = client.post(
        "/admin/users/new",
        data={
            "email": people.chair.email.upper(),
            "full_name": "Somebody Else",
            "role": "panel_member",
            "state_code": "",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert f"An account with the address {people.chair.email} already exists.".encode() in (
        response.data
    )
    assert (count(session, User), count(session, Notice), count(session, Invitation)) == before


def test_user_creation_is_refused_when_role_is_candidate_or_state_is_missing(
    client, session, people
):
    login(client, people.admin)
    before = count(session, User)
    candidate = client.post(
        "/admin/users/new",
        data={"email": "c@example.org", "full_name": "C", "role": "candidate", "language": "en"},
    )
    assert candidate.status_code == 200 and b"Not a valid choice" in candidate.data
    stateless = client.post(
        "/admin/users/new",
        data={"email": "f@example.org", "full_name": "F", "role": "focal_point", "language": "en"},
    )
    assert b"A focal point needs the State they represent." in stateless.data
    assert count(session, User) == before


def test_user_pages_are_refused_when_role_is_secretariat(client, session, people):
    login(client, people.secretariat)
    assert client.get("/admin/users/new").status_code == 403
    response = client.post(
        "/admin/users/new",
        data={"email": "x@example.org", "full_name": "X", "role": "admin", "language": "en"},
    )
    assert response.status_code == 403
    assert session.scalar(sa.select(User).where(User.email == "x@example.org")) is None
