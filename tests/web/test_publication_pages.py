"""The summary's pages: drafting on the dossier, "preview as public" with the approval under it,
the list of what awaits approval or release, and the public versions with their corrigenda."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.models import Candidacy, Notice, PublicSummary
from vetting.models.records import NoticeStatus
from vetting.operations import publication
from vetting.scenarios import add_focal_point, make_election, make_people, nominate, walk

LATER = timedelta(days=10)  # past the five working days of the notification lead time
TEXT = "The panel found Amina Diallo qualified for the office."


@pytest.fixture
def world(session):
    people = make_people(session)
    election = make_election(session, people)
    add_focal_point(session, people, "SEN", "example.org")
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    walk(session, people, candidacy, Stage.FINDING_ADOPTED)
    session.commit()
    return people, election, candidacy


def dossier(candidacy) -> str:
    return f"/secretariat/candidacies/{candidacy.public_id}"


def seen_on(page: str) -> str:
    match = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', page)
    assert match, "no approval form on the page"
    return match.group(1)


def draft_via_web(client, candidacy, **fields) -> str:
    data = {"summary-text": TEXT, **{f"summary-{k}": v for k, v in fields.items()}}
    response = client.post(f"{dossier(candidacy)}/summary", data=data, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def approve_via_web(client, candidacy) -> str:
    preview = client.get(f"{dossier(candidacy)}/summary/preview").get_data(as_text=True)
    response = client.post(
        f"{dossier(candidacy)}/summary/approve",
        data={"seen": seen_on(preview)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def summaries(session) -> list[PublicSummary]:
    session.expire_all()
    return list(session.scalars(sa.select(PublicSummary).order_by(PublicSummary.version)))


def public_profile(app, candidacy, *, later: bool) -> str:
    anonymous = app.test_client()
    if later:
        with freeze_time(LATER):
            return anonymous.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
    return anonymous.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)


def test_dossier_offers_the_suggested_first_draft_when_the_finding_is_adopted(
    client, session, world
):
    people, _, candidacy = world
    login(client, people.secretariat)
    page = client.get(dossier(candidacy)).get_data(as_text=True)
    assert "Summary of the vetting of Amina Diallo" in page
    assert "The panel found the candidate eligible for the office." in page
    assert "On the merits, the panel found the candidate qualified." in page
    assert 'name="summary-embargo_until"' in page
    assert 'name="summary-corrigendum"' not in page  # only when correcting
    # The panel's reasons are not public, so they are not suggested.
    reasons = session.scalar(sa.select(sa.text("reasons FROM findings")))
    assert reasons and reasons not in page.split('id="summary"')[1]


def test_preview_shows_the_draft_with_its_banner_when_a_member_opens_it(client, session, world):
    people, _, candidacy = world
    login(client, people.secretariat)
    draft_via_web(client, candidacy)
    page = client.get(f"{dossier(candidacy)}/summary/preview").get_data(as_text=True)
    assert TEXT in page
    assert page.count("Preview, not public.") == 2  # the page's banner and the summary's
    assert "If you approve now, this version is public from" in page
    assert "You drafted or edited this version" in page
    # Nothing public yet.
    assert TEXT not in public_profile(client.application, candidacy, later=True)


def test_preview_is_not_reachable_when_anonymous_or_not_secretariat(client, session, world):
    people, _, candidacy = world
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text=TEXT)
    )
    session.commit()
    url = f"{dossier(candidacy)}/summary/preview"
    anonymous = client.application.test_client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(client, people.focal_points["SEN"])
    assert client.get(url).status_code == 403


def test_preview_is_404_when_there_is_no_draft(client, session, world):
    people, _, candidacy = world
    login(client, people.secretariat)
    assert client.get(f"{dossier(candidacy)}/summary/preview").status_code == 404


def test_approval_by_the_drafter_shows_the_refusal_and_changes_nothing(client, session, world):
    people, _, candidacy = world
    login(client, people.secretariat)
    draft_via_web(client, candidacy)
    page = approve_via_web(client, candidacy)
    assert "Publication needs a second secretariat member" in page
    assert "Preview, not public." in page  # shown back on the preview
    [summary] = summaries(session)
    assert summary.approved_at is None and summary.published_at is None
    assert session.get(Candidacy, candidacy.id).stage is Stage.FINDING_ADOPTED


def test_second_member_approves_and_the_public_reads_it_only_after_release(client, session, world):
    people, _, candidacy = world
    login(client, people.secretariat)
    draft_via_web(client, candidacy)
    client.post("/logout")
    login(client, people.secretariat_second)
    page = approve_via_web(client, candidacy)
    assert "Approved. The summary is public from the release date" in page
    [summary] = summaries(session)
    assert summary.published_by_id == people.secretariat_second.id
    assert summary.published_at > datetime.now(UTC) + timedelta(days=5)
    # The dossier's table: version 1, public from the release date, the checkpoint's entry.
    assert f"public from {summary.published_at.strftime('%Y-%m-%d %H:%M')} UTC" in page
    assert "(notification lead time)" in page
    assert "Sasha Second" in page and "entry " in page
    app = client.application
    assert TEXT not in public_profile(app, candidacy, later=False)
    assert TEXT in public_profile(app, candidacy, later=True)


def test_embargoed_version_is_listed_and_held_back_when_its_date_is_later(client, session, world):
    people, _, candidacy = world
    embargo = (datetime.now(UTC) + timedelta(days=30)).replace(second=0, microsecond=0)
    login(client, people.secretariat)
    draft_via_web(client, candidacy, embargo_until=embargo.strftime("%Y-%m-%dT%H:%M"))
    listing = client.get("/secretariat/publications").get_data(as_text=True)
    assert "Amina Diallo" in listing.split("Drafts awaiting approval")[1]
    assert "(you: another member approves)" in listing
    client.post("/logout")
    login(client, people.secretariat_second)
    preview = client.get(f"{dossier(candidacy)}/summary/preview").get_data(as_text=True)
    assert f"public from {embargo.strftime('%Y-%m-%d %H:%M')} UTC" in preview
    assert "(the embargo)" in preview
    approve_via_web(client, candidacy)
    assert summaries(session)[0].published_at == embargo
    listing = client.get("/secretariat/publications").get_data(as_text=True)
    held = listing.split("Approved, not public yet")[1]
    assert "Amina Diallo" in held and embargo.strftime("%Y-%m-%d %H:%M") in held
    assert TEXT not in public_profile(client.application, candidacy, later=True)


def test_corrigendum_is_shown_and_the_earlier_version_stays_readable_when_approved(
    client, session, world
):
    people, _, candidacy = world
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text="First wording.")
    )
    publication.approve_summary(session, people.secretariat_second, candidacy)
    session.commit()
    login(client, people.secretariat)
    page = draft_via_web(client, candidacy, corrigendum="The office was misnamed.")
    assert "Draft saved." in page
    client.post("/logout")
    login(client, people.secretariat_second)
    approve_via_web(client, candidacy)
    first, second = summaries(session)
    assert (second.version, second.corrigendum) == (2, "The office was misnamed.")
    app = client.application
    anonymous = app.test_client()
    with freeze_time(LATER):
        profile = anonymous.get(f"/candidates/{candidacy.public_id}").get_data(as_text=True)
        earlier = anonymous.get(f"/candidates/{candidacy.public_id}/summary/v1")
        current = anonymous.get(f"/candidates/{candidacy.public_id}/summary/v2")
        missing = anonymous.get(f"/candidates/{candidacy.public_id}/summary/v3")
    assert TEXT in profile and "First wording." not in profile
    assert "Corrected on" in profile and "The office was misnamed." in profile
    assert f"/candidates/{candidacy.public_id}/summary/v1" in profile
    assert "superseded by version 2" in profile
    assert earlier.status_code == 200
    assert "First wording." in earlier.get_data(as_text=True)
    assert "Superseded by version 2." in earlier.get_data(as_text=True)
    assert current.status_code == 200 and "Superseded" not in current.get_data(as_text=True)
    assert missing.status_code == 404


def test_version_page_is_404_when_the_version_is_not_public_yet(client, session, world):
    people, _, candidacy = world
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text=TEXT)
    )
    publication.approve_summary(session, people.secretariat_second, candidacy)
    session.commit()
    assert client.get(f"/candidates/{candidacy.public_id}/summary/v1").status_code == 404
    with freeze_time(LATER):
        assert client.get(f"/candidates/{candidacy.public_id}/summary/v1").status_code == 200


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "This field is required."),
        ({"text": "   "}, "This field is required."),
        ({"embargo_until": "2020-01-01T09:00"}, "The embargo date is in the past"),
        ({"embargo_until": "not a date"}, "Not a valid datetime value."),
    ],
)
def test_draft_refusal_is_shown_and_nothing_saved_when_the_input_is_wrong(
    client, session, world, fields, message
):
    people, _, candidacy = world
    login(client, people.secretariat)
    data = {"summary-text": TEXT, **{f"summary-{k}": v for k, v in fields.items()}}
    page = client.post(f"{dossier(candidacy)}/summary", data=data, follow_redirects=True)
    assert message in page.get_data(as_text=True)
    assert summaries(session) == []


def test_corrigendum_refusal_is_shown_when_its_reason_is_missing(client, session, world):
    people, _, candidacy = world
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text="First wording.")
    )
    publication.approve_summary(session, people.secretariat_second, candidacy)
    session.commit()
    login(client, people.secretariat)
    page = draft_via_web(client, candidacy)
    assert "A corrected version needs a corrigendum" in page
    assert [s.version for s in summaries(session)] == [1]


def test_dead_finding_notice_is_named_on_the_preview_and_approval_refused(client, session, world):
    people, _, candidacy = world
    focal = people.focal_points["SEN"]
    notice = session.scalar(
        sa.select(Notice).where(
            Notice.kind == "finding_adopted", Notice.recipient_user_id == focal.id
        )
    )
    notice.status = NoticeStatus.DEAD
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text=TEXT)
    )
    session.commit()
    login(client, people.secretariat_second)
    preview = client.get(f"{dossier(candidacy)}/summary/preview").get_data(as_text=True)
    assert f"The finding did not reach {focal.email}" in preview
    page = approve_via_web(client, candidacy)
    assert "the mail must be resent first" in page
    assert summaries(session)[0].approved_at is None


def test_approval_refusal_is_shown_when_the_draft_changed_after_the_preview(client, session, world):
    people, _, candidacy = world
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text=TEXT)
    )
    session.commit()
    login(client, people.secretariat_second)
    preview = client.get(f"{dossier(candidacy)}/summary/preview").get_data(as_text=True)
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text="Changed.")
    )
    session.commit()
    page = client.post(
        f"{dossier(candidacy)}/summary/approve",
        data={"seen": seen_on(preview)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "The draft changed after you opened the preview" in page
    assert summaries(session)[0].approved_at is None


def test_approval_refusal_is_shown_when_there_is_no_draft(client, session, world):
    people, _, candidacy = world
    login(client, people.secretariat_second)
    page = client.post(
        f"{dossier(candidacy)}/summary/approve", data={"seen": "0" * 64}, follow_redirects=True
    ).get_data(as_text=True)
    assert "There is no draft awaiting approval." in page
    assert summaries(session) == []


def test_preview_is_in_french_when_french_is_chosen(client, session, world):
    people, _, candidacy = world
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text=TEXT)
    )
    session.commit()
    login(client, people.secretariat_second)
    page = client.get(f"{dossier(candidacy)}/summary/preview?lang=fr").get_data(as_text=True)
    assert "Aperçu, non public." in page
    assert "Approuver la publication" in page


def test_approval_asks_for_a_fresh_confirmation_when_the_sign_in_is_old(client, session, world):
    people, _, candidacy = world
    publication.draft_summary(
        session, people.secretariat, candidacy, publication.SummaryData(text=TEXT)
    )
    session.commit()
    login(client, people.secretariat_second)
    preview = client.get(f"{dossier(candidacy)}/summary/preview").get_data(as_text=True)
    with freeze_time(timedelta(minutes=30)):
        response = client.post(
            f"{dossier(candidacy)}/summary/approve", data={"seen": seen_on(preview)}
        )
    assert response.status_code == 302 and "/auth/confirm" in response.headers["Location"]
    assert summaries(session)[0].approved_at is None
