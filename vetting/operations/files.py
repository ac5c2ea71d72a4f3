"""The one way files enter and leave: uploads are checked by their content, sealed, and stored
under random names; reads decrypt and re-check the SHA-256 recorded at upload.

The type is decided from the bytes alone (magic numbers and, for the two zip-based document
formats, the archive's own declaration), never from the name or the declared content type.
The accepted set is small on purpose: PDF, PNG, JPEG, Word (.docx), OpenDocument text (.odt)
and plain UTF-8 text. See docs/decisions/0007-own-content-checks-for-uploads.md.

A file is written when it is stored, before the transaction commits. So that a refusal or a
rollback leaves the files directory as it was, the paths written in a transaction are removed
again if that transaction ends without committing.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from vetting.models import StoredFile, User
from vetting.operations.errors import Refused
from vetting.sealing import Sealer, Unreadable

# Kept in session.info: the files written in the session's current transaction.
_PENDING = "vetting.files.pending"
_LISTENING = "vetting.files.listening"

_STORAGE_KEY = re.compile(r"\A[0-9a-f]{64}\Z")
_MAX_NAME = 120
# Zip-based documents: limits on what we read of the archive to decide its type.
_MAX_ZIP_ENTRIES = 5000
_MAX_MANIFEST_BYTES = 1024 * 1024

ACCEPTED_WORDS = (
    "a PDF, a PNG or JPEG image, a Word (.docx) or OpenDocument (.odt) text document, "
    "or plain UTF-8 text"
)


class Tampered(Refused):
    """A stored file is missing, altered, or does not decrypt: it is never served."""


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType("application/pdf", (".pdf",))
PNG = FileType("image/png", (".png",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",))
TEXT = FileType("text/plain; charset=utf-8", (".txt", ".text", ".md"))
ACCEPTED = (PDF, PNG, JPEG, DOCX, ODT, TEXT)

_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Plain text that is really markup or a script: a browser or a shell would act on it.
_MARKUP = re.compile(
    r"<\s*(html|head|body|script|iframe|object|embed|svg|!doctype|\?xml|meta|link|style)\b",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def detect_type(data: bytes) -> FileType | None:
    """The type these bytes are, among the accepted ones; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_document(data)
    if _is_plain_text(data):
        return TEXT
    return None


def _zip_document(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if not entries or len(entries) > _MAX_ZIP_ENTRIES:
                return None
            names = {entry.filename for entry in entries}
            first = entries[0]
            if (
                first.filename == "mimetype"
                and first.compress_type == zipfile.ZIP_STORED
                and first.file_size == len(_ODT_MIMETYPE)
                and archive.read(first) == _ODT_MIMETYPE
            ):
                return ODT
            manifest = next((e for e in entries if e.filename == "[Content_Types].xml"), None)
            if (
                manifest is None
                or manifest.file_size > _MAX_MANIFEST_BYTES
                or "word/document.xml" not in names
                or any(name.lower().endswith("vbaproject.bin") for name in names)
            ):
                return None
            declared = archive.read(manifest)
            if _DOCX_MAIN in declared and b"macroEnabled" not in declared:
                return DOCX
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError):
        return None


def _is_plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if _CONTROL.search(text):
        return False
    stripped = text.lstrip()
    if stripped.startswith(("<", "#!")):
        return False
    return _MARKUP.search(text) is None


_KNOWN_EXTENSIONS = frozenset(ext for kind in ACCEPTED for ext in kind.extensions) | {
    ".exe",
    ".html",
    ".htm",
    ".js",
    ".svg",
    ".doc",
    ".xls",
    ".xlsx",
    ".zip",
    ".bin",
    ".sh",
    ".bat",
}


def sanitise_name(name: str, kind: FileType) -> str:
    """A name safe to keep and to offer on download: no path, no control or odd characters,
    bounded, and ending in an extension of the type the content really is."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(c if (c.isalnum() or c in " .-_()") else "_" for c in base)
    base = re.sub(r"\s+", " ", base).strip(" .")
    base = re.sub(r"_+", "_", base)
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix in kind.extensions:
        extension = suffix
    elif suffix in _KNOWN_EXTENSIONS:
        # The name claimed another type: keep its words, state the type the content is.
        extension = kind.extension
    else:
        stem, extension = base, kind.extension
    stem = stem.strip(" ._") or "file"
    stem = stem[: _MAX_NAME - len(extension)]
    return f"{stem}{extension}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _shown(name: str) -> str:
    """The name as the user gave it, for a message: bounded and printable."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(c for c in base if c.isprintable())[:80]
    return base or "The file"


