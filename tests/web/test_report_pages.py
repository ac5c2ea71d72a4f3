"""The election report's pages: the secretariat drafts, previews as public and approves (never
the drafter); the public reads the current version, earlier ones, a print view and a PDF, each
from the frozen snapshot and only from its release."""

from __future__ import annotations

import json
import re
import zlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from tests.operations.test_reports import (
    METHOD,
    OBSERVATIONS,
    approve,
    draft,
    latest_summary_release,
    report_world,
)
from tests.web.support import login
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import Gender
from vetting.models import AuditEntry, ElectionReport
from vetting.operations import reports
from vetting.scenarios import nominate, walk


@pytest.fixture
def world(session):
    return report_world(session)


# Reading the current version of the report (the page, its print view, its PDF).
REPORT_PAGE_QUERIES = 1


def _report_count(session) -> tuple[int, int]:
    session.expire_all()
    return (
        session.scalar(sa.select(sa.func.count()).select_from(ElectionReport)),
        session.scalar(
            sa.select(sa.func.count())
            .select_from(ElectionReport)
            .where(ElectionReport.approved_at.is_not(None))
        ),
    )


def _audit_seq(session) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.coalesce(sa.func.max(AuditEntry.seq), 0)))


def _published(session, world):
    """A draft by one member, approved by the other; committed."""
    draft(session, world)
    report = approve(session, world)
    session.commit()
    return report


def test_secretariat_drafts_with_the_default_method_prefilled_when_the_page_opens(client, world):
    login(client, world.people.secretariat)
    page = client.get(f"/secretariat/elections/{world.election.id}/report")
    assert page.status_code == 200
    assert "The panel assessed every candidacy" in page.get_data(as_text=True)
    election_page = client.get(f"/secretariat/elections/{world.election.id}")
    assert f"/secretariat/elections/{world.election.id}/report" in election_page.get_data(
        as_text=True
    )


def test_draft_is_saved_and_the_preview_is_not_public_when_posted(client, session, world):
    login(client, world.people.secretariat)
    response = client.post(
        f"/secretariat/elections/{world.election.id}/report",
        data={"method": METHOD, "observations": OBSERVATIONS},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/report/preview")
    assert _report_count(session) == (1, 0)
    preview = client.get(f"/secretariat/elections/{world.election.id}/report/preview")
    body = preview.get_data(as_text=True)
    assert "Preview as public" in body and OBSERVATIONS in body
    # The drafter sees why they cannot approve, and no button.
    assert "second secretariat member" in body
    assert "/report/approve" not in body
    anonymous = client.application.test_client()
    assert anonymous.get(f"/elections/{world.election.id}/vetting-report").status_code == 404
    assert (
        anonymous.get(f"/secretariat/elections/{world.election.id}/report/preview").status_code
        == 302
    )


def test_draft_is_refused_and_shown_again_when_the_observations_are_missing(client, session, world):
    login(client, world.people.secretariat)
    before = _audit_seq(session)
    response = client.post(
        f"/secretariat/elections/{world.election.id}/report",
        data={"method": METHOD, "observations": ""},
    )
    assert response.status_code == 422
    assert "General observations" in response.get_data(as_text=True)
    assert _report_count(session) == (0, 0)
    assert _audit_seq(session) == before


def test_drafter_cannot_approve_when_they_post_the_approval(client, session, world):
    report = draft(session, world)
    session.commit()
    login(client, world.people.secretariat)
    before = _audit_seq(session)
    response = client.post(
        f"/secretariat/elections/{world.election.id}/report/approve",
        data={"seen": reports.digest_of(report)},
        follow_redirects=True,
    )
    assert "second secretariat member" in response.get_data(as_text=True)
    assert _report_count(session) == (1, 0)
    assert _audit_seq(session) == before


def test_second_member_approves_from_the_preview_with_its_release_when_all_is_ready(
    client, session, world
):
    draft(session, world)
    session.commit()
    login(client, world.people.secretariat_second)
    preview = client.get(f"/secretariat/elections/{world.election.id}/report/preview")
    body = preview.get_data(as_text=True)
    release = latest_summary_release(session, world)
    assert release.strftime("%Y-%m-%d %H:%M UTC") in body
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]{64})"', body)
    assert seen is not None
    response = client.post(
        f"/secretariat/elections/{world.election.id}/report/approve",
        data={"seen": seen.group(1)},
        follow_redirects=True,
    )
    assert "The report is approved" in response.get_data(as_text=True)
    assert "Approved, not yet public" in response.get_data(as_text=True)
    assert _report_count(session) == (1, 1)


