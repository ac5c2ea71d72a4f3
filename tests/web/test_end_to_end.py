"""One candidacy through every stage over HTTP, each step by the right person, CSRF on.

At the end: the public pages show the published summary and nothing confidential, the stage
history is the whole path, the audit chain verifies, and every notice was delivered.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskClient
from freezegun import freeze_time

from vetting import audit
from vetting.domain.questionnaire import DECLARATION_ITEMS
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ScorePhase
from vetting.extensions import db
from vetting.models import (
    Candidacy,
    Criterion,
    Election,
    Notice,
    NoticeStatus,
    StageChange,
)
from vetting.scenarios import DEFAULT_PASSWORD, make_people

TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
MEMO = "MEMO-e2e: a former colleague's account of conduct towards junior staff."
REPLY = "REPLY-e2e: the internal review of 2019 cleared me; see the annexed decision."
ANSWER_PANEL = "PANEL-e2e: a complaint in 2015 was dismissed."


def _token(client: FlaskClient, page: str) -> str:
    html = client.get(page).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1) or match.group(2)


def _post(client: FlaskClient, page: str, action: str, data: dict[str, str]) -> str:
    """Submit a form as a browser would: read the page for its token, then post to `action`."""
    response = client.post(action, data={"csrf_token": _token(client, page), **data})
    assert response.status_code == 302, (
        f"POST {action} answered {response.status_code}: "
        + " | ".join(
            re.findall(r"(?:alert|invalid-feedback)[^>]*>([^<]+)<", response.get_data(as_text=True))
        )
    )
    location = response.headers["Location"]
    # A refused action redirects too: the reason is flashed on the next page.
    refusals = re.findall(
        r'alert-danger"[^>]*>([^<]+)<', client.get(location).get_data(as_text=True)
    )
    assert not refusals, f"POST {action} was refused: {refusals}"
    return location


def _sign_in(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD) -> None:
    _post(client, "/login", "/login", {"email": email, "password": password})


def _sign_out(client: FlaskClient) -> None:
    _post(client, "/me", "/logout", {})


def test_candidacy_goes_from_nomination_to_published_finding_when_everyone_acts_in_turn(
    csrf_app, tmp_path
):
    with db.sessionmaker() as session:
        people = make_people(session)
        session.commit()
        emails = {
            "sec": people.secretariat.email,
            "sec2": people.secretariat_second.email,
            "chair": people.chair.email,
            "members": [m.email for m in people.members],
            "vo": people.vetting_officer.email,
        }
        panel_ids = [str(u.id) for u in people.panel]
    web = csrf_app.test_client()
    today = date.today()

    # The secretariat creates the election and registers a nomination.
    _sign_in(web, emails["sec"])
    _post(
        web,
        "/secretariat/elections/new",
        "/secretariat/elections/new",
        {
            "title": "Election of six judges, 2026",
            "office": "judge",
            "seats": "6",
            "nomination_opens": (today - timedelta(days=30)).isoformat(),
            "nomination_closes": (today + timedelta(days=30)).isoformat(),
            "vote_date": (today + timedelta(days=200)).isoformat(),
        },
    )
    with db.sessionmaker() as session:
        election_id = session.scalar(sa.select(Election.id))
    # The secretariat seats every panel chair and member offered on the panel page; each
    # nomination then assigns them.
    panel_page = f"/secretariat/elections/{election_id}/panel"
    offered = re.findall(r'<option value="(\d+)"', web.get(panel_page).get_data(as_text=True))
    assert len(offered) == 3
    for member_id in offered:
        _post(web, panel_page, f"{panel_page}/seat", {"member": member_id})
    new_nomination = f"/secretariat/elections/{election_id}/nominations/new"
    _post(
        web,
        new_nomination,
        new_nomination,
        {
            "full_name": "Amina Diallo",
            "email": "amina.diallo@example.org",
            "nationality_code": "SEN",
            "nominating_state_code": "SEN",
            "gender": "female",
            "judge_list": "a",
            "statement": "Nominated through the procedure for the highest judicial offices.",
            "language": "en",
            "nomination_basis": "art_36_4_a_i",
            "national_procedure": "Public call and interviews by the judicial council.",
        },
    )
    with db.sessionmaker() as session:
        candidacy = session.scalar(sa.select(Candidacy))
        public_id, candidacy_id = candidacy.public_id, candidacy.id
        invitation = session.scalar(sa.select(Notice.body).where(Notice.kind == "invitation"))
        criteria = session.scalars(sa.select(Criterion.id).order_by(Criterion.position)).all()
        # The criteria assessed at the interview are scored after it, in their own phase.
        later = session.scalars(
            sa.select(Criterion.id).where(Criterion.phase == ScorePhase.POST_INTERVIEW)
        ).all()
    dossier = f"/secretariat/candidacies/{public_id}"
    _post(
        web,
        dossier,
        f"{dossier}/eligibility",
        {"eligibility-passed": "yes", "eligibility-reason": "G1-G5 met."},
    )
    _sign_out(web)

    # The candidate follows the invitation, sets a password and submits the questionnaire.
    link = re.search(r"/invitation/\S+", invitation).group(0)
    _post(
        web, link, link, {"password": "a passphrase of my own", "confirm": "a passphrase of my own"}
    )
    questionnaire = f"/candidate/{public_id}/questionnaire"
    # The questions are the election's template's: their fields are named by question id.
    form_page = web.get(questionnaire).get_data(as_text=True)
    motivation, experience, proceedings = dict.fromkeys(re.findall(r'name="q(\d+)"', form_page))
    _post(
        web,
        questionnaire,
        questionnaire,
        {
            f"q{motivation}": "To serve international criminal justice.",
            f"q{experience}": "Twenty years as a trial judge.",
            f"q{proceedings}_choice": "yes",
            f"q{proceedings}": ANSWER_PANEL,
            **{f"d_{item.key}": "no" for item in DECLARATION_ITEMS},
            "signature": "Amina Diallo",
            "submit": "Submit",
        },
    )
    _sign_out(web)

    # The vetting officer records evidence and closes due diligence with concerns noted.
    _sign_in(web, emails["vo"])
    page = f"/diligence/{public_id}"
    _post(
        web,
        page,
        f"{page}/evidence",
        {
            "kind": "former_employer_check",
            "source": "National supreme court registry",
            "obtained_on": (today - timedelta(days=2)).isoformat(),
            "summary": "Confirms service from 2004 to 2024.",
            "level": "panel",
            "verified": "y",
        },
    )
    _post(web, page, f"{page}/outcome", {"outcome": "concerns_noted", "memo": MEMO})
    _sign_out(web)

    # Each reviewer declares no conflict, scores every criterion with a rationale, and locks.
    for email in [emails["chair"], *emails["members"]]:
        _sign_in(web, email)
        _post(web, f"/panel/{public_id}/declare", f"/panel/{public_id}/declare", {"conflict": "no"})
        scores = {}
        for criterion_id in (c for c in criteria if c not in later):
            scores[f"value_{criterion_id}"] = "3"
            scores[f"rationale_{criterion_id}"] = f"Criterion {criterion_id}: meets it."
        _post(web, f"/panel/{public_id}", f"/panel/{public_id}/scores", scores)
        _post(web, f"/panel/{public_id}", f"/panel/{public_id}/lock", {})
        _sign_out(web)

    # The chair invites to interview, opens deliberation and sends the adverse notice.
    _sign_in(web, emails["chair"])
    _post(
        web,
        f"/panel/{public_id}",
        f"/panel/{public_id}/interview",
        {
            "interview-scheduled_at": (today + timedelta(days=14)).strftime("%Y-%m-%dT09:00"),
            "interview-mode": "in_person",
            "interview-purpose": "To discuss trial experience and the criteria M1-M7.",
            "interview-present": panel_ids,
        },
    )
    _post(
        web,
        f"/panel/{public_id}",
        f"/panel/{public_id}/interview/notes",
        {"notes-notes": "NOTES-e2e: clear answers on M2 and M5.", "notes-present": panel_ids[:2]},
    )
    # After the interview, each reviewer scores the criteria assessed there and locks them.
    if later:
        _sign_out(web)
        for email in [emails["chair"], *emails["members"]]:
            _sign_in(web, email)
            scores = {}
            for criterion_id in later:
                scores[f"value_{criterion_id}"] = "4"
                scores[f"rationale_{criterion_id}"] = f"Criterion {criterion_id}: clear answers."
            _post(web, f"/panel/{public_id}", f"/panel/{public_id}/scores", scores)
            dossier_page = f"/panel/{public_id}"
            _post(web, dossier_page, f"{dossier_page}/lock", {"phase": "post_interview"})
            _sign_out(web)
        _sign_in(web, emails["chair"])
    _post(web, f"/panel/{public_id}", f"/panel/{public_id}/deliberation/open", {})
    deliberation = f"/panel/{public_id}/deliberation"
    _post(
        web,
        deliberation,
        f"/panel/{public_id}/adverse-notice",
        {"summary": "A report of conduct towards junior staff.", "window_days": "10"},
    )
    _sign_out(web)

    # The candidate replies.
    _sign_in(web, "amina.diallo@example.org", "a passphrase of my own")
    reply = f"/candidate/{public_id}/reply"
    _post(web, reply, reply, {"reply": REPLY})
    _sign_out(web)

    # The chair records, for the panel, that it read the reply; then adopts the finding.
    _sign_in(web, emails["chair"])
    _post(web, deliberation, f"/panel/{public_id}/reply-read", {"confirm": "y"})
    _post(
        web,
        deliberation,
        f"/panel/{public_id}/finding",
        {
            "merit_category": "qualified",
            "reasons": "M1-M7 met; the reply answers the concern.",
            **{f"reason_{c}": f"REASONS-e2e on criterion {c}." for c in criteria},
            "signed_name": "chris chair",
        },
    )
    _sign_out(web)

    # One secretariat member drafts, a second approves publication.
    _sign_in(web, emails["sec"])
    _post(
        web,
        dossier,
        f"{dossier}/summary",
        {"summary-text": "The panel found Amina Diallo qualified."},
    )
    _sign_out(web)
    _sign_in(web, emails["sec2"])
    # The second member approves from the preview, which carries what they saw.
    preview = f"{dossier}/summary/preview"
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', web.get(preview).text)
    assert seen, "no approval form on the preview"
    _post(web, preview, f"{dossier}/summary/approve", {"seen": seen.group(1)})

    # Anyone can read the published summary once the notification lead time has run (five
    # working days after the finding was sent), and nothing confidential.
    public = csrf_app.test_client()
    with freeze_time(timedelta(days=10)):
        for url in ("/", f"/elections/{election_id}", f"/candidates/{public_id}"):
            page_text = public.get(url).get_data(as_text=True)
            for secret in (MEMO, REPLY, ANSWER_PANEL, "NOTES-e2e", "REASONS-e2e"):
                assert secret not in page_text, f"{url} shows confidential text"
        profile = public.get(f"/candidates/{public_id}").get_data(as_text=True)
    assert "found Amina Diallo qualified" in profile

    # After the election the secretariat closes the candidacy.
    _post(web, dossier, f"{dossier}/close", {})

    with db.sessionmaker() as session:
        path = session.scalars(
            sa.select(StageChange.to_stage)
            .where(StageChange.candidacy_id == candidacy_id)
            .order_by(StageChange.id)
        ).all()
        assert path == [
            Stage.QUESTIONNAIRE,
            Stage.PAPER_SCORING,
            Stage.INTERVIEW,
            Stage.DELIBERATION,
            Stage.REPLY_PENDING,
            Stage.DELIBERATION,
            Stage.FINDING_ADOPTED,
            Stage.PUBLISHED,
            Stage.CLOSED,
        ]
        assert audit.verify(session).ok
        notices = session.scalars(sa.select(Notice)).all()
        kinds = {n.kind for n in notices}
        assert {
            "invitation",
            "nomination_received",
            "eligibility_result",
            "questionnaire_submitted",
            "reviewer_assigned",
            "all_locked",
            "interview_invitation",
            "adverse_notice",
            "finding_adopted",
            "summary_published",
        } <= kinds
        assert {n.status for n in notices} == {NoticeStatus.SENT}
    mail = list(Path(csrf_app.config["MAIL_DIR"]).glob("*.eml"))
    assert len(mail) == len(notices)
