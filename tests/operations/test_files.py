"""Files enter through store_upload and leave through read_stored: typed by content, capped,
sealed under random names, and checked against their SHA-256 on every read."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import TEST_DATA_KEY
from vetting.models import AuditEntry, StoredFile
from vetting.operations import Refused
from vetting.operations.files import (
    Tampered,
    detect_type,
    read_stored,
    sanitise_name,
    store_upload,
)
from vetting.scenarios import make_people
from vetting.sealing import Sealer, new_key

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 40
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 40
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def docx_bytes(*, macro: bool = False) -> bytes:
    main = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
            f'ContentType="{main}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00\x01")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored, first
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", EXE_BYTES)
    return buffer.getvalue()


@pytest.fixture
def sealer() -> Sealer:
    return Sealer(TEST_DATA_KEY)


@pytest.fixture
def files_dir(app: Flask) -> str:
    return str(app.config["FILES_DIR"])


def listing(files_dir: str) -> list[str]:
    path = Path(files_dir)
    return sorted(os.listdir(path)) if path.exists() else []


def counts(session: sa.orm.Session) -> tuple[int, int]:
    return (
        session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) or 0,
        session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) or 0,
    )


# --- detecting the type ---


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF_BYTES, "application/pdf"),
        (PNG_BYTES, "image/png"),
        (JPEG_BYTES, "image/jpeg"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("Réponse du candidat.\nLigne 2\n".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_accepted_types_are_detected_by_content(data: bytes, expected: str) -> None:
    kind = detect_type(data)
    assert kind is not None
    assert kind.content_type == expected


@pytest.mark.parametrize(
    "data",
    [
        EXE_BYTES,
        ELF_BYTES,
        HTML_BYTES,
        b"   <svg xmlns='http://www.w3.org/2000/svg'><script/></svg>",
        b"Looks like text but <script>alert(1)</script> hides in it",
        b"#!/bin/sh\nrm -rf /\n",
        docx_bytes(macro=True),
        plain_zip(),
        b"PK\x03\x04 not really a zip",
        b"\xff\xfe\x00\x00latin junk \xe9",
        b"text with a NUL\x00 byte",
        b"GIF89a\x01\x00\x01\x00",
    ],
)
def test_other_content_is_not_accepted(data: bytes) -> None:
    assert detect_type(data) is None


def test_the_name_is_sanitised_and_ends_in_the_real_type() -> None:
    from vetting.operations.files import PDF, TEXT

    assert sanitise_name("../../etc/passwd", TEXT) == "passwd.txt"
    assert sanitise_name("C:\\Users\\x\\Report 2024.PDF", PDF) == "Report 2024.pdf"
    assert sanitise_name("evil.html", TEXT) == "evil.txt"
    assert sanitise_name("notes.pdf", TEXT) == "notes.txt"
    assert sanitise_name("v1.2 final", PDF) == "v1.2 final.pdf"
    assert sanitise_name('a"b;c\r\n.pdf', PDF) == "a_b_c.pdf"
    assert sanitise_name("...", PDF) == "file.pdf"
    assert len(sanitise_name("x" * 500 + ".pdf", PDF)) == 120


# --- storing ---


def test_an_upload_is_sealed_under_a_random_name(
    app: Flask, session: sa.orm.Session, sealer: Sealer, files_dir: str
) -> None:
    people = make_people(session)
    stored = store_upload(
        session,
        sealer,
        files_dir,
        name="C:\\scans\\Reference letter.pdf",
        data=PDF_BYTES,
        uploader=people.vetting_officer,
        max_bytes=1000,
    )
    session.commit()
    assert stored.id is not None
    assert stored.original_name == "Reference letter.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF_BYTES)
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert stored.uploaded_by_id == people.vetting_officer.id
    assert listing(files_dir) == [stored.storage_key]
    assert len(stored.storage_key) == 64
    on_disk = (Path(files_dir) / stored.storage_key).read_bytes()
    assert PDF_BYTES not in on_disk and b"%PDF" not in on_disk
    assert (Path(files_dir) / stored.storage_key).stat().st_mode & 0o777 == 0o600
    assert read_stored(sealer, files_dir, stored) == PDF_BYTES


def test_an_anonymous_upload_has_no_uploader(
    app: Flask, session: sa.orm.Session, sealer: Sealer, files_dir: str
) -> None:
    stored = store_upload(
        session, sealer, files_dir, name="a.txt", data=b"hello", uploader=None, max_bytes=10
    )
    assert stored.uploaded_by_id is None
    assert stored.content_type == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"", "“report.pdf” is empty"),
        ("big.pdf", PDF_BYTES + b"x" * 2000, "a file may be at most"),
        ("report.pdf", EXE_BYTES, "not a type of file we accept"),
        ("report.pdf", HTML_BYTES, "not a type of file we accept"),
        ("photo.png", ELF_BYTES, "judged by its content, not its name"),
    ],
)
def test_refused_uploads_change_nothing(
    app: Flask,
    session: sa.orm.Session,
    sealer: Sealer,
    files_dir: str,
    name: str,
    data: bytes,
    message: str,
) -> None:
    make_people(session)
    session.commit()
    before = counts(session)
    with pytest.raises(Refused, match=message):
        store_upload(
            session, sealer, files_dir, name=name, data=data, uploader=None, max_bytes=1024
        )
    session.rollback()
    assert counts(session) == before
    assert listing(files_dir) == []


def test_oversize_message_states_both_sizes(
    app: Flask, session: sa.orm.Session, sealer: Sealer, files_dir: str
) -> None:
    with pytest.raises(Refused) as refused:
        store_upload(
            session,
            sealer,
            files_dir,
            name="scan.pdf",
            data=PDF_BYTES + b"0" * (3 * 1024 * 1024),
            uploader=None,
            max_bytes=2 * 1024 * 1024,
        )
    assert str(refused.value) == "“scan.pdf” is 3.0 MB; a file may be at most 2.0 MB."


def test_a_file_written_in_a_transaction_that_rolls_back_is_removed(
    app: Flask, session: sa.orm.Session, sealer: Sealer, files_dir: str
) -> None:
    store_upload(
        session, sealer, files_dir, name="a.pdf", data=PDF_BYTES, uploader=None, max_bytes=1000
    )
    assert len(listing(files_dir)) == 1
    session.rollback()
    assert listing(files_dir) == []
    # A committed one stays; a later rollback does not touch it.
    kept = store_upload(
        session, sealer, files_dir, name="b.pdf", data=PDF_BYTES, uploader=None, max_bytes=1000
    )
    session.commit()
    session.rollback()
    assert listing(files_dir) == [kept.storage_key]


def test_a_file_written_in_a_session_closed_without_commit_is_removed(
    app: Flask, sealer: Sealer, files_dir: str
) -> None:
    from vetting.extensions import db

    with db.sessionmaker() as s:
        store_upload(
            s, sealer, files_dir, name="a.pdf", data=PDF_BYTES, uploader=None, max_bytes=1000
        )
        assert len(listing(files_dir)) == 1
    assert listing(files_dir) == []


# --- reading back ---


@pytest.fixture
def stored(app: Flask, session: sa.orm.Session, sealer: Sealer, files_dir: str) -> StoredFile:
    result = store_upload(
        session, sealer, files_dir, name="letter.pdf", data=PDF_BYTES, uploader=None, max_bytes=1000
    )
    session.commit()
    return result


def test_altered_bytes_on_disk_are_detected(
    sealer: Sealer, files_dir: str, stored: StoredFile
) -> None:
    path = Path(files_dir) / stored.storage_key
    sealed = bytearray(path.read_bytes())
    sealed[len(sealed) // 2] ^= 0x01
    path.write_bytes(bytes(sealed))
    with pytest.raises(Tampered, match="does not decrypt"):
        read_stored(sealer, files_dir, stored)


def test_a_file_replaced_by_another_valid_sealed_file_fails_the_hash(
    sealer: Sealer, files_dir: str, stored: StoredFile
) -> None:
    """Someone holding the key swaps the content: it decrypts, but the SHA-256 differs."""
    other = PDF_BYTES.replace(b"Catalog", b"Katalog")
    (Path(files_dir) / stored.storage_key).write_bytes(sealer.seal_bytes(other))
    with pytest.raises(Tampered, match="does not match its recorded SHA-256"):
        read_stored(sealer, files_dir, stored)


def test_a_recorded_hash_that_was_changed_is_detected(
    sealer: Sealer, files_dir: str, stored: StoredFile
) -> None:
    stored.sha256 = "0" * 64
    with pytest.raises(Tampered, match="SHA-256"):
        read_stored(sealer, files_dir, stored)


def test_a_missing_file_is_refused(sealer: Sealer, files_dir: str, stored: StoredFile) -> None:
    (Path(files_dir) / stored.storage_key).unlink()
    with pytest.raises(Tampered, match="is missing"):
        read_stored(sealer, files_dir, stored)


def test_a_foreign_key_does_not_read(files_dir: str, stored: StoredFile) -> None:
    with pytest.raises(Tampered, match="does not decrypt"):
        read_stored(Sealer(new_key()), files_dir, stored)


def test_a_storage_key_that_is_a_path_is_refused(
    sealer: Sealer, files_dir: str, stored: StoredFile
) -> None:
    stored.storage_key = "../" + stored.storage_key[3:]
    with pytest.raises(Tampered, match="invalid storage key"):
        read_stored(sealer, files_dir, stored)


def test_tampered_is_a_refusal() -> None:
    assert issubclass(Tampered, Refused)
