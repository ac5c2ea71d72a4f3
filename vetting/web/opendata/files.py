"""/data/v1/: the published material as JSON and CSV files, their schemas, and the index page."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import abort, render_template

from vetting.extensions import db
from vetting.models import Election
from vetting.operations import opendata
from vetting.operations.opendata import Record
from vetting.web.opendata import bp
from vetting.web.opendata.documents import (
    SCHEMAS,
    csv_response,
    dataset_document,
    json_response,
    schema_document,
)
from vetting.web.policy import public

PREFIX = "/data/v1"


@bp.route(f"{PREFIX}/")
@public
def index() -> object:
    elections = db.session.scalars(
        sa.select(Election).order_by(Election.nomination_opens.desc(), Election.id.desc())
    ).all()
    return render_template("opendata/index.html", elections=elections)


@bp.route(f"{PREFIX}/schemas/<dataset>.json")
@public
def schema(dataset: str) -> object:
    if dataset not in SCHEMAS:
        abort(404)
    return json_response(schema_document(dataset), mimetype="application/schema+json")


@bp.route(f"{PREFIX}/elections.json")
@public
def elections_json() -> object:
    return dataset_document("elections", opendata.elections(db.session))


@bp.route(f"{PREFIX}/elections.csv")
@public
def elections_csv() -> object:
    return csv_response("elections", opendata.elections(db.session), "elections")


@bp.route(f"{PREFIX}/checkpoints.json")
@public
def checkpoints_json() -> object:
    return dataset_document("checkpoints", opendata.checkpoints(db.session))


@bp.route(f"{PREFIX}/checkpoints.csv")
@public
def checkpoints_csv() -> object:
    return csv_response("checkpoints", opendata.checkpoints(db.session), "checkpoints")


def _election_or_404(election_id: int) -> Election:
    election = opendata.election_or_none(db.session, election_id)
    if election is None:
        abort(404)
    return election


# The datasets of one election, each as JSON and (but the reports, which nest) as CSV.
ELECTION_DATASETS: dict[str, Callable[[sa.orm.Session, int], list[Record]]] = {
    "rubric": opendata.rubric,
    "candidates": lambda session, election_id: opendata.candidates(session, election_id),
    "summaries": lambda session, election_id: opendata.summaries(session, election_id),
    "answers": opendata.answers,
    "reports": lambda session, election_id: opendata.reports(session, election_id),
}
CSV_DATASETS = ("rubric", "candidates", "summaries", "answers")


def _register(name: str) -> None:
    def as_json(election_id: int) -> object:
        election = _election_or_404(election_id)
        items = ELECTION_DATASETS[name](db.session, election.id)
        return dataset_document(name, items, election_id=election.id)

    def as_csv(election_id: int) -> object:
        election = _election_or_404(election_id)
        items = ELECTION_DATASETS[name](db.session, election.id)
        return csv_response(name, items, f"election-{election.id}-{name}")

    path = f"{PREFIX}/elections/<int:election_id>/{name}"
    bp.add_url_rule(f"{path}.json", f"{name}_json", public(as_json))
    if name in CSV_DATASETS:
        bp.add_url_rule(f"{path}.csv", f"{name}_csv", public(as_csv))


for _name in ELECTION_DATASETS:
    _register(_name)