def _check(name: str, data: bytes, max_bytes: int) -> FileType:
    shown = _shown(name)
    if not data:
        raise Refused(f"“{shown}” is empty; choose the file again.")
    if len(data) > max_bytes:
        raise Refused(
            f"“{shown}” is {_megabytes(len(data))}; a file may be at most {_megabytes(max_bytes)}."
        )
    kind = detect_type(data)
    if kind is None:
        raise Refused(
            f"“{shown}” is not a type of file we accept (judged by its content, not its name). "
            f"Send {ACCEPTED_WORDS}."
        )
    return kind


def store_upload(
    session: Session,
    sealer: Sealer,
    files_dir: str,
    *,
    name: str,
    data: bytes,
    uploader: User | None,
    max_bytes: int,
) -> StoredFile:
    """Check, seal and store one uploaded file; flush its row. Refused changes nothing."""
    kind = _check(name, data, max_bytes)
    sealed = sealer.seal_bytes(data)
    directory = Path(files_dir)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path = directory / key
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    _remember(session, path)
    with os.fdopen(fd, "wb") as handle:
        handle.write(sealed)
    stored = StoredFile(
        storage_key=key,
        original_name=sanitise_name(name, kind),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=uploader.id if uploader is not None else None,
    )
    session.add(stored)
    session.flush()
    return stored


def read_stored(sealer: Sealer, files_dir: str, stored: StoredFile) -> bytes:
    """The file's plaintext, only if it decrypts and matches its recorded SHA-256 and size."""
    name = stored.original_name
    if not _STORAGE_KEY.match(stored.storage_key):
        raise Tampered(f"The stored file “{name}” has an invalid storage key; it is not served.")
    path = Path(files_dir) / stored.storage_key
    try:
        sealed = path.read_bytes()
    except FileNotFoundError as error:
        raise Tampered(f"The stored file “{name}” is missing; it cannot be served.") from error
    except OSError as error:
        raise Tampered(f"The stored file “{name}” cannot be read; it is not served.") from error
    try:
        data = sealer.unseal_bytes(sealed)
    except Unreadable as error:
        raise Tampered(
            f"The stored file “{name}” does not decrypt: it was altered or sealed under "
            "another key, and is not served."
        ) from error
    if len(data) != stored.size or hashlib.sha256(data).hexdigest() != stored.sha256:
        raise Tampered(
            f"The stored file “{name}” does not match its recorded SHA-256: it was altered, "
            "and is not served."
        )
    return data


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: the name the sender gave it and its bytes. Nothing else is trusted."""

    name: str
    data: bytes


@dataclass(frozen=True)
class FileStore:
    """Where and how the application keeps files: what operations that take files are given."""

    sealer: Sealer
    files_dir: str
    max_bytes: int

    def store(self, session: Session, upload: Upload, uploader: User | None) -> StoredFile:
        return store_upload(
            session,
            self.sealer,
            self.files_dir,
            name=upload.name,
            data=upload.data,
            uploader=uploader,
            max_bytes=self.max_bytes,
        )

    def check(self, upload: Upload) -> None:
        """Refuse an upload that store() would refuse, without writing anything."""
        _check(upload.name, upload.data, self.max_bytes)

    def read(self, stored: StoredFile) -> bytes:
        return read_stored(self.sealer, self.files_dir, stored)


# --- Files written in a transaction that does not commit are removed again. ---


def _remember(session: Session, path: Path) -> None:
    pending: list[Path] = session.info.setdefault(_PENDING, [])
    pending.append(path)
    if not session.info.get(_LISTENING):
        event.listen(session, "after_commit", _forget)
        event.listen(session, "after_transaction_end", _discard)
        session.info[_LISTENING] = True


def _forget(session: Session) -> None:
    session.info[_PENDING] = []


def _discard(session: Session, transaction: SessionTransaction, *_: Any) -> None:
    if transaction.parent is not None:
        return
    pending: list[Path] = session.info.get(_PENDING, [])
    session.info[_PENDING] = []
    for path in pending:
        path.unlink(missing_ok=True)
