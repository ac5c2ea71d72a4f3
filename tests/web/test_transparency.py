"""The transparency page: the public key, the checkpoints of public publications only, and each
checkpoint as the very file `vetting audit verify --checkpoint` accepts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from freezegun import freeze_time

from tests.conftest import TEST_SIGNING_KEY
from vetting import audit, checkpoints
from vetting.domain.events import AuditAction
from vetting.models import AuditCheckpoint, ElectionReport, PublicSummary
from vetting.models.base import utcnow
from vetting.scenarios import make_election, make_people, nominate

SIGNER = checkpoints.Signer(TEST_SIGNING_KEY)


@pytest.fixture
def world(session) -> dict[str, AuditCheckpoint]:
    """Two summaries with their checkpoints: one public, one under embargo for a day; and a
    public election report with its own."""
    people = make_people(session)
    election = make_election(session, people)
    amina = nominate(session, people, election, name="Amina Diallo", state="SEN")
    kamau = nominate(session, people, election, name="Kamau Otieno", state="KEN")
    now = utcnow()
    made = {}

    def checkpoint() -> AuditCheckpoint:
        # As an approval does: its own audit entry first, so each checkpoint has its own head.
        audit.record(session, people.secretariat, AuditAction.AUDIT_VERIFY)
        return checkpoints.take(session)

    for name, candidacy, release in (
        ("public", amina, now - timedelta(hours=1)),
        ("embargoed", kamau, now + timedelta(days=1)),
    ):
        made[name] = checkpoint()
        session.add(
            PublicSummary(
                candidacy_id=candidacy.id,
                text=f"Summary on {candidacy.full_name}.",
                drafted_by_id=people.secretariat.id,
                published_by_id=people.secretariat.id,
                approved_at=now - timedelta(hours=2),
                embargo_until=release if name == "embargoed" else None,
                published_at=release,
                checkpoint_id=made[name].id,
            )
        )
    made["report"] = checkpoint()
    session.add(
        ElectionReport(
            election_id=election.id,
            method="Method.",
            observations="Observations.",
            drafted_by_id=people.secretariat.id,
            published_by_id=people.secretariat.id,
            approved_at=now - timedelta(hours=2),
            published_at=now - timedelta(minutes=30),
            checkpoint_id=made["report"].id,
        )
    )
    # A checkpoint no publication names (as after a refused approval rolled back elsewhere).
    made["orphan"] = checkpoint()
    session.commit()
    return made


def test_page_shows_public_key_and_public_checkpoints_when_publications_are_out(client, world):
    response = client.get("/transparency")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert SIGNER.key_id in page
    assert "-----BEGIN PUBLIC KEY-----" in page
    assert world["public"].head_hash in page
    assert "Summary on Amina Diallo, version 1" in page
    assert world["report"].head_hash in page
    assert "Report on " in page
    assert f"/transparency/checkpoints/{world['public'].id}.json" in page


def test_page_hides_checkpoint_and_its_candidate_when_the_summary_is_under_embargo(client, world):
    page = client.get("/transparency").get_data(as_text=True)

    assert world["embargoed"].head_hash not in page
    assert "Kamau Otieno" not in page
    assert world["orphan"].head_hash not in page
    embargoed = client.get(f"/transparency/checkpoints/{world['embargoed'].id}.json")
    assert embargoed.status_code == 404
    assert client.get(f"/transparency/checkpoints/{world['orphan'].id}.json").status_code == 404


def test_embargoed_checkpoint_is_listed_when_the_embargo_has_passed(client, world):
    with freeze_time(utcnow() + timedelta(days=2)):
        page = client.get("/transparency").get_data(as_text=True)
        download = client.get(f"/transparency/checkpoints/{world['embargoed'].id}.json")

    assert world["embargoed"].head_hash in page
    assert "Summary on Kamau Otieno, version 1" in page
    assert download.status_code == 200


def test_checkpoint_download_is_the_signed_statement_when_it_is_public(client, world):
    response = client.get(f"/transparency/checkpoints/{world['public'].id}.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    signed = checkpoints.read_download(response.get_data(as_text=True))
    assert signed.statement.seq == world["public"].seq
    assert signed.statement.head_hash == world["public"].head_hash
    assert checkpoints.signature_problem(SIGNER.public_key, signed) is None
    assert json.loads(response.get_data(as_text=True))["key_id"] == SIGNER.key_id


def test_public_key_download_is_the_installation_key_in_pem(client):
    response = client.get("/transparency/public-key.pem")

    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    key = checkpoints.load_public_key(response.get_data())
    assert checkpoints.key_id_of(key) == SIGNER.key_id


def test_page_says_none_is_published_when_there_is_no_checkpoint(client):
    page = client.get("/transparency").get_data(as_text=True)
    assert "No checkpoint has been published yet." in page


def test_downloaded_checkpoint_verifies_with_the_command_line_when_fetched_from_the_site(
    app, client, world, tmp_path
):
    path = tmp_path / "checkpoint.json"
    path.write_bytes(client.get(f"/transparency/checkpoints/{world['public'].id}.json").data)
    key = tmp_path / "key.pem"
    key.write_bytes(client.get("/transparency/public-key.pem").data)

    result = app.test_cli_runner().invoke(
        args=["vetting", "audit", "verify", "--checkpoint", str(path), "--public-key", str(key)]
    )

    assert result.exit_code == 0, result.output
    assert f"intact through the checkpoint at entry {world['public'].seq}" in result.output


def test_footer_links_the_transparency_page_when_any_page_is_shown(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/transparency"' in page


def test_page_is_in_french_when_french_is_chosen(client):
    page = client.get("/transparency?lang=fr").get_data(as_text=True)
    assert "Comment vérifier" in page
    assert "La clé publique" in page
