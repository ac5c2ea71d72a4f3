"""A candidate's first visit, in a real browser: invitation link, password, questionnaire."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from vetting.domain.stages import Stage
from vetting.models import Answer, Candidacy, Notice, QuestionnaireResponse
from vetting.scenarios import candidate_of, make_election, make_people, nominate, walk

pytestmark = pytest.mark.browser

PASSWORD = "a long and private passphrase"  # noqa: S105 - test data
LINK = re.compile(r"https?://\S+/invitation/\S+")


def _invitation_link(session, user_id: int) -> str:
    body = session.scalar(
        sa.select(Notice.body).where(
            Notice.kind == "invitation", Notice.recipient_user_id == user_id
        )
    )
    assert body is not None, "no invitation notice for the candidate"
    match = LINK.search(body)
    assert match, f"no link in the invitation: {body!r}"
    return match[0]


@dataclass(frozen=True)
class Invited:
    candidacy_id: int
    public_id: str
    link: str


@pytest.fixture
def invited(session, live_server) -> Invited:
    """A candidacy at the questionnaire stage whose candidate has only the invitation link.

    Built before the browser starts (see tests/browser/conftest.py: the `page` fixture is
    listed after this one in the test)."""
    people = make_people(session)
    election = make_election(session, people)
    candidacy = nominate(
        session, people, election, name="Amina Diallo", state="SEN", base_url=live_server
    )
    walk(session, people, candidacy, Stage.QUESTIONNAIRE)
    session.commit()
    link = _invitation_link(session, candidate_of(session, candidacy).id)
    assert link.startswith(live_server)
    return Invited(candidacy.id, candidacy.public_id, link)


def test_candidate_sets_password_and_submits_questionnaire_when_invited(
    invited, session, live_server, page
):
    # The invitation: choose a password, and be signed in.
    page.goto(invited.link)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url(f"{live_server}/me")
    assert "Your password is set" in page.content()

    # The questionnaire, first submitted without the signature: refused, nothing locked.
    questionnaire = f"{live_server}/candidate/{invited.public_id}/questionnaire"
    page.goto(questionnaire)
    page.get_by_label("Why do you seek this office?").fill(
        "To serve international criminal justice impartially."
    )
    page.get_by_label("Describe your most relevant professional experience for this office.").fill(
        "Eighteen years as a trial judge in complex cases."
    )
    page.locator("input[name$='_choice'][value='no']").check()
    for radio in page.locator("input[name^='d_'][value='no']").all():
        radio.check()
    page.get_by_role("button", name="Submit").click()
    assert page.locator("#problems").is_visible()
    assert "Sign by typing your full name" in page.content()
    session.expire_all()
    assert session.get(Candidacy, invited.candidacy_id).stage is Stage.QUESTIONNAIRE
    draft = session.scalar(
        sa.select(QuestionnaireResponse).where(
            QuestionnaireResponse.candidacy_id == invited.candidacy_id
        )
    )
    assert draft is not None and draft.submitted_at is None
    saved = session.scalars(sa.select(Answer.text).where(Answer.response_id == draft.id)).all()
    assert any(text.startswith("To serve") for text in saved)

    # Signed: the submission goes through and the answers are shown locked.
    page.locator("#signature").fill("Amina Diallo")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(questionnaire)
    assert "Your questionnaire is submitted." in page.content()
    assert "The answers are locked" in page.content()
    assert page.locator("textarea").count() == 0

    session.expire_all()
    assert session.get(Candidacy, invited.candidacy_id).stage is Stage.PAPER_SCORING
