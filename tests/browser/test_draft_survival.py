"""Nothing typed is lost, in a real browser: the script saves a draft as the candidate types;
a closed browser finds it again; text typed after the session ended stays in the browser and
reaches the server after signing in again."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from vetting.domain.stages import Stage
from vetting.models import Answer, User
from vetting.operations.accounts import end_sessions, set_password
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    candidate_of,
    make_election,
    make_people,
    nominate,
    walk,
)

pytestmark = pytest.mark.browser

QUESTION = "Why do you seek this office?"
FIRST = "To serve international criminal justice with independence."
LATER = "Typed after my session had ended, and still kept."


@dataclass(frozen=True)
class Candidate:
    user_id: int
    email: str
    public_id: str


@pytest.fixture
def candidate(session, live_server) -> Candidate:
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    user = candidate_of(session, candidacy)
    set_password(session, None, user, DEFAULT_PASSWORD)
    session.commit()
    return Candidate(user.id, user.email, candidacy.public_id)


def _sign_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _saved_texts(session) -> list[str]:
    session.expire_all()
    return list(session.scalars(sa.select(Answer.text)))


def test_typed_text_survives_a_closed_browser_and_an_ended_session_when_drafts_save_themselves(
    candidate, session, live_server, browser
):
    url = f"{live_server}/candidate/{candidate.public_id}/questionnaire"

    # Typing is enough: the script saves the draft a moment after typing stops.
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    _sign_in(page, live_server, candidate.email)
    page.goto(url)
    page.get_by_label(QUESTION).fill(FIRST)
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    assert FIRST in _saved_texts(session)

    # The browser is closed; a new one (no local storage) finds the draft on the server.
    context.close()
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    _sign_in(page, live_server, candidate.email)
    page.goto(url)
    assert page.get_by_label(QUESTION).input_value() == FIRST

    # The session ends (signed out everywhere) while the page is open; the candidate types on.
    end_sessions(session, session.get(User, candidate.user_id))
    session.commit()
    page.get_by_label(QUESTION).fill(LATER)
    expect(page.locator("#autosave-status")).to_contain_text("Not saved")
    assert LATER not in _saved_texts(session)

    # Signing in again and coming back: the kept text returns to the form and is saved.
    _sign_in(page, live_server, candidate.email)
    page.goto(url)
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    assert page.get_by_label(QUESTION).input_value() == LATER
    assert LATER in _saved_texts(session)
    context.close()
