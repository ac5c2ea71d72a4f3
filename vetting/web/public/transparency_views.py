"""The transparency page: the installation's public key and the signed checkpoints of the audit
chain that accompany public publications, each downloadable as the file `vetting audit verify
--checkpoint` takes."""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, abort, current_app, render_template, url_for
from flask_babel import gettext as _

from vetting.checkpoints import SIGNER_KEY, Signer, download_of
from vetting.extensions import db
from vetting.models import Candidacy, Election, ElectionReport, PublicSummary
from vetting.operations.published import public_checkpoints
from vetting.web.policy import public
from vetting.web.public import bp


@dataclass(frozen=True)
class Accompanied:
    label: str
    url: str


def _signer() -> Signer:
    signer: Signer = current_app.extensions[SIGNER_KEY]
    return signer


def _publications(ids: list[int]) -> dict[int, list[Accompanied]]:
    """The publication each public checkpoint accompanies, in two queries. Every approval takes
    a checkpoint of its own (operations.publication, operations.reports), so the version that
    names a public checkpoint is the public one that made it public."""
    found: dict[int, list[Accompanied]] = {}
    if not ids:
        return found
    summaries = db.session.execute(
        sa.select(PublicSummary.checkpoint_id, PublicSummary.version, Candidacy)
        .join(Candidacy, Candidacy.id == PublicSummary.candidacy_id)
        .where(PublicSummary.checkpoint_id.in_(ids))
    )
    for checkpoint_id, version, candidacy in summaries:
        label = _(
            "Summary on %(name)s, version %(version)s", name=candidacy.full_name, version=version
        )
        url = url_for("public.candidate", public_id=candidacy.public_id)
        found.setdefault(checkpoint_id, []).append(Accompanied(label, url))
    reports = db.session.execute(
        sa.select(ElectionReport.checkpoint_id, ElectionReport.version, Election)
        .join(Election, Election.id == ElectionReport.election_id)
        .where(ElectionReport.checkpoint_id.in_(ids))
    )
    for checkpoint_id, version, election in reports:
        label = _(
            "Report on %(election)s, version %(version)s", election=election.title, version=version
        )
        url = url_for("public.election", election_id=election.id)
        found.setdefault(checkpoint_id, []).append(Accompanied(label, url))
    return found


@bp.route("/transparency")
@public
def transparency() -> object:
    checkpoints = public_checkpoints(db.session)
    return render_template(
        "public/transparency.html",
        signer=_signer(),
        checkpoints=checkpoints,
        publications=_publications([c.id for c in checkpoints]),
    )


@bp.route("/transparency/public-key.pem")
@public
def transparency_public_key() -> object:
    return Response(
        _signer().public_key_pem,
        mimetype="application/x-pem-file",
        headers={"Content-Disposition": 'attachment; filename="vetting-public-key.pem"'},
    )


@bp.route("/transparency/checkpoints/<int:checkpoint_id>.json")
@public
def transparency_checkpoint(checkpoint_id: int) -> object:
    # Only a checkpoint that accompanies a public publication: an embargoed one stays unknown.
    found = next((c for c in public_checkpoints(db.session) if c.id == checkpoint_id), None)
    if found is None:
        abort(404)
    name = f"vetting-checkpoint-{found.seq}.json"
    return Response(
        json.dumps(download_of(found), indent=2) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
