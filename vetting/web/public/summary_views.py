"""Every earlier public version of a summary stays readable at its own address: a correction
never makes what was published disappear."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from sqlalchemy.orm import joinedload

from vetting.extensions import db
from vetting.models import Candidacy
from vetting.operations.published import summary_versions
from vetting.web.policy import public
from vetting.web.public import bp


@bp.route("/candidates/<public_id>/summary/v<int:version>")
@public
def summary_version(public_id: str, version: int) -> object:
    candidacy = db.session.scalar(
        sa.select(Candidacy)
        .options(joinedload(Candidacy.election))
        .where(Candidacy.public_id == public_id)
    )
    if candidacy is None:
        abort(404)
    versions = summary_versions(db.session, candidacy.id)
    shown = next((v for v in versions if v.version == version), None)
    if shown is None:  # no such version, or not public now
        abort(404)
    later = [v for v in versions if v.version > version]
    return render_template(
        "public/summary_version.html",
        candidacy=candidacy,
        summary=shown,
        superseded_by=later[0] if later else None,
        current=versions[-1],
    )
