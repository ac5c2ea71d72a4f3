"""The published election report: the current version, earlier versions, a print view and a
PDF. Every page is rendered from a version's frozen snapshot only (never from the live record),
and which versions are public now is decided by vetting.operations.published.

`render_report` is also the secretariat's "preview as public": the same page, from the snapshot
the approval would freeze.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template

from vetting.extensions import db
from vetting.models import ElectionReport
from vetting.operations.published import report_versions
from vetting.operations.reports import snapshot_of
from vetting.web.policy import public
from vetting.web.public import bp
from vetting.web.public.report_pdf import report_pdf_bytes
from vetting.web.public.report_words import report_context


def render_report(
    snapshot: dict[str, Any],
    *,
    report: ElectionReport,
    versions: list[ElectionReport],
    preview: bool = False,
    template: str = "public/report.html",
) -> str:
    return render_template(
        template, **report_context(snapshot, report=report, versions=versions, preview=preview)
    )


def _public_version(election_id: int, version: int | None) -> tuple[ElectionReport, list[Any]]:
    """The public version asked for (the current one when `version` is None), with every public
    version; 404 when there is none."""
    versions = report_versions(db.session, election_id)
    chosen = [v for v in versions if version is None or v.version == version]
    if not chosen:
        abort(404)
    return chosen[-1], versions


@bp.route("/elections/<int:election_id>/vetting-report")
@public
def report(election_id: int) -> object:
    chosen, versions = _public_version(election_id, None)
    return render_report(snapshot_of(chosen), report=chosen, versions=versions)


@bp.route("/elections/<int:election_id>/vetting-report/v<int:version>")
@public
def report_version(election_id: int, version: int) -> object:
    chosen, versions = _public_version(election_id, version)
    return render_report(snapshot_of(chosen), report=chosen, versions=versions)


@bp.route("/elections/<int:election_id>/vetting-report/print", defaults={"version": None})
@bp.route("/elections/<int:election_id>/vetting-report/v<int:version>/print")
@public
def report_print(election_id: int, version: int | None) -> object:
    chosen, versions = _public_version(election_id, version)
    return render_report(
        snapshot_of(chosen),
        report=chosen,
        versions=versions,
        template="public/report_print.html",
    )


@bp.route("/elections/<int:election_id>/vetting-report.pdf", defaults={"version": None})
@bp.route("/elections/<int:election_id>/vetting-report/v<int:version>.pdf")
@public
def report_pdf(election_id: int, version: int | None) -> object:
    chosen, _versions = _public_version(election_id, version)
    body = report_pdf_bytes(snapshot_of(chosen), report=chosen)
    name = f"vetting-report-election-{election_id}-v{chosen.version}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
