"""Step-up before high-risk actions (security checklist AU-9): a POST to a guarded view goes
through only within minutes of a confirmation (signing in counts); otherwise nothing changes and
the user confirms with their password, then is sent back to the page the form was on."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import redirect
from freezegun import freeze_time

from tests.conftest import _dispose, _empty_tables, make_test_app
from tests.web.support import login
from vetting import audit
from vetting.domain.events import AuditAction
from vetting.domain.roles import Permission
from vetting.extensions import db
from vetting.models import AuditEntry
from vetting.models.base import utcnow
from vetting.scenarios import DEFAULT_PASSWORD, make_people
from vetting.web.helpers import actor
from vetting.web.policy import requires
from vetting.web.stepup import requires_recent_auth

PROBE = "/test/publish"
FORM_PAGE = "/secretariat/elections"


def _add_probe(app) -> None:
    """A stand-in for a publication approval: a guarded POST that writes an audit entry."""

    def publish_probe() -> object:
        audit.record(db.session, actor(), AuditAction.AUDIT_VERIFY)
        db.session.commit()
        return redirect("/me")

    view = requires(Permission.SUMMARY_PUBLISH)(requires_recent_auth(publish_probe))
    app.add_url_rule(PROBE, "test_publish_probe", view, methods=["POST"])


@pytest.fixture
def app(fresh_app):
    """The probe route is added to an application of this test's own."""
    return fresh_app


@pytest.fixture
def people(app, session):
    _add_probe(app)
    made = make_people(session)
    session.commit()
    return made


def _published(session) -> int:
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == AuditAction.AUDIT_VERIFY.value)
    )


def _actions(session) -> list[str]:
    return list(session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.seq)))


def _post_from(client, page: str = f"http://localhost{FORM_PAGE}"):
    return client.post(PROBE, headers={"Referer": page})


def test_guarded_post_goes_through_when_signed_in_minutes_ago(client, people, session):
    start = utcnow()
    with freeze_time(start):
        login(client, people.secretariat)
    with freeze_time(start + timedelta(minutes=9)):
        response = _post_from(client)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me")
    assert _published(session) == 1


def test_guarded_post_is_sent_to_confirm_and_changes_nothing_when_session_is_stale(
    client, people, session
):
    start = utcnow()
    with freeze_time(start):
        login(client, people.secretariat)
    before = _actions(session)
    with freeze_time(start + timedelta(minutes=11)):
        response = _post_from(client)
        page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/confirm?next=/secretariat/elections"
    assert "needs a recent confirmation that it is you" in page
    assert "nothing was done yet" in page
    assert _actions(session) == before
    assert _published(session) == 0


def test_stale_post_returns_home_after_confirming_when_the_referrer_is_foreign(
    client, people, session
):
    start = utcnow()
    with freeze_time(start):
        login(client, people.secretariat)
    with freeze_time(start + timedelta(minutes=11)):
        response = _post_from(client, "https://evil.example/secretariat/elections")
    assert response.headers["Location"] == "/auth/confirm?next=/me"
    assert _published(session) == 0


def test_guarded_post_succeeds_when_confirmed_with_the_password(client, people, session):
    start = utcnow()
    with freeze_time(start):
        login(client, people.secretariat)
    with freeze_time(start + timedelta(minutes=30)):
        assert _post_from(client).status_code == 302
        confirmed = client.post(
            "/auth/confirm?next=/secretariat/elections", data={"password": DEFAULT_PASSWORD}
        )
        assert confirmed.status_code == 302
        assert confirmed.headers["Location"] == "/secretariat/elections"
        again = _post_from(client)

    assert again.headers["Location"].endswith("/me")
    assert _published(session) == 1
    assert AuditAction.REAUTH_SUCCESS.value in _actions(session)


def test_confirmation_is_refused_and_changes_nothing_when_the_password_is_wrong(
    client, people, session
):
    start = utcnow()
    with freeze_time(start):
        login(client, people.secretariat)
    with freeze_time(start + timedelta(minutes=30)):
        refused = client.post("/auth/confirm?next=/me", data={"password": "not the password"})
        still = _post_from(client)

    assert refused.status_code == 401
    assert "The password is not correct." in refused.get_data(as_text=True)
    assert "/auth/confirm" in still.headers["Location"]
    assert _published(session) == 0
    assert _actions(session)[-1] == AuditAction.REAUTH_FAILURE.value


def test_confirmation_expires_when_ten_more_minutes_pass(client, people, session):
    start = utcnow()
    with freeze_time(start):
        login(client, people.secretariat)
    with freeze_time(start + timedelta(minutes=30)):
        client.post("/auth/confirm", data={"password": DEFAULT_PASSWORD})
    with freeze_time(start + timedelta(minutes=41)):
        response = _post_from(client)
    assert "/auth/confirm" in response.headers["Location"]
    assert _published(session) == 0


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example/x", "javascript:x"])
def test_confirmation_returns_home_when_next_is_not_a_local_path(client, people, target):
    login(client, people.secretariat)
    response = client.post(
        "/auth/confirm", query_string={"next": target}, data={"password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/me"


def test_confirm_page_asks_for_the_password_when_opened(client, people):
    login(client, people.secretariat)
    page = client.get("/auth/confirm?next=/secretariat/elections").get_data(as_text=True)
    assert "Confirm it is you" in page
    assert 'name="password"' in page
    assert 'href="/secretariat/elections"' in page


def test_guarded_post_is_refused_for_a_role_without_the_permission_even_when_fresh(
    client, people, session
):
    login(client, people.chair)
    assert _post_from(client).status_code == 403
    assert _published(session) == 0


@pytest.fixture
def limited_app(engine, database_url, tmp_path):
    _empty_tables(engine)
    application = make_test_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        STEP_UP_LIMITS="3 per 15 minutes",
    )
    with application.app_context():
        yield application
    _dispose(application)
    _empty_tables(engine)


def test_confirmation_attempts_are_limited_when_passwords_are_guessed(limited_app):
    with db.sessionmaker() as s:
        people = make_people(s)
        s.commit()
        client = limited_app.test_client()
        login(client, people.secretariat)
        for _ in range(3):
            assert client.post("/auth/confirm", data={"password": "guess"}).status_code == 401
        before = _actions(s)

        blocked = client.post("/auth/confirm", data={"password": DEFAULT_PASSWORD})

        assert blocked.status_code == 429
        assert _actions(s) == before
