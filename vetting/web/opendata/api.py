"""/api/v1/: the read-only JSON API, as its OpenAPI document (vetting/schemas/openapi.json,
served as it is) describes it. GET and HEAD only; errors are JSON (see `json_error`)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, url_for

from vetting.checkpoints import SIGNER_KEY
from vetting.extensions import db
from vetting.operations import opendata
from vetting.web.opendata import bp
from vetting.web.opendata.documents import json_response, schema_text
from vetting.web.policy import public

PREFIX = "/api/v1"
# No automatic OPTIONS: the API answers GET and HEAD, anything else is a JSON 405.
ROUTE: dict[str, Any] = {"methods": ["GET"], "provide_automatic_options": False}


@bp.route(f"{PREFIX}/openapi.json", **ROUTE)
@public
def api_openapi() -> object:
    return Response(schema_text("openapi"), mimetype="application/json")


@bp.route(f"{PREFIX}/elections", **ROUTE)
@public
def api_elections() -> object:
    items = [
        {**e, "url": url_for("opendata.api_election", election_id=e["id"])}
        for e in opendata.elections(db.session)
    ]
    return json_response({"items": items})


@bp.route(f"{PREFIX}/elections/<int:election_id>", **ROUTE)
@public
def api_election(election_id: int) -> object:
    election = opendata.election_or_none(db.session, election_id)
    if election is None:
        abort(404, "No such election.")
    return json_response(opendata.election_detail(db.session, election))


@bp.route(f"{PREFIX}/elections/<int:election_id>/candidates", **ROUTE)
@public
def api_candidates(election_id: int) -> object:
    election = opendata.election_or_none(db.session, election_id)
    if election is None:
        abort(404, "No such election.")
    items = [
        {**c, "url": url_for("opendata.api_candidate", public_id=c["public_id"])}
        for c in opendata.candidates(db.session, election.id)
    ]
    return json_response({"election_id": election.id, "items": items})


@bp.route(f"{PREFIX}/elections/<int:election_id>/report", **ROUTE)
@public
def api_report(election_id: int) -> object:
    report = opendata.report_summary(db.session, election_id)
    if report is None:
        abort(404, "No version of this election's report is public.")
    return json_response(report)


@bp.route(f"{PREFIX}/candidates/<public_id>", **ROUTE)
@public
def api_candidate(public_id: str) -> object:
    profile = opendata.candidate_profile(db.session, public_id)
    if profile is None:
        abort(404, "No such candidate.")
    return json_response(profile)


@bp.route(f"{PREFIX}/checkpoints", **ROUTE)
@public
def api_checkpoints() -> object:
    return json_response({"items": opendata.checkpoints(db.session)})


@bp.route(f"{PREFIX}/public-key", **ROUTE)
@public
def api_public_key() -> object:
    signer = current_app.extensions[SIGNER_KEY]
    return json_response(opendata.public_key_record(signer.key_id, signer.public_key_pem))
