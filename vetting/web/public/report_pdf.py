"""The election report as a PDF, drawn with fpdf2 (docs/decisions/0009) from a version's frozen
snapshot, in the reader's language. DejaVu Sans is embedded (subset), so accented and non-Latin
names print as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from vetting.models import ElectionReport
from vetting.web.public.report_words import report_context

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
FAMILY = "DejaVu"


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}", align="C")


def _document(title: str) -> _ReportPDF:
    pdf = _ReportPDF(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("vetting")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.footer_text = title
    pdf.add_page()
    return pdf


def _para(pdf: FPDF, text: str, *, size: float = 10, bold: bool = False, gap: float = 1.5) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def report_pdf_bytes(snapshot: dict[str, Any], *, report: ElectionReport) -> bytes:
    """The PDF of one version. Its creation date is the version's release, so the same version
    always gives the same document."""
    words = report_context(snapshot, report=report, versions=[report])
    election = snapshot["election"]
    title = _("Report of the vetting panel: %(election)s", election=election["title"])
    pdf = _document(title)
    if report.published_at is not None:
        pdf.set_creation_date(report.published_at)
    _para(pdf, title, size=15, bold=True, gap=2)
    released = report.published_at.strftime("%Y-%m-%d") if report.published_at else "—"
    _para(
        pdf, _("Version %(version)s, published on %(date)s.", version=report.version, date=released)
    )
    if report.corrigendum:
        _para(pdf, _("Corrigendum"), size=11, bold=True)
        _para(pdf, report.corrigendum)
    _para(
        pdf,
        _(
            "Office: %(office)s. Seats: %(seats)s. Nomination period: %(opens)s to %(closes)s.",
            office=words["office_word"](election["office"]),
            seats=election["seats"],
            opens=election["nomination_opens"],
            closes=election["nomination_closes"],
        ),
    )

    _para(pdf, _("I. Introduction"), size=13, bold=True, gap=2)
    _para(pdf, _("A. Composition of the panel"), size=11, bold=True)
    for member in snapshot["panel"]:
        role = _("Chair") if member["chair"] else _("Member")
        group = words["group_word"](member["regional_group"])
        _para(pdf, f"{member['name']} ({member['nationality'] or '—'}, {group}): {role}", gap=0.5)
    gender = snapshot["panel_gender"]
    _para(
        pdf,
        _(
            "Women: %(women)s of the %(members)s members.",
            women=gender.get("women", "—"),
            members=gender.get("members", len(snapshot["panel"])),
        ),
    )
    _para(pdf, _("B. Method of work"), size=11, bold=True)
    _para(pdf, snapshot["method"])
    _para(pdf, _("C. The rubric"), size=11, bold=True)
    for criterion in snapshot["rubric"]:
        _para(
            pdf,
            _(
                "%(code)s %(title)s (weight %(weight)s, %(phase)s)",
                code=criterion["code"],
                title=criterion["title"],
                weight=criterion["weight"],
                phase=words["phase_word"](criterion["phase"]),
            ),
            bold=True,
            gap=0.5,
        )
        for level, descriptor in enumerate(criterion["descriptors"], start=1):
            if descriptor:
                _para(pdf, f"{level}: {descriptor}", size=9, gap=0.3)
        pdf.ln(1)
    _para(pdf, _("D. Timeline"), size=11, bold=True)
    for event in snapshot["timeline"]:
        _para(pdf, f"{event['date']}  {words['event_text'](event)}", gap=0.5)
    pdf.ln(2)

    _para(pdf, _("II. Consideration of the nominations"), size=13, bold=True, gap=2)
    for candidacy in snapshot["candidacies"]:
        status = str(words["status_words"].get(candidacy["status"], candidacy["status"]))
        if candidacy["withdrawn_on"]:
            status = _("Withdrawn on %(date)s", date=candidacy["withdrawn_on"])
        line = _(
            "%(name)s. Nationality: %(nationality)s. Nominated by: %(state)s. %(list)s %(status)s",
            name=candidacy["name"],
            nationality=candidacy["nationality"],
            state=candidacy["nominating_state"],
            list=words["list_word"](candidacy["list"]),
            status=status,
        )
        _para(pdf, line, gap=0.5)
    pdf.ln(2)

    _para(pdf, _("Annex: Evaluation of the candidates"), size=13, bold=True, gap=2)
    _para(pdf, _("A. General observations"), size=11, bold=True)
    _para(pdf, snapshot["observations"])
    _para(pdf, _("B. Individual evaluations"), size=11, bold=True)
    for candidacy in snapshot["candidacies"]:
        summary = candidacy["summary"]
        if summary is None:
            continue
        _para(pdf, candidacy["name"], bold=True, gap=0.5)
        _para(pdf, summary["text"])
        if summary["corrigendum"]:
            _para(pdf, _("Corrigendum: %(text)s", text=summary["corrigendum"]), size=9)
    return bytes(pdf.output())
