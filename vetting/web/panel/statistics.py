"""What the deliberation page shows beyond the scores: per criterion a chart of the scores,
outlier flags and the panel's agreement (alpha, in words); per member their leniency.

One statement whatever the size of the panel or of the election: the election's visible locked
scores are read once (`agreement.visible_ratings`) and everything else is computed from them and
from the score sheet the page has already read.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from vetting.domain.agreement import (
    MIN_UNITS,
    AlphaReading,
    Leniency,
    distribution,
    leniency,
    outlier_flags,
)
from vetting.extensions import db
from vetting.models import Candidacy, Criterion, User
from vetting.operations import agreement
from vetting.web.panel.queries import Scoresheet

# The chart's geometry, in SVG user units: four bars with room for a count above each and the
# scale point below.
CHART_WIDTH = 200
CHART_HEIGHT = 110
BAR_WIDTH = 36
BAR_GAP = 12
BAR_TOP = 18
BAR_BOTTOM = 88


@dataclass(frozen=True)
class Bar:
    point: int
    count: int
    x: int
    y: int
    height: int

    @property
    def centre(self) -> int:
        return self.x + BAR_WIDTH // 2


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    description: str
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    bar_width: int = BAR_WIDTH
    baseline: int = BAR_BOTTOM


@dataclass(frozen=True)
class LeniencyRow:
    reviewer: str
    is_me: bool
    leniency: Leniency


@dataclass(frozen=True)
class DeliberationStatistics:
    charts: dict[int, Chart]
    outliers: dict[int, list[bool]]  # aligned with the score sheet's rows per criterion
    agreement: dict[int, agreement.Agreement]
    alpha_words: dict[int, str]
    leniency: list[LeniencyRow]
    candidacies: int  # candidacies of the election the aggregates rest on


def chart_of(values: list[int | None]) -> Chart:
    """Bars for the points of the scale; "not applicable" (None) has no bar, only a mention."""
    counts = distribution(values)
    tallest = max(counts.values()) or 1
    span = BAR_BOTTOM - BAR_TOP
    bars = []
    for index, (point, count) in enumerate(counts.items()):
        height = round(span * count / tallest)
        bars.append(
            Bar(point, count, 4 + index * (BAR_WIDTH + BAR_GAP), BAR_BOTTOM - height, height)
        )
    description = "; ".join(
        _("%(point)s: %(count)s", point=point, count=count) for point, count in counts.items()
    )
    na = sum(1 for value in values if value is None)
    if na:
        description = _("%(d)s; not applicable: %(na)s", d=description, na=na)
    return Chart(bars, _("Scores given, per point of the scale: %(d)s.", d=description))


def words_for(found: agreement.Agreement) -> str:
    reading = found.reading
    if reading is AlphaReading.RELIABLE:
        return _("Reliable: the members agree well beyond chance (alpha 0.800 or more).")
    if reading is AlphaReading.TENTATIVE:
        return _(
            "Tentative: the members agree more than chance would produce, but only enough for "
            "tentative conclusions (alpha from 0.667 up to 0.800)."
        )
    if reading is AlphaReading.LOW:
        return _(
            "Low agreement: the members' scores differ too much to be read as a shared "
            "judgement (alpha below 0.667)."
        )
    if reading is AlphaReading.SYSTEMATIC_DISAGREEMENT:
        return _(
            "Systematic disagreement: the members disagree more than chance would produce "
            "(alpha below zero)."
        )
    if reading is AlphaReading.NO_VARIATION:
        return _(
            "Not defined: every locked score on this criterion is the same, so agreement "
            "cannot be told apart from chance."
        )
    return _(
        "Not defined yet: alpha needs at least %(needed)s candidacies with two or more locked "
        "scores on this criterion; there are %(units)s.",
        needed=MIN_UNITS,
        units=found.units,
    )


def deliberation_statistics(
    candidacy: Candidacy, me: User, criteria: list[Criterion], sheet: Scoresheet
) -> DeliberationStatistics:
    visible = agreement.visible_ratings(db.session, candidacy.election_id, me.id)
    ids = [c.id for c in criteria]
    found = agreement.agreement_by_criterion(visible.ratings, ids)
    values = {cid: [row.value for row in sheet.by_criterion[cid]] for cid in ids}
    figures = leniency(visible.ratings)
    here = {r.reviewer_id for r in visible.ratings if r.candidacy_id == candidacy.id}
    rows = sorted(
        (
            LeniencyRow(visible.names[reviewer], reviewer == me.id, figures[reviewer])
            for reviewer in here
            if reviewer in figures
        ),
        key=lambda row: (row.reviewer, row.leniency.reviewer_id),
    )
    return DeliberationStatistics(
        charts={cid: chart_of(values[cid]) for cid in ids},
        outliers={cid: outlier_flags(values[cid]) for cid in ids},
        agreement=found,
        alpha_words={cid: words_for(found[cid]) for cid in ids},
        leniency=rows,
        candidacies=visible.candidacies,
    )
