"""Evidence files over HTTP: the officer uploads (typed by content, capped, a clear 413 past the
request cap), the page shows provenance and the SHA-256, downloads go only to those who may see
the item's level, as attachments, audited; a tampered file is refused and the attempt audited."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import make_test_app
from tests.operations.test_files import EXE_BYTES, HTML_BYTES, PDF_BYTES
from tests.web.support import login
from vetting.domain.events import AuditAction
from vetting.domain.stages import Stage
from vetting.domain.vocabulary import ConflictKind, EvidenceKind, Level
from vetting.models import Assignment, AuditEntry, AuditHead, EvidenceItem, StoredFile
from vetting.operations import diligence, panel
from vetting.operations.accounts import set_password
from vetting.operations.files import FileStore, Upload
from vetting.scenarios import (
    DEFAULT_PASSWORD,
    add_focal_point,
    candidate_of,
    make_election,
    make_people,
    nominate,
    walk,
)
from vetting.web.helpers import sealer


def form(**overrides):
    data = {
        "kind": EvidenceKind.REFERENCE.value,
        "source": "Former president of the court",
        "obtained_on": date.today().isoformat(),
        "summary": "Speaks to independence under pressure.",
        "level": Level.PANEL.value,
    }
    data.update(overrides)
    return data


@pytest.fixture
def world(app, session):
    people = make_people(session)
    election = make_election(session, people)
    focal = add_focal_point(session, people, "SEN", "example.org")
    candidacy = nominate(session, people, election, name="Amina Diallo", state="SEN")
    other = nominate(session, people, election, name="Carmen Rojas", state="CHL")
    walk(session, people, candidacy, Stage.PAPER_SCORING)
    cleared, recused = people.members
    assignments = {
        a.reviewer_id: a
        for a in session.scalars(
            sa.select(Assignment).where(Assignment.candidacy_id == candidacy.id)
        )
    }
    for reviewer in (people.chair, cleared):
        panel.declare_conflict(
            session, reviewer, candidacy, assignments[reviewer.id], has_conflict=False, details=""
        )
    panel.declare_conflict(
        session,
        recused,
        candidacy,
        assignments[recused.id],
        has_conflict=True,
        kind=ConflictKind.PROFESSIONAL,
        details="Colleague.",
    )
    panel.decide_conflict(
        session, people.chair, assignments[recused.id], recuse=True, reason="Close colleague."
    )
    candidate = candidate_of(session, candidacy)
    other_candidate = candidate_of(session, other)
    for user in (candidate, other_candidate):
        set_password(session, None, user, DEFAULT_PASSWORD)
    store = FileStore(sealer(), app.config["FILES_DIR"], app.config["UPLOAD_MAX_BYTES"])
    items = {}
    for level in Level:
        items[level] = diligence.record_evidence(
            session,
            people.vetting_officer,
            candidacy,
            diligence.EvidenceData(
                kind=EvidenceKind.REFERENCE,
                source=f"Source at level {level.value}",
                obtained_on=date.today(),
                summary="A letter.",
                level=level,
            ),
            upload=Upload(f"{level.value}.pdf", PDF_BYTES),
            store=store,
        )
    session.commit()
    users = {
        "secretariat": people.secretariat,
        "chair": people.chair,
        "member_cleared": cleared,
        "member_recused": recused,
        "vetting_officer": people.vetting_officer,
        "admin": people.admin,
        "candidate": candidate,
        "other_candidate": other_candidate,
        "focal_point": focal,
    }
    return people, candidacy, users, items, store


# Who may download an item of each level on this candidacy (domain.md, 'Confidentiality levels').
MAY = {
    Level.PUBLIC: set(
        [
            "secretariat",
            "chair",
            "member_cleared",
            "member_recused",
            "vetting_officer",
            "admin",
            "candidate",
            "other_candidate",
            "focal_point",
        ]
    ),
    Level.STATES: {"secretariat", "chair", "member_cleared", "vetting_officer", "focal_point"},
    Level.PANEL: {"secretariat", "chair", "member_cleared", "vetting_officer"},
    Level.CANDIDATE_OWN: {"secretariat", "vetting_officer", "candidate"},
    Level.RESTRICTED: {"vetting_officer"},
}


def url(candidacy, item) -> str:
    return f"/candidacies/{candidacy.public_id}/evidence/{item.id}/file"


def downloads(session) -> list[tuple[int, str]]:
    session.expire_all()
    return list(
        session.execute(
            sa.select(AuditEntry.actor_id, AuditEntry.data).where(
                AuditEntry.action == AuditAction.FILE_DOWNLOAD.value
            )
        )
    )


@pytest.mark.parametrize(
    "who",
    [
        "secretariat",
        "chair",
        "member_cleared",
        "member_recused",
        "vetting_officer",
        "admin",
        "candidate",
        "other_candidate",
        "focal_point",
    ],
)
def test_every_role_downloads_exactly_the_levels_it_may_see(app, session, world, who):
    people, candidacy, users, items, _store = world
    client = app.test_client()
    login(client, users[who])
    for level, item in items.items():
        response = client.get(url(candidacy, item))
        if who in MAY[level]:
            assert response.status_code == 200, (who, level)
            assert response.data == PDF_BYTES
        else:
            assert response.status_code == 404, (who, level)
            assert PDF_BYTES not in response.data
    seen = downloads(session)
    assert len(seen) == len([level for level in Level if who in MAY[level]])
    assert {actor for actor, _data in seen} <= {users[who].id}


def test_anonymous_visitors_are_sent_to_sign_in(app, world):
    _people, candidacy, _users, items, _store = world
    response = app.test_client().get(url(candidacy, items[Level.PUBLIC]))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_download_is_an_uncached_attachment_of_the_stored_type(app, session, world):
    people, candidacy, _users, items, _store = world
    client = app.test_client()
    login(client, people.vetting_officer)
    response = client.get(url(candidacy, items[Level.PANEL]))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=panel.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "ETag" not in response.headers and "Last-Modified" not in response.headers
    (entry,) = [d for _a, d in downloads(session)]
    assert hashlib.sha256(PDF_BYTES).hexdigest() in entry


def test_an_item_is_not_found_under_another_candidacy(app, session, world):
    people, candidacy, _users, items, _store = world
    other_id = session.scalar(
        sa.select(EvidenceItem.candidacy_id).where(EvidenceItem.candidacy_id != candidacy.id)
    )
    assert other_id is None  # only this candidacy has items
    client = app.test_client()
    login(client, people.vetting_officer)
    from vetting.models import Candidacy

    other = session.scalar(sa.select(Candidacy).where(Candidacy.id != candidacy.id))
    response = client.get(f"/candidacies/{other.public_id}/evidence/{items[Level.PANEL].id}/file")
    assert response.status_code == 404
    assert client.get(f"/candidacies/{candidacy.public_id}/evidence/999999/file").status_code == 404


def test_a_tampered_file_is_refused_with_words_and_audited(app, session, world):
    people, candidacy, _users, items, store = world
    item = items[Level.PANEL]
    stored = session.get(StoredFile, item.file_id)
    path = Path(store.files_dir) / stored.storage_key
    sealed = bytearray(path.read_bytes())
    sealed[-5] ^= 0x20
    path.write_bytes(bytes(sealed))
    client = app.test_client()
    login(client, people.vetting_officer)
    response = client.get(url(candidacy, item))
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "does not decrypt" in body and "File not served" in body
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    assert PDF_BYTES not in response.data
    session.expire_all()
    assert (
        session.scalar(
            sa.select(sa.func.count(AuditEntry.seq)).where(
                AuditEntry.action == AuditAction.FILE_TAMPERED.value
            )
        )
        == 1
    )
    assert downloads(session) == []


def test_the_officer_uploads_a_file_and_sees_its_provenance_and_hash(app, session, world):
    people, candidacy, _users, _items, store = world
    before = set(os.listdir(store.files_dir))
    client = app.test_client()
    login(client, people.vetting_officer)
    response = client.post(
        f"/diligence/{candidacy.public_id}/evidence",
        data=form(file=(io.BytesIO(PDF_BYTES), "Letter from the court.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    item = session.scalar(sa.select(EvidenceItem).order_by(EvidenceItem.id.desc()))
    stored = session.get(StoredFile, item.file_id)
    assert stored.original_name == "Letter from the court.pdf"
    assert len(set(os.listdir(store.files_dir)) - before) == 1
    page = client.get(f"/diligence/{candidacy.public_id}").get_data(as_text=True)
    assert stored.sha256 in page
    assert "Letter from the court.pdf" in page
    assert people.vetting_officer.full_name in page  # who added it
    assert f"/candidacies/{candidacy.public_id}/evidence/{item.id}/file" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", EXE_BYTES, "not a type of file we accept"),
        ("report.pdf", HTML_BYTES, "not a type of file we accept"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_refused_upload_records_nothing(app, session, world, name, data, message):
    people, candidacy, _users, _items, store = world
    client = app.test_client()
    login(client, people.vetting_officer)
    session.expire_all()
    before = (
        set(os.listdir(store.files_dir)),
        session.get(AuditHead, 1).seq,
        session.scalar(sa.select(sa.func.count(EvidenceItem.id))),
    )
    response = client.post(
        f"/diligence/{candidacy.public_id}/evidence",
        data=form(file=(io.BytesIO(data), name)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    session.expire_all()
    written = set(session.scalars(sa.select(AuditEntry.action).where(AuditEntry.seq > before[1])))
    # Re-rendering the page records its reads; nothing else is written.
    assert written <= {AuditAction.EVIDENCE_READ.value, AuditAction.COMPLAINT_READ.value}
    assert set(os.listdir(store.files_dir)) == before[0]
    assert session.scalar(sa.select(sa.func.count(EvidenceItem.id))) == before[2]


def test_an_oversize_file_is_refused_with_a_message(engine, database_url, tmp_path):
    from tests.conftest import _dispose, _empty_tables

    _empty_tables(engine)
    app = make_test_app(database_url, tmp_path, UPLOAD_MAX_BYTES=1024, MAX_CONTENT_LENGTH=64 * 1024)
    try:
        with app.app_context():
            from vetting.extensions import db

            with db.sessionmaker() as session:
                people = make_people(session)
                election = make_election(session, people)
                candidacy = nominate(session, people, election, name="A B", state="SEN")
                session.commit()
                public_id = candidacy.public_id
                client = app.test_client()
                login(client, people.vetting_officer)
            response = client.post(
                f"/diligence/{public_id}/evidence",
                data=form(file=(io.BytesIO(PDF_BYTES + b"0" * 2048), "big.pdf")),
                content_type="multipart/form-data",
            )
            assert response.status_code == 422
            assert "a file may be at most" in response.get_data(as_text=True)
            # Past the request cap: a 413 page that says what the limits are.
            response = client.post(
                f"/diligence/{public_id}/evidence",
                data=form(file=(io.BytesIO(PDF_BYTES + b"0" * 70 * 1024), "huge.pdf")),
                content_type="multipart/form-data",
            )
            assert response.status_code == 413
            body = response.get_data(as_text=True)
            assert "larger than this site accepts" in body
            assert "0 MB a file" not in body or "MB in all" in body
            files_dir = Path(app.config["FILES_DIR"])
            assert not files_dir.exists() or os.listdir(files_dir) == []
    finally:
        _dispose(app)
        _empty_tables(engine)


def test_the_officer_updates_verification_and_reliance(app, session, world):
    people, candidacy, _users, items, _store = world
    item = items[Level.PANEL]
    client = app.test_client()
    login(client, people.vetting_officer)
    status = f"/diligence/{candidacy.public_id}/evidence/{item.id}/status"
    prefix = f"item{item.id}-"
    response = client.post(status, data={prefix + "verified": "yes", prefix + "relied_on": "yes"})
    assert response.status_code == 302
    session.expire_all()
    assert (item.verified, item.relied_on) == (True, True)
    seq = session.get(AuditHead, 1).seq
    # An empty post changes nothing (both values are required).
    client.post(status, data={})
    session.expire_all()
    assert (item.verified, item.relied_on) == (True, True)
    assert session.get(AuditHead, 1).seq == seq
    # Another role may not.
    other = app.test_client()
    login(other, people.chair)
    assert (
        other.post(status, data={prefix + "verified": "no", prefix + "relied_on": "no"}).status_code
        == 403
    )


def test_the_dossier_links_the_files_a_cleared_reviewer_may_see(app, session, world):
    _people, candidacy, users, items, _store = world
    client = app.test_client()
    login(client, users["member_cleared"])
    page = client.get(f"/panel/{candidacy.public_id}").get_data(as_text=True)
    assert url(candidacy, items[Level.PANEL]) in page
    assert url(candidacy, items[Level.RESTRICTED]) not in page
    assert url(candidacy, items[Level.CANDIDATE_OWN]) not in page
