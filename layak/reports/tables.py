"""Rows and columns of the report tables, shared by the pages and the CSV/Excel downloads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from .exports import Sheet
from .questions import PinnedFile, QuestionRow
from .selectors import AssessmentReport, ResultsTable


def _number(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value


# --- The region's report -------------------------------------------------------------------------------------


def report_sheets(report: AssessmentReport) -> list[Sheet]:
    """Summary (cover facts and scores per cluster and stage) and Indicators (one row per indicator)."""
    a = report.assessment
    facts = [
        (_("Regency/city"), f"{a.region.name} ({a.region_id})"),
        (_("Province"), a.region.parent.name if a.region.parent_id else ""),
        (_("Cycle"), f"{a.cycle.name} ({a.cycle.year})"),
        (_("Framework version"), a.cycle.framework.display_name),
        (_("Weights"), _("provisional weights") if report.weights_provisional else _("official weights")),
        (_("Final score"), report.final.score if report.final else _("Not final yet")),
        (_("Predikat"), report.final_band if report.final else ""),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    stage_labels = [str(label) for label in report.stage_labels]
    scores = [[c.label, c.maximum, *(_number(s.points) for s in c.scores)] for c in report.clusters]
    scores.append(
        [_("Total"), sum((c.maximum for c in report.clusters), Decimal(0)), *(_number(t.points) for t in report.totals)]
    )
    summary = Sheet(
        _("Summary"),
        [_("Klaster"), _("Maximum"), *stage_labels],
        [*scores, [], *([label, value] for label, value in facts)],
        widths=[40, 12, *([16] * len(stage_labels))],
    )
    if report.question_level:
        return [summary, *rekap_sheets(report)]
    indicators = Sheet(
        _("Indicators"),
        [
            _("Klaster"),
            _("Code"),
            _("Indicator"),
            *stage_labels,
            _("Maximum"),
            _("Done"),
            _("Not done yet"),
            _("Responsible (OPD)"),
            _("Data needed"),
        ],
        [
            [
                line.group_code,
                line.code,
                line.name,
                *(_number(s.points) for s in line.scores),
                line.maximum,
                line.done,
                line.todo,
                line.agency,
                "\n".join(line.needed),
            ]
            for cluster in report.clusters
            for line in cluster.lines
        ],
        widths=[8, 8, 40, *([10] * len(stage_labels)), 10, 45, 45, 24, 45],
    )
    return [summary, indicators]


def _pinned(f: PinnedFile) -> str:
    parts = [f.title]
    if f.version:
        parts.append(_("version %(n)s") % {"n": f.version})
    if not f.pinned:
        parts.append(_("not pinned yet"))
    elif f.round:
        parts.append(_("pinned at revision round %(n)s") % {"n": f.round})
    else:
        parts.append(_("pinned at submission"))
    if f.sha256:
        parts.append(f"SHA-256 {f.sha256}…")
    return " · ".join(parts)


def _grades(row: QuestionRow) -> str:
    return "\n".join(
        f"{cell.short_label}: {cell.symbol}" + (f" — {cell.reason}" if cell.reason else "") for cell in row.graded
    )


def rekap_sheets(report: AssessmentReport) -> list[Sheet]:
    """One sheet per group laid out like the ministry's Rekap: an indicator row, then its questions with the
    maximum, the self-score, each stage's score and the final, the grades with their reasons, the pinned
    evidence and the OPD."""
    stages = [str(label) for label in report.all_stage_labels]
    header = [_("Indicator"), _("No."), _("Question"), _("Max."), *stages, _("Grades"), _("Evidence"), _("OPD")]
    sheets = []
    for group in report.question_groups:
        rows: list[list] = []
        for block in group.indicators:
            rows.append([block.code, "", block.name, block.maximum, *(_number(p) for p in block.scores)])
            rows += [
                [
                    block.code,
                    row.code,
                    row.text,
                    row.maximum,
                    *(_number(cell.points) for cell in row.cells),
                    _grades(row),
                    "\n".join(_pinned(f) for f in row.evidence),
                    row.agency,
                ]
                for row in block.questions
            ]
        rows.append([_("Total"), "", group.label, group.maximum, *(_number(p) for p in group.scores)])
        title = group.label[:31].replace("/", "-")
        sheets.append(Sheet(title, header, rows, widths=[9, 7, 60, 8, *([10] * len(stages)), 40, 50, 24]))
    return sheets


# --- The cycle's results -------------------------------------------------------------------------------------


def results_header(table: ResultsTable) -> list[str]:
    return [
        _("Code"),
        _("Regency/city"),
        _("Province"),
        _("Stage"),
        _("Score"),
        _("Predikat"),
        *(f"{code}. {label}" for code, label in table.groups),
    ]


def results_rows(table: ResultsTable) -> list[list]:
    return [
        [
            row.region_code,
            row.region_name,
            row.province_name,
            row.stage_label,
            _number(row.score),
            row.band,
            *(_number(row.clusters[code]) for code, _label in table.groups),
        ]
        for row in table.rows
    ]


def results_sheets(table: ResultsTable) -> list[Sheet]:
    """The rows as shown, and a sheet saying which cycle, filters and time they come from."""
    about = [
        (_("Cycle"), f"{table.cycle.name} ({table.cycle.year})"),
        (_("Province filter"), dict(table.provinces).get(table.province, _("All"))),
        (_("Predikat filter"), dict(table.bands).get(table.predicate, _("All"))),
        (_("Rows"), len(table.rows)),
        (_("Results published"), _("yes") if table.cycle.results_published_at else _("not yet")),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    widths = [10, 34, 28, 22, 10, 16, *([12] * len(table.groups))]
    return [
        Sheet(_("Results"), results_header(table), results_rows(table), widths=widths),
        Sheet(_("About"), [_("Item"), _("Value")], about, widths=[24, 40]),
    ]


@dataclass(frozen=True)
class Column:
    """A sortable column header: its label, the link that sorts by it and its current direction."""

    label: str
    href: str
    direction: str  # "ascending", "descending" or "" (for aria-sort)
    numeric: bool


def _query(request: HttpRequest, **changes: str) -> str:
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value:
            query[key] = value
        else:
            query.pop(key, None)
    return "?" + query.urlencode()


def results_links(request: HttpRequest, table: ResultsTable) -> dict:
    """The sortable column headers and the download links, keeping the current filters and sort."""
    keys = [("code", _("Code"), False), ("region", _("Regency/city"), False), ("province", _("Province"), False)]
    keys += [("stage", _("Stage"), False), ("score", _("Score"), True), ("predicate", _("Predikat"), False)]
    keys += [(f"cluster-{code}", code, True) for code, _label in table.groups]
    columns = []
    for key, label, numeric in keys:
        current = table.sort.removeprefix("-") == key
        descending = table.sort.startswith("-")
        direction = ("descending" if descending else "ascending") if current else ""
        first = f"-{key}" if numeric else key  # numbers start from the highest
        target = (key if descending else f"-{key}") if current else first
        columns.append(Column(str(label), _query(request, sort=target, format=""), direction, numeric))
    return {
        "columns": columns,
        "csv_href": _query(request, format="csv"),
        "xlsx_href": _query(request, format="xlsx"),
    }