def test_approval_is_refused_with_the_name_when_a_standing_candidacy_has_no_approved_summary(
    client, session, world
):
    pending = nominate(session, world.people, world.election, name="Olu Adeyemi", state="NGA")
    walk(session, world.people, pending, Stage.FINDING_ADOPTED)
    report = draft(session, world)
    session.commit()
    login(client, world.people.secretariat_second)
    preview = client.get(f"/secretariat/elections/{world.election.id}/report/preview")
    assert "Olu Adeyemi" in preview.get_data(as_text=True)
    before = _audit_seq(session)
    response = client.post(
        f"/secretariat/elections/{world.election.id}/report/approve",
        data={"seen": reports.digest_of(report)},
        follow_redirects=True,
    )
    assert "none yet for: Olu Adeyemi" in response.get_data(as_text=True)
    assert _report_count(session) == (1, 0)
    assert _audit_seq(session) == before


def test_report_appears_only_from_its_release_when_approved(client, session, world):
    report = _published(session, world)
    url = f"/elections/{world.election.id}/vetting-report"
    with freeze_time(report.published_at - timedelta(minutes=1)):
        assert client.get(url).status_code == 404
        assert client.get(f"{url}.pdf").status_code == 404
    with freeze_time(report.published_at + timedelta(minutes=1)):
        page = client.get(url)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for text in (OBSERVATIONS, METHOD, "Łukasz Żółć", "Zoë Ødegård", "Withdrawn on"):
        assert text in body
    assert "Did not meet an eligibility requirement" in body
    assert "Nomination period opened" in body
    assert "Preview as public" not in body


def test_page_renders_from_the_snapshot_not_the_record_when_the_record_changes_later(
    client, session, world
):
    report = _published(session, world)
    world.published[0].full_name = "Renamed After Approval"
    session.commit()
    with freeze_time(report.published_at + timedelta(minutes=1)):
        body = client.get(f"/elections/{world.election.id}/vetting-report").get_data(as_text=True)
    assert world.published[0].full_name not in body
    assert json.loads(report.snapshot)["candidacies"]


