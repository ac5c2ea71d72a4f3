"""Cross-cutting web security: headers, cookies, CSRF on every POST, errors, deny by default."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from tests.conftest import make_test_app
from vetting.domain.stages import Stage
from vetting.extensions import db
from vetting.models import Assignment, Base, Candidacy, Notice
from vetting.scenarios import DEFAULT_PASSWORD, make_election, make_people, nominate, walk
from vetting.web.candidate.questionnaire_views import RESCUED_ENDPOINTS
from vetting.web.policy import public

PAGES = ["/", "/login", "/healthz", "/no-such-page"]


def _csp(response) -> dict[str, str]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.parametrize("path", PAGES)
def test_page_carries_strict_security_headers_when_served(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)

    csp = _csp(response)
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["form-action"] == "'self'"
    raw = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in raw and "unsafe-eval" not in raw
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")
    assert response.headers["Cache-Control"] == "no-store"


def test_static_file_may_be_cached_when_served(client):
    response = client.get("/static/vetting.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


def test_session_cookie_is_httponly_lax_and_not_secure_when_base_url_is_http(csrf_app):
    cookie = _session_cookie(csrf_app.test_client().get("/login"))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_base_url_is_https(engine, database_url, tmp_path):
    app = make_test_app(
        database_url, tmp_path, WTF_CSRF_ENABLED=True, BASE_URL="https://vetting.example.org"
    )
    with app.app_context():
        cookie = _session_cookie(app.test_client().get("/login", base_url="https://localhost"))
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


# --- CSRF on every unsafe route -------------------------------------------------------------


def _world(app: Flask) -> dict[str, str]:
    """Real objects for the URL arguments, so a refusal cannot be a 404 in disguise."""
    with db.sessionmaker() as s:
        people = make_people(s)
        election = make_election(s, people)
        candidacy = nominate(s, people, election, name="Amina Diallo", state="SEN")
        walk(s, people, candidacy, Stage.PAPER_SCORING)
        s.commit()
        assignment = s.scalars(sa.select(Assignment)).first()
        notice = s.scalars(sa.select(Notice)).first()
        assert assignment is not None and notice is not None
        return {
            "public_id": candidacy.public_id,
            "election_id": str(election.id),
            "assignment_id": str(assignment.id),
            "notice_id": str(notice.id),
            "token": "not-a-real-token",
            "secretariat": people.secretariat.email,
        }


def _row_counts() -> dict[str, int]:
    with db.sessionmaker() as s:
        counts = {
            table.name: s.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }
        counts["audit_head_seq"] = s.scalar(sa.text("SELECT seq FROM audit_head")) or 0
        counts["stage_of_candidacy"] = len({c.stage for c in s.scalars(sa.select(Candidacy))})
    return counts


def _post_rules(app: Flask, values: dict[str, str]) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()):
            continue
        args = {name: values.get(name, "1") for name in rule.arguments}
        urls.append((rule.endpoint, rule.build(args, append_unknown=False)[1]))
    return urls


def _login_with_token(client: FlaskClient, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None, "the login form carries a CSRF token"
    response = client.post(
        "/login", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token[1]}
    )
    assert response.status_code == 302


def test_every_post_route_refuses_request_without_csrf_token_when_protection_is_on(csrf_app):
    values = _world(csrf_app)
    urls = _post_rules(csrf_app, values)
    # The catalogue must hold the thin path's unsafe routes, or the loop proves nothing.
    endpoints = {endpoint for endpoint, _ in urls}
    assert {"auth.login", "auth.logout", "secretariat.eligibility", "panel.finding"} <= endpoints
    before = _row_counts()

    anonymous = csrf_app.test_client()
    signed_in = csrf_app.test_client()
    _login_with_token(signed_in, values["secretariat"])
    after_login = _row_counts()

    for client in (anonymous, signed_in):
        for endpoint, url in urls:
            response = client.post(url, data={"anything": "x"})
            if endpoint in RESCUED_ENDPOINTS:
                # A questionnaire posted without a valid session and token is not saved: it is
                # shown back on the sign-in-again page so that nothing typed is lost.
                assert response.status_code == 401, f"{endpoint} {url}: {response.status_code}"
                assert "csrf_token" in response.get_data(as_text=True)
                continue
            assert response.status_code == 400, f"{endpoint} {url}: {response.status_code}"
            assert "form" in response.get_data(as_text=True).lower()

    # Nothing changed, beyond the sign-in itself (its audit entry) before the loop.
    assert _row_counts() == after_login
    assert after_login["audit_entries"] == before["audit_entries"] + 1


def test_post_with_valid_token_passes_csrf_when_protection_is_on(csrf_app):
    # The counterpart: the same client with a token is not refused, so the 400s above are CSRF.
    values = _world(csrf_app)
    client = csrf_app.test_client()
    _login_with_token(client, values["secretariat"])
    assert client.get("/me").status_code == 200


# --- errors and deny by default --------------------------------------------------------------


def _app_with_test_routes(database_url: str, tmp_path: Path) -> Flask:
    app = make_test_app(database_url, tmp_path)
    bp = Blueprint("boom", __name__)

    @bp.route("/boom")
    @public
    def boom() -> object:
        raise RuntimeError("secret detail /srv/vetting/internal.py")

    @bp.route("/forgotten")
    def forgotten() -> object:  # deliberately without a policy decorator
        return "should never be served"

    app.register_blueprint(bp)
    return app


def test_unexpected_error_shows_generic_page_and_logs_traceback_when_view_raises(
    engine, database_url, tmp_path, caplog
):
    app = _app_with_test_routes(database_url, tmp_path)
    caplog.set_level(logging.ERROR, logger="vetting.errors")
    with app.app_context():
        response = app.test_client().get("/boom")

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "secret detail" not in page
    assert "/srv/" not in page and ".py" not in page
    reference = re.search(r"Reference: ([0-9a-f]{12})", page)
    assert reference is not None
    records = [r for r in caplog.records if r.name == "vetting.errors"]
    assert len(records) == 1
    assert reference[1] in records[0].getMessage()
    assert records[0].exc_info is not None
    assert "RuntimeError: secret detail" in caplog.text
    assert "Traceback" in caplog.text


def test_route_without_policy_is_refused_when_requested(engine, database_url, tmp_path, caplog):
    app = _app_with_test_routes(database_url, tmp_path)
    with app.app_context():
        response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert "should never be served" not in response.get_data(as_text=True)
    assert "boom.forgotten has no access policy" in caplog.text


@pytest.mark.parametrize("path", ["/.git/config", "/.env", "/instance/vetting.sqlite3"])
def test_repository_and_instance_files_are_not_served_when_requested(client, path):
    assert client.get(path).status_code == 404


def test_health_check_reports_database_and_queue_when_all_is_well(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "ok"}


def test_no_route_addresses_candidacies_or_people_by_sequential_id_when_mapped(app):
    # URLs use the opaque public_id: no sequential candidacy id, user id, name or email.
    forbidden = {"candidacy_id", "user_id", "email", "name"}
    for rule in app.url_map.iter_rules():
        assert not (rule.arguments & forbidden), rule.rule
