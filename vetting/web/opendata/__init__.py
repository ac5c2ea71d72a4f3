"""The open data (/data/v1/: JSON and CSV of everything published, with JSON Schemas) and the
read-only JSON API (/api/v1/, described by its OpenAPI document). Anyone may read them.

Both are versioned in the path: a change that would break a reader (a field removed or renamed,
a meaning changed) makes a v2 beside v1, never a silent change of v1. Records come from
vetting.operations.opendata, which reads what is public through vetting.operations.published.

Any site may read them from a browser (`Access-Control-Allow-Origin: *`): the data is public and
read-only, and no cookie or credential is honoured for it, so nothing is exposed that an
anonymous visitor would not see.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from vetting.web.opendata.documents import json_response

bp = Blueprint("opendata", __name__)

API_PREFIX = "/api/"


@bp.after_request
def _open_to_every_origin(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def json_error(error: HTTPException) -> Response | None:
    """The API's errors are JSON, `{"error": "..."}`, with their status (404, 405...); None for
    a request outside the API, whose errors are the site's pages. Called from the application's
    HTTP error handler, since a routing error (no such path, a method other than GET) reaches no
    blueprint."""
    if not request.path.startswith(API_PREFIX):
        return None
    response = json_response({"error": error.description or error.name}, status=error.code or 500)
    for name, value in error.get_headers():
        if name.lower() == "allow":
            response.headers["Allow"] = value
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


from vetting.web.opendata import api as _api  # noqa: E402, F401
from vetting.web.opendata import files as _files  # noqa: E402, F401
