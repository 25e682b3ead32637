"""Reads of the child-protection figures for signed-in users, scoped to their regions (404 elsewhere) and
bounded in queries. The public view of the same figures is `publication.figures_for(..., exact=False)`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from layak.accounts.selectors import Viewer
from layak.regions.models import Region
from layak.registers.access import can_read_register

from .categories import Topic, catalogue_for_year
from .choices import FlagStatus
from .models import ChildPopulation, JumpFlag, Report, ReportVersion
from .services import kabkota_code


def _subtree(region: Region, field: str) -> Q:
    """The region and its kecamatan, through the foreign key `field`."""
    return Q(**{f"{field}_id": region.code}) | Q(**{f"{field}__code__startswith": f"{region.code}."})


def report_get_for_user(*, user: Viewer, pk: int) -> Report:
    """One report with its region; 404 outside the user's regions."""
    report = Report.objects.select_related("region").filter(pk=pk).first()
    if report is None or not can_read_register(user, kabkota_code(report.region)):
        raise Http404
    return report


def flag_get_for_user(*, user: Viewer, pk: int) -> JumpFlag:
    """One flagged jump with its report and region; 404 outside the user's regions."""
    flag = JumpFlag.objects.select_related("report__region").filter(pk=pk).first()
    if flag is None or not can_read_register(user, kabkota_code(flag.report.region)):
        raise Http404
    return flag


def report_versions(*, report: Report) -> QuerySet[ReportVersion]:
    """Every version of a report, newest first, with who entered it (one query)."""
    return report.versions.select_related("created_by").order_by("-number")


def labelled(flags: list[JumpFlag]) -> list[JumpFlag]:
    """Gives each flag the words people read: `topic_label` and `cell_label` (never the keys)."""
    for flag in flags:
        topic = catalogue_for_year(flag.report.year).topic(flag.report.topic)
        flag.topic_label = topic.label if topic else flag.report.topic  # type: ignore[attr-defined]
        flag.cell_label = topic.cell(flag.cell).label if topic and flag.cell in topic.keys else flag.cell  # type: ignore[attr-defined]
    return flags


def open_flags(*, region: Region) -> list[JumpFlag]:
    """Jumps of the region (and its kecamatan) waiting for the coordinator, newest period first (one query)."""
    return labelled(
        list(
            JumpFlag.objects.filter(_subtree(region, "report__region"), status=FlagStatus.OPEN)
            .select_related("report")
            .order_by("-report__year", "-report__month", "report__topic", "cell")[:200]
        )
    )


@dataclass(frozen=True)
class PeriodRow:
    """A topic's reports of one year in a region: which months (or quarters) are recorded, with links."""

    topic: Topic
    cells: tuple[tuple[int, Report | None], ...]  # month -> the report covering it (a quarter covers three)


def period_grid(*, region: Region, year: int) -> list[PeriodRow]:
    """For each topic, the twelve months of the year and the report that covers each (one query)."""
    reports = Report.objects.filter(region=region, year=year).only("id", "topic", "month", "months", "version")
    by_topic: dict[str, dict[int, Report]] = {}
    for r in reports:
        for m in range(r.month, r.month + r.months):
            by_topic.setdefault(r.topic, {})[m] = r
    return [
        PeriodRow(t, tuple((m, by_topic.get(t.key, {}).get(m)) for m in range(1, 13)))
        for t in catalogue_for_year(year).topics
    ]


def populations(*, region: Region) -> list[ChildPopulation]:
    """The region's child population figures, newest year first (one query)."""
    return list(ChildPopulation.objects.filter(region=region).order_by("-year"))


def has_demo(*, region: Region) -> bool:
    """True when any of the region's figures is demo data ("data contoh"), so the page says so (one query)."""
    return Report.objects.filter(_subtree(region, "region"), is_demo=True).exists()


# --- A figure as a target (the RAD KLA's monitoring) ----------------------------------------------------------


def figure_choices() -> list[tuple[str, str]]:
    """Every figure a plan may target, as ("topic:cell", "Topic: figure") in form order (newest categories)."""
    catalogue = catalogue_for_year(9999)
    return [(f"{t.key}:{c.key}", f"{t.label}: {c.label}") for t in catalogue.topics for c in t.cells]


def figure_label(figure: str) -> str:
    """The words of a "topic:cell" figure ("" when it is not a figure of the categories)."""
    return dict(figure_choices()).get(figure, "")


@dataclass(frozen=True)
class YearCount:
    """A figure's count in one year of a kab/kota (its kecamatan included) and the months its reports cover."""

    year: int
    count: int
    months: int


def figure_counts(*, region: Region, figure: str, years: list[int]) -> dict[int, YearCount]:
    """The exact yearly count of a "topic:cell" figure in the region, for people who see its figures (one
    query). Years without any report are left out."""
    topic, _sep, cell = figure.partition(":")
    rows = Report.objects.filter(_subtree(region, "region"), topic=topic, year__in=years).values_list(
        "year", "months", "values"
    )
    counts: dict[int, list[int]] = {}
    for year, months, values in rows:
        total = counts.setdefault(year, [0, 0])
        total[0] += int(values.get(cell, 0))
        total[1] += months
    return {year: YearCount(year, count, min(months, 12)) for year, (count, months) in counts.items()}
