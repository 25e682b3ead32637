"""The charts of the reports, built from the report data with the shared SVG helpers in layak.common.charts."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from layak.common.charts import Bar, Series, band_colour, grouped_bar_chart, horizontal_bar_chart, stage_colour
from layak.common.numbers import format_fraction

from .selectors import AssessmentReport


def cluster_bar_chart(report: AssessmentReport) -> SafeString | None:
    """The latest stage's points per cluster against each cluster's maximum, coloured by the predicate."""
    if not report.stages:
        return None
    index = len(report.stages) - 1
    band = report.final.band_code if report.final else report.latest_band_code
    bars = [
        Bar(c.label, float(c.scores[index].points or 0), float(c.maximum), band_colour(band)) for c in report.clusters
    ]
    stage = report.totals[index].label
    return horizontal_bar_chart(
        bars,
        title=_("Points per cluster, %(stage)s") % {"stage": stage},
        desc=_("Each bar is the cluster's points in the %(stage)s stage out of its maximum: %(values)s.")
        % {"stage": stage, "values": "; ".join(f"{b.label} {format_fraction(b.value, b.maximum)}" for b in bars)},
        label_width=230,
    )


def stage_comparison_chart(report: AssessmentReport) -> SafeString | None:
    """Each cluster's share of its maximum per stage, side by side (only when more than one stage exists)."""
    if len(report.stages) < 2:
        return None
    series = [
        Series(
            total.short_label,
            [float(c.scores[i].points) if c.scores[i].points is not None else None for c in report.clusters],
            stage_colour(total.stage),
        )
        for i, total in enumerate(report.totals)
    ]
    return grouped_bar_chart(
        [c.code for c in report.clusters],
        series,
        title=_("Share of the maximum per cluster and stage"),
        desc=_("Bars per cluster, one per stage, as a percentage of the cluster's maximum."),
        maxima=[float(c.maximum) for c in report.clusters],
    )
