"""Writing the open data out: JSON documents, CSV files, and the schema files they follow."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from flask import Response, url_for

from vetting.domain.spreadsheet import csv_text
from vetting.models.base import utcnow
from vetting.operations.opendata import CSV_COLUMNS, Record

# The schema files in vetting/schemas/ that /data/v1/schemas/<name>.json serves.
SCHEMAS = (
    "definitions",
    "elections",
    "rubric",
    "candidates",
    "summaries",
    "answers",
    "reports",
    "checkpoints",
)


@cache
def schema_text(name: str) -> str:
    return (resources.files("vetting") / "schemas" / f"{name}.json").read_text("utf-8")


def schema_document(name: str) -> dict[str, Any]:
    """A schema as served: the file, with its own address as `$id`, so that its relative
    references (to definitions.json) resolve against this site."""
    found: dict[str, Any] = json.loads(schema_text(name))
    address = url_for("opendata.schema", dataset=name, _external=True)
    return {"$schema": found.pop("$schema"), "$id": address, **found}


def json_response(
    value: object, *, status: int = 200, mimetype: str = "application/json"
) -> Response:
    # Not jsonify: it sorts the keys, and a document reads better with "$schema" first.
    body = json.dumps(value, ensure_ascii=False, indent=1) + "\n"
    return Response(body, status=status, mimetype=mimetype)


def dataset_document(name: str, items: list[Record], **context: Any) -> Response:
    document = {
        "$schema": url_for("opendata.schema", dataset=name, _external=True),
        "dataset": name,
        "generated_at": utcnow().isoformat(),
        **context,
        "items": items,
    }
    return json_response(document)


def csv_response(name: str, items: list[Record], filename: str) -> Response:
    response = Response(csv_text(CSV_COLUMNS[name], items), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
