from __future__ import annotations

from tests.web.support import login
from vetting.scenarios import make_people


def test_login_redirects_to_my_work_when_password_is_right(client, session):
    people = make_people(session)
    session.commit()
    login(client, people.secretariat)
    page = client.get("/me")
    assert page.status_code == 200
    assert b"Sam Secretariat" in page.data


def test_login_gives_the_same_answer_when_account_is_unknown_or_password_wrong(client, session):
    people = make_people(session)
    session.commit()
    wrong = client.post("/login", data={"email": people.chair.email, "password": "x" * 20})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "x" * 20})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.data.replace(people.chair.email.encode(), b"") == unknown.data.replace(
        b"nobody@example.org", b""
    )


def test_old_session_cookie_is_rejected_when_user_logged_out(app, session):
    people = make_people(session)
    session.commit()
    first = app.test_client()
    login(first, people.chair)
    cookie = first.get_cookie("session")
    assert cookie is not None
    first.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", cookie.value, domain=cookie.domain)
    assert replay.get("/me").status_code == 302
