"""Files in the web layer: the application's file store, the uploads a form received, and the
one way a stored file is sent to a browser (as an attachment, typed, never sniffed, never cached).
"""

from __future__ import annotations

import io

from flask import Response, current_app, render_template, send_file
from werkzeug.datastructures import FileStorage

from vetting.operations.diligence import Download
from vetting.operations.files import FileStore, Upload
from vetting.web.helpers import sealer


def file_store() -> FileStore:
    return FileStore(
        sealer=sealer(),
        files_dir=current_app.config["FILES_DIR"],
        max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
    )


def upload_of(data: FileStorage | None) -> Upload | None:
    """The file a file input carried; None when none was chosen (an empty input still sends a
    nameless, empty part)."""
    if data is None or not data.filename:
        return None
    return Upload(name=data.filename, data=data.read())


def uploads_of(files: list[FileStorage] | None) -> list[Upload]:
    return [u for u in (upload_of(f) for f in files or []) if u is not None]


def send_download(download: Download) -> Response | tuple[str, int]:
    """The file, as an attachment; or, when it is missing or altered, a page that says so."""
    if download.data is None:
        return render_template("files/unavailable.html", problem=download.problem), 409
    stored = download.stored
    response = send_file(
        io.BytesIO(download.data),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.original_name,
        conditional=False,
        etag=False,
        last_modified=None,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