def test_print_view_shows_the_report_with_the_print_stylesheet_when_opened(client, session, world):
    report = _published(session, world)
    with freeze_time(report.published_at + timedelta(minutes=1)):
        page = client.get(f"/elections/{world.election.id}/vetting-report/print")
        versioned = client.get(f"/elections/{world.election.id}/vetting-report/v1/print")
    assert page.status_code == 200 and versioned.status_code == 200
    body = page.get_data(as_text=True)
    assert "print.css" in body and OBSERVATIONS in body and "Łukasz Żółć" in body


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    """A PDF literal string's bytes, its backslash escapes resolved."""

    def one(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return _ESCAPES.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def _pdf_texts(data: bytes) -> list[str]:
    """The text drawn in a PDF made by fpdf2 with embedded TrueType subsets, once per font: the
    page streams show two-byte glyph codes, and each font's ToUnicode map says which character
    each code stands for. Decoded with the right font's map, a line reads as written."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            streams.append(match.group(1))
    maps = []
    for stream in streams:
        if b"beginbfchar" in stream:
            pairs = re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,8})>", stream)
            maps.append(
                {
                    int(code, 16): bytes.fromhex(uni.decode()).decode("utf-16-be")
                    for code, uni in pairs
                }
            )
    shown = [
        _unescape(literal)
        for stream in streams
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", stream, re.S)
    ]
    return [
        " ".join(
            "".join(
                mapping.get(int.from_bytes(s[i : i + 2], "big"), "?") for i in range(0, len(s), 2)
            )
            for s in shown
        )
        for mapping in maps
    ]


def test_pdf_is_an_attachment_with_the_names_as_written_when_downloaded(client, session, world):
    report = _published(session, world)
    with freeze_time(report.published_at + timedelta(minutes=1)):
        response = client.get(f"/elections/{world.election.id}/vetting-report.pdf")
        versioned = client.get(f"/elections/{world.election.id}/vetting-report/v1.pdf")
    assert response.status_code == 200 and versioned.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = response.get_data()
    assert data.startswith(b"%PDF")
    texts = _pdf_texts(data)
    for name in ("Łukasz Żółć", "Zoë Ødegård", "Kamau Otieno"):
        assert any(name in text for text in texts), name


def test_corrigendum_makes_version_two_and_keeps_version_one_reachable_when_approved(
    client, session, world
):
    first = _published(session, world)
    second = draft(session, world, corrigendum="The vote date was wrong.", observations="Fixed.")
    approved = approve(session, world)
    session.commit()
    assert second.version == 2
    with freeze_time(approved.published_at + timedelta(minutes=1)):
        current = client.get(f"/elections/{world.election.id}/vetting-report")
        old = client.get(f"/elections/{world.election.id}/vetting-report/v1")
        missing = client.get(f"/elections/{world.election.id}/vetting-report/v3")
    body = current.get_data(as_text=True)
    assert "The vote date was wrong." in body and "Fixed." in body
    assert f"/elections/{world.election.id}/vetting-report/v1" in body
    assert old.status_code == 200 and OBSERVATIONS in old.get_data(as_text=True)
    assert missing.status_code == 404
    assert first.snapshot_sha256 != approved.snapshot_sha256


def test_report_page_is_in_french_when_french_is_chosen(client, session, world):
    report = _published(session, world)
    with freeze_time(report.published_at + timedelta(minutes=1)):
        body = client.get(f"/elections/{world.election.id}/vetting-report?lang=fr").get_data(
            as_text=True
        )
    assert "Rapport du comité de vérification" in body
    assert "Ouverture de la période de présentation des candidatures" in body


def test_approval_asks_for_a_fresh_confirmation_when_the_sign_in_is_old(client, session, world):
    report = draft(session, world)
    session.commit()
    login(client, world.people.secretariat_second)
    before = _audit_seq(session)
    with freeze_time(timedelta(hours=2)):
        response = client.post(
            f"/secretariat/elections/{world.election.id}/report/approve",
            data={"seen": reports.digest_of(report)},
        )
    assert response.status_code == 302
    assert "/confirm" in response.headers["Location"]
    assert _report_count(session) == (1, 0)
    assert _audit_seq(session) == before


@pytest.mark.parametrize("standing", [1, 4])
def test_public_report_runs_the_same_queries_when_the_election_has_more_candidacies(
    app, client, session, standing
):
    from tests.web.test_query_counts import counted

    world = report_world(session, standing=standing)
    report = _published(session, world)
    url = f"/elections/{world.election.id}/vetting-report"
    with freeze_time(report.published_at + timedelta(minutes=1)):
        client.get(url)  # the first request warms what is cached per process
        for page in (url, f"{url}/print", f"{url}.pdf"):
            with counted(app) as statements:
                assert client.get(page).status_code == 200
            # Rendered from the one stored snapshot: the number of candidacies is not a factor.
            assert len(statements) == REPORT_PAGE_QUERIES, (page, statements)


def test_panel_gender_reads_the_same_whether_a_member_is_a_man_or_of_another_gender(
    client, session, world
):
    # The members are named on the report; a count of men (or of anyone else) beside the total
    # would give away the one member of another gender.
    world.people.members[0].gender = Gender.OTHER
    session.commit()
    report = _published(session, world)
    url = f"/elections/{world.election.id}/vetting-report"
    with freeze_time(report.published_at + timedelta(minutes=1)):
        page = client.get(url).get_data(as_text=True)
        pdf = _pdf_texts(client.get(f"{url}.pdf").get_data())
        # (the language chosen is kept for the next requests: French last)
        french = client.get(f"{url}?lang=fr").get_data(as_text=True)
    assert json.loads(report.snapshot)["panel_gender"] == {"women": 1, "members": 3}
    assert "Women: 1 of the 3 members." in page
    assert "Femmes : 1 sur 3 membres." in french
    assert any("Women: 1 of the 3 members." in text for text in pdf)
    for text in (page, *pdf):
        assert "Men:" not in text and "other gender" not in text.lower()
