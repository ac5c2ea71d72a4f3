"""The candidate's pages and the State focal point's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import IntegrityOutcome, MeritCategory
from vetting.models import (
    AdverseNotice,
    AuditEntry,
    Candidacy,
    Notice,
    QuestionnaireResponse,
    User,
)
from vetting.models.base import utcnow
from vetting.operations.accounts import set_password
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    People,
    add_focal_point,
    candidate_of,
    make_election,
    make_people,
    nominate,
    walk,
)


@dataclass
class World:
    people: People
    candidacy: Candidacy
    candidate: User
    other: Candidacy
    other_candidate: User
    focal_point: User
    other_focal_point: User


def build(session, stage: Stage = Stage.QUESTIONNAIRE, **walk_args) -> World:
    """Two candidacies of two States, each candidate and focal point able to sign in."""
    people = make_people(session)
    focal_point = add_focal_point(session, people, "SEN", "example.org")
    other_focal_point = add_focal_point(session, people, "CHL", "example.org")
    election = make_election(session, people)
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    other = nominate(session, people, election, name="Carmen Rojas", state="CHL")
    candidate, other_candidate = candidate_of(session, candidacy), candidate_of(session, other)
    for user in (candidate, other_candidate):
        set_password(session, None, user, DEFAULT_PASSWORD)
    walk(session, people, candidacy, stage, **walk_args)
    walk(session, people, other, Stage.QUESTIONNAIRE)
    session.commit()
    return World(
        people, candidacy, candidate, other, other_candidate, focal_point, other_focal_point
    )


def answers_form(candidacy: Candidacy, **overrides: str) -> dict[str, str]:
    data = {
        "motivation": "To serve international criminal justice with independence.",
        "experience": "Twenty years as a trial judge in complex criminal proceedings.",
        "proceedings_choice": "no",
        "proceedings": "",
        "declaration": "y",
        "signature": candidacy.full_name,
        "language": "en",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def response_of(session, candidacy: Candidacy) -> QuestionnaireResponse | None:
    session.expire_all()
    return session.scalar(
        sa.select(QuestionnaireResponse).where(QuestionnaireResponse.candidacy_id == candidacy.id)
    )


def stage_of(session, candidacy: Candidacy) -> Stage:
    session.expire_all()
    return session.scalar(sa.select(Candidacy.stage).where(Candidacy.id == candidacy.id))


def audit_actions(session) -> list[str]:
    return list(session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.seq)))


# --- home ---------------------------------------------------------------------------------


def test_home_shows_only_own_candidacy_with_questionnaire_link_when_stage_is_questionnaire(
    client, session
):
    world = build(session)
    login(client, world.candidate)
    page = client.get("/candidate")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Election of six judges" in text
    assert "Questionnaire open" in text
    assert f"/candidate/{world.candidacy.public_id}/questionnaire" in text
    assert world.other.public_id not in text
    assert f"/candidate/{world.candidacy.public_id}/withdraw" in text


def test_home_redirects_to_login_when_anonymous(client, session):
    build(session)
    response = client.get("/candidate")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_home_is_forbidden_when_user_is_staff(client, session):
    world = build(session)
    login(client, world.people.chair)
    assert client.get("/candidate").status_code == 403


def test_home_links_to_reply_when_adverse_notice_awaits_reply(client, session):
    world = build(session, Stage.REPLY_PENDING, outcome=IntegrityOutcome.CONCERNS_NOTED)
    login(client, world.candidate)
    text = client.get("/candidate").get_data(as_text=True)
    assert f"/candidate/{world.candidacy.public_id}/reply" in text
    assert "Reply to the adverse information notice" in text


def test_home_shows_the_finding_before_publication_when_finding_is_adopted(client, session):
    world = build(session, Stage.FINDING_ADOPTED, merit=MeritCategory.HIGHLY_QUALIFIED)
    login(client, world.candidate)
    text = client.get("/candidate").get_data(as_text=True)
    assert "Highly qualified" in text
    assert "No adverse information" in text
    assert "M1-M7: see the panel&#39;s reasons per criterion" in text


def test_home_hides_the_withdraw_form_when_candidacy_is_closed(client, session):
    world = build(session, Stage.CLOSED)
    login(client, world.candidate)
    text = client.get("/candidate").get_data(as_text=True)
    assert "Closed" in text
    assert "/withdraw" not in text


# --- questionnaire ------------------------------------------------------------------------


def test_questionnaire_is_404_when_candidacy_is_another_candidates(client, session):
    world = build(session)
    login(client, world.candidate)
    assert client.get(f"/candidate/{world.other.public_id}/questionnaire").status_code == 404
    before = response_of(session, world.other)
    post = client.post(
        f"/candidate/{world.other.public_id}/questionnaire",
        data=answers_form(world.other, save="Save draft"),
    )
    assert post.status_code == 404
    assert response_of(session, world.other) == before


def test_questionnaire_is_404_when_public_id_is_unknown(client, session):
    world = build(session)
    login(client, world.candidate)
    assert client.get("/candidate/" + "0" * 32 + "/questionnaire").status_code == 404


def test_questionnaire_is_forbidden_when_user_is_focal_point(client, session):
    world = build(session)
    login(client, world.focal_point)
    url = f"/candidate/{world.candidacy.public_id}/questionnaire"
    assert client.get(url).status_code == 403


def test_questionnaire_redirects_to_login_when_anonymous(client, session):
    world = build(session)
    response = client.get(f"/candidate/{world.candidacy.public_id}/questionnaire")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_questionnaire_shows_it_is_not_open_when_eligibility_is_pending(client, session):
    world = build(session, Stage.NOMINATED)
    login(client, world.candidate)
    page = client.get(f"/candidate/{world.candidacy.public_id}/questionnaire")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "The questionnaire is not open" in text
    assert "<textarea" not in text


# --- reply --------------------------------------------------------------------------------


def test_reply_page_shows_the_summary_and_deadline_when_notice_was_sent(client, session):
    world = build(session, Stage.REPLY_PENDING, outcome=IntegrityOutcome.CONCERNS_NOTED)
    login(client, world.candidate)
    page = client.get(f"/candidate/{world.candidacy.public_id}/reply")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "conduct towards junior staff" in text
    assert "Reply deadline" in text


def test_reply_is_recorded_when_window_is_open(client, session):
    world = build(session, Stage.REPLY_PENDING, outcome=IntegrityOutcome.CONCERNS_NOTED)
    login(client, world.candidate)
    url = f"/candidate/{world.candidacy.public_id}/reply"
    response = client.post(url, data={"reply": "I contest this account entirely."})
    assert response.status_code == 302
    session.expire_all()
    notice = session.scalar(sa.select(AdverseNotice))
    assert notice.reply_text == "I contest this account entirely."
    assert stage_of(session, world.candidacy) is Stage.DELIBERATION
    assert AuditAction.REPLY_SUBMIT.value in audit_actions(session)
    text = client.get(url).get_data(as_text=True)
    assert "Your reply, received on" in text
    assert "<textarea" not in text


def test_reply_is_refused_and_text_kept_when_window_has_closed(client, session):
    world = build(session, Stage.REPLY_PENDING, outcome=IntegrityOutcome.CONCERNS_NOTED)
    notice = session.scalar(sa.select(AdverseNotice))
    notice.reply_due_at = utcnow() - timedelta(minutes=1)
    session.commit()
    login(client, world.candidate)
    response = client.post(
        f"/candidate/{world.candidacy.public_id}/reply", data={"reply": "Too late, alas."}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "The reply window has closed." in text
    assert "Too late, alas." in text
    session.expire_all()
    assert session.scalar(sa.select(AdverseNotice.reply_text)) is None
    assert stage_of(session, world.candidacy) is Stage.REPLY_PENDING


def test_reply_is_refused_when_already_replied(client, session):
    world = build(session, Stage.REPLY_PENDING, outcome=IntegrityOutcome.CONCERNS_NOTED)
    login(client, world.candidate)
    url = f"/candidate/{world.candidacy.public_id}/reply"
    client.post(url, data={"reply": "First reply."})
    response = client.post(url, data={"reply": "Second reply."})
    assert response.status_code == 422
    assert "Your reply was already received." in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(AdverseNotice.reply_text)) == "First reply."


def test_reply_is_refused_when_empty(client, session):
    world = build(session, Stage.REPLY_PENDING, outcome=IntegrityOutcome.CONCERNS_NOTED)
    login(client, world.candidate)
    response = client.post(f"/candidate/{world.candidacy.public_id}/reply", data={"reply": " "})
    assert response.status_code == 422
    assert "Write your reply." in response.get_data(as_text=True)
    assert stage_of(session, world.candidacy) is Stage.REPLY_PENDING


def test_reply_is_404_when_candidacy_is_another_candidates(client, session):
    world = build(session, Stage.REPLY_PENDING, outcome=IntegrityOutcome.CONCERNS_NOTED)
    login(client, world.other_candidate)
    url = f"/candidate/{world.candidacy.public_id}/reply"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"reply": "Not mine."}).status_code == 404
    session.expire_all()
    assert session.scalar(sa.select(AdverseNotice.reply_text)) is None


def test_reply_is_404_when_no_adverse_notice_was_sent(client, session):
    world = build(session)
    login(client, world.candidate)
    assert client.get(f"/candidate/{world.candidacy.public_id}/reply").status_code == 404


# --- withdrawal ---------------------------------------------------------------------------


def test_candidate_withdraws_own_candidacy_when_reason_given(client, session):
    world = build(session)
    login(client, world.candidate)
    response = client.post(
        f"/candidate/{world.candidacy.public_id}/withdraw",
        data={"reason": "Personal reasons."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/candidate")
    assert stage_of(session, world.candidacy) is Stage.WITHDRAWN
    session.expire_all()
    withdrawn = session.get(Candidacy, world.candidacy.id)
    assert withdrawn.withdrawal_reason == "Personal reasons."
    assert AuditAction.CANDIDACY_TRANSITION.value in audit_actions(session)
    assert session.scalar(sa.select(sa.func.count()).where(Notice.kind == "withdrawal")) > 0
    text = client.get("/candidate").get_data(as_text=True)
    assert "withdrawn on" in text
    assert "/withdraw" not in text


def test_withdrawal_is_refused_when_reason_is_missing(client, session):
    world = build(session)
    login(client, world.candidate)
    response = client.post(f"/candidate/{world.candidacy.public_id}/withdraw", data={"reason": ""})
    assert response.status_code == 302
    assert stage_of(session, world.candidacy) is Stage.QUESTIONNAIRE
    assert "Give the reason for the withdrawal." in client.get("/candidate").get_data(as_text=True)


def test_withdrawal_is_404_when_candidacy_is_another_candidates(client, session):
    world = build(session)
    login(client, world.other_candidate)
    response = client.post(
        f"/candidate/{world.candidacy.public_id}/withdraw", data={"reason": "Not mine."}
    )
    assert response.status_code == 404
    assert stage_of(session, world.candidacy) is Stage.QUESTIONNAIRE


def test_withdrawal_is_404_when_focal_point_is_of_another_state(client, session):
    world = build(session)
    login(client, world.other_focal_point)
    response = client.post(
        f"/candidate/{world.candidacy.public_id}/withdraw", data={"reason": "Not ours."}
    )
    assert response.status_code == 404
    assert stage_of(session, world.candidacy) is Stage.QUESTIONNAIRE


def test_focal_point_withdraws_own_states_candidacy_when_reason_given(client, session):
    world = build(session)
    login(client, world.focal_point)
    response = client.post(
        f"/candidate/{world.candidacy.public_id}/withdraw",
        data={"reason": "The State withdraws its nomination."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/state")
    assert stage_of(session, world.candidacy) is Stage.WITHDRAWN


def test_withdrawal_is_forbidden_when_user_is_a_reviewer(client, session):
    world = build(session)
    login(client, world.people.chair)
    response = client.post(
        f"/candidate/{world.candidacy.public_id}/withdraw", data={"reason": "No."}
    )
    assert response.status_code == 403
    assert stage_of(session, world.candidacy) is Stage.QUESTIONNAIRE


def test_withdrawal_is_refused_when_method_is_get(client, session):
    world = build(session)
    login(client, world.candidate)
    assert client.get(f"/candidate/{world.candidacy.public_id}/withdraw").status_code == 405


# --- focal point --------------------------------------------------------------------------


def test_focal_point_sees_only_own_states_candidacies(client, session):
    world = build(session)
    login(client, world.focal_point)
    page = client.get("/state")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Amina Diallo" in text
    assert "Carmen Rojas" not in text
    assert "Questionnaire open" in text
    assert f"/candidate/{world.candidacy.public_id}/withdraw" in text


def test_focal_point_sees_the_finding_before_publication_when_adopted(client, session):
    world = build(session, Stage.FINDING_ADOPTED, merit=MeritCategory.QUALIFIED)
    login(client, world.focal_point)
    text = client.get("/state").get_data(as_text=True)
    assert "Adopted finding" in text
    assert "Qualified" in text
    assert "M1-M7" in text
    login(client, world.other_focal_point)
    assert "M1-M7" not in client.get("/state").get_data(as_text=True)


def test_focal_point_page_is_forbidden_when_user_is_a_candidate(client, session):
    world = build(session)
    login(client, world.candidate)
    assert client.get("/state").status_code == 403


def test_withdrawal_needs_a_csrf_token_when_protection_is_on(csrf_app, session):
    world = build(session)
    client = csrf_app.test_client()
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    token = token.split('"')[0]
    client.post(
        "/login",
        data={"email": world.candidate.email, "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    response = client.post(
        f"/candidate/{world.candidacy.public_id}/withdraw", data={"reason": "No token."}
    )
    assert response.status_code == 400
    assert stage_of(session, world.candidacy) is Stage.QUESTIONNAIRE
