"""Business actions on the child-protection figures: record or correct a period (one by one or many at once),
confirm a flagged jump, record a child population figure.

Each action checks that the user may change the region's figures, runs in one transaction and writes one audit
event. A period's earlier figures are never overwritten without a trace: every version is kept with its reason.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.audit.services import audit_record
from layak.common.generations import bump_on_commit
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import can_edit_register

from .categories import catalogue_for_year
from .checks import check_values, detect_jumps, fill_unrecorded
from .choices import CorrectionReason, FlagStatus, Source
from .models import ChildPopulation, JumpFlag, Report, ReportVersion
from .publication import PROTECTION_GENERATION, forget_recent

MIN_YEAR, MAX_YEAR = 2010, 2100
Key = tuple[str, str, int, int]  # region code, topic, year, first month


@dataclass
class Entry:
    """The figures of one topic for one region and period, as entered (None: left empty), with where it came
    from (`where`: "row 12" of a sheet, or empty for the form; any object that reads as text, turned into text
    only when there is a problem to tell)."""

    region_code: str
    topic: str
    year: int
    month: int
    values: dict[str, int | None]
    months: int = 1
    where: object = ""
    problems: list[str] = field(default_factory=list)


class FiguresRejected(ValidationError):
    """Nothing was saved; `problems` says, per row or field, what is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(problems, code="figures")


def kabkota_code(region: Region) -> str:
    """The kab/kota a region's figures count under (itself, or the kab/kota of a kecamatan)."""
    return region.code if region.level == RegionLevel.KABKOTA else ".".join(region.code.split(".")[:2])


def can_edit_figures(user: Any, region: Region) -> bool:
    """The kab/kota's coordinator and national admins record its figures (and its kecamatan's)."""
    return region.level in (RegionLevel.KABKOTA, RegionLevel.KECAMATAN) and can_edit_register(
        user, kabkota_code(region)
    )


def _check_edit(user: Any, region: Region) -> None:
    if not can_edit_figures(user, region):
        raise PermissionDenied(
            _("Only the KLA coordinator of %(region)s can record its child-protection figures.")
            % {"region": region.name}
        )


def _period_problems(entry: Entry, today: datetime.date) -> list[str]:
    problems = []
    if not MIN_YEAR <= entry.year <= MAX_YEAR:
        problems.append(_("Enter a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    if entry.months == 1 and not 1 <= entry.month <= 12:
        problems.append(_("Enter a month from 1 to 12."))
    if entry.months == 3 and entry.month not in (1, 4, 7, 10):
        problems.append(_("A quarter starts in January, April, July or October."))
    if entry.months not in (1, 3):
        problems.append(_("Figures are recorded per month or per quarter."))
    if (entry.year, entry.month) > (today.year, today.month):
        problems.append(_("Record a period once it has begun; this one is in the future."))
    return problems


def _clean(entry: Entry, today: datetime.date) -> dict[str, int] | None:
    """The figures to store, or None after adding the entry's problems (with their numbers) to it."""
    entry.problems += _period_problems(entry, today)
    catalogue = catalogue_for_year(entry.year)
    topic = catalogue.topic(entry.topic)
    if topic is None:
        entry.problems.append(_("“%(topic)s” is not a topic of these figures.") % {"topic": entry.topic})
        return None
    if all(entry.values.get(m) is None for m in topic.measures):
        entry.problems.append(
            _("Enter at least the count of %(cell)s.") % {"cell": topic.cell(topic.measures[0]).label}
        )
        return None
    values = fill_unrecorded(topic, entry.values)
    entry.problems += [p.message for p in check_values(topic, values)]
    return None if entry.problems else values


def _overlaps(entries: Sequence[Entry], existing: dict[Key, Report]) -> Iterable[tuple[Entry, str]]:
    """Entries whose period overlaps a period of the other kind (a month inside a recorded quarter, or back)."""
    spans: dict[tuple[str, str, int], list[tuple[int, int]]] = defaultdict(list)
    for (code, topic, year, _month), report in existing.items():
        spans[(code, topic, year)].append((report.month, report.months))
    for e in entries:
        spans[(e.region_code, e.topic, e.year)].append((e.month, e.months))
    for e in entries:
        for month, length in spans[(e.region_code, e.topic, e.year)]:
            if length != e.months and max(month, e.month) < min(month + length, e.month + e.months):
                kind = _("quarter") if length == 3 else _("month")
                message = _("This period overlaps figures recorded per %(kind)s; record a year's periods one way.")
                yield e, message % {"kind": kind}
                break


def _period_label(e: Entry) -> str:
    return f"{e.year}-{e.month:02d}" if e.months == 1 else f"{e.year} Q{(e.month - 1) // 3 + 1}"


@transaction.atomic
def reports_save(
    *, user: Any, entries: Sequence[Entry], reason: str = "", source: str = Source.FORM, is_demo: bool = False
) -> dict[str, int]:
    """Records many periods at once, all or nothing: new periods are created; a period already recorded with
    other figures is corrected only with a `reason` (its old figures stay as a version). Raises FiguresRejected
    listing every problem with its row. Returns counts: created, corrected, unchanged."""
    codes = sorted({e.region_code for e in entries})
    regions = Region.objects.in_bulk(codes)
    problems: list[str] = []
    cleaned: list[tuple[Entry, dict[str, int]]] = []
    today = timezone.localdate()
    for e in entries:
        region = regions.get(e.region_code)
        if region is None or region.level not in (RegionLevel.KABKOTA, RegionLevel.KECAMATAN):
            e.problems.append(_("%(code)s is not the code of a kab/kota or kecamatan.") % {"code": e.region_code})
        elif not can_edit_figures(user, region):
            e.problems.append(_("You cannot record figures of %(region)s.") % {"region": region.name})
        values = _clean(e, today)
        if values is not None and not e.problems:
            cleaned.append((e, values))
    existing = _existing(entries)
    for e, message in _overlaps([entry for entry, _values in cleaned], existing):
        e.problems.append(message)
    seen: set[Key] = set()
    for e, _values in cleaned:
        key = (e.region_code, e.topic, e.year, e.month)
        if key in seen:
            e.problems.append(_("This period appears twice."))
        seen.add(key)
    problems = [f"{e.where}: {p}" if e.where else p for e in entries for p in e.problems]
    if problems:
        raise FiguresRejected(problems)
    changed = [(e, v) for e, v in cleaned if (r := existing.get(_key(e))) is not None and r.values != v]
    if changed and reason not in CorrectionReason.values:
        periods = ", ".join(f"{e.region_code} {_period_label(e)}" for e, _ in changed[:10])
        raise FiguresRejected(
            [
                _(
                    "%(n)s period(s) already have other figures (%(periods)s). Choose the reason for the correction "
                    "to replace them; their current figures will be kept as earlier versions."
                )
                % {"n": len(changed), "periods": periods}
            ]
        )
    return _write(user, cleaned, existing, reason, source, is_demo)


def _key(e: Entry) -> Key:
    return (e.region_code, e.topic, e.year, e.month)


def _existing(entries: Sequence[Entry]) -> dict[Key, Report]:
    out = {}
    for topic, year in sorted({(e.topic, e.year) for e in entries}):
        codes = {e.region_code for e in entries if e.topic == topic and e.year == year}
        for r in Report.objects.filter(topic=topic, year=year, region_id__in=codes):
            out[(r.region_id, r.topic, r.year, r.month)] = r
    return out


def _insert(model: Any, columns: list[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Inserts many rows at once: COPY on PostgreSQL (a national year in well under a second), bulk INSERTs
    elsewhere. JSON columns arrive as Python values."""
    if not rows:
        return
    json_columns = {f.column for f in model._meta.fields if f.get_internal_type() == "JSONField"}
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(v) if c in json_columns else v for c, v in zip(columns, row, strict=True)])
        return
    objects = [model(**{_attname(model, c): v for c, v in zip(columns, row, strict=True)}) for row in rows]
    model.objects.bulk_create(objects, batch_size=2000)


def _attname(model: Any, column: str) -> str:
    return str(next(f.attname for f in model._meta.fields if f.column == column))


def _report_ids(keys: set[Key]) -> dict[Key, int]:
    ids = {}
    for topic, year in sorted({(k[1], k[2]) for k in keys}):
        codes = {k[0] for k in keys if k[1] == topic and k[2] == year}
        rows = Report.objects.filter(topic=topic, year=year, region_id__in=codes).values_list(
            "id", "region_id", "month"
        )
        ids.update({(code, topic, year, month): pk for pk, code, month in rows if (code, topic, year, month) in keys})
    return ids


def _first_versions_copied(keys: set[Key], source: str, actor_id: int | None, now: datetime.datetime) -> None:
    """The first version of each newly recorded period, copied inside PostgreSQL from the reports just written
    (their figures are not sent twice). `keys` are periods created by this transaction (the period is unique),
    so the join picks exactly them."""
    q = connection.ops.quote_name
    report, version = q(Report._meta.db_table), q(ReportVersion._meta.db_table)
    ordered = sorted(keys)
    sql = (
        f"INSERT INTO {version} (report_id, number, {q('values')}, reason, source, created_by_id, created_at) "
        f"SELECT r.id, 1, r.{q('values')}, '', %s, %s, %s FROM {report} r "
        "JOIN unnest(%s::varchar[], %s::varchar[], %s::int[], %s::int[]) AS k(region_id, topic, year, month) "
        "ON r.region_id = k.region_id AND r.topic = k.topic AND r.year = k.year AND r.month = k.month"
    )
    columns = [[k[i] for k in ordered] for i in range(4)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [source, actor_id, now, *columns])
        if cursor.rowcount != len(keys):
            raise RuntimeError(f"{cursor.rowcount} first versions written for {len(keys)} new periods")


def _write(
    user: Any,
    cleaned: list[tuple[Entry, dict[str, int]]],
    existing: dict[Key, Report],
    reason: str,
    source: str,
    is_demo: bool,
) -> dict[str, int]:
    now = timezone.now()
    actor = user if getattr(user, "is_authenticated", False) else None
    actor_id = actor.pk if actor else None
    new, corrected, unchanged = [], [], 0
    for e, values in cleaned:
        report = existing.get(_key(e))
        if report is None:
            version = catalogue_for_year(e.year).version
            new.append(
                (e.region_code, e.topic, e.year, e.month, e.months, values, version, 1, is_demo, actor_id, now, now)
            )
        elif report.values != values:
            report.values, report.version, report.updated_at, report.updated_by = values, report.version + 1, now, actor
            corrected.append(report)
        else:
            unchanged += 1
    columns = ["region_id", "topic", "year", "month", "months", "values", "catalogue", "version", "is_demo",
               "updated_by_id", "created_at", "updated_at"]  # fmt: skip
    _insert(Report, columns, new)
    Report.objects.bulk_update(corrected, ["values", "version", "updated_at", "updated_by"], batch_size=2000)
    keys = {(r[0], r[1], r[2], r[3]) for r in new}
    if connection.vendor == "postgresql" and new:
        _first_versions_copied(keys, source, actor_id, now)
        versions = []
    else:
        ids = _report_ids(keys)
        versions = [(ids[(r[0], r[1], r[2], r[3])], 1, r[5], "", source, actor_id, now) for r in new]
    versions += [(r.pk, r.version, r.values, reason, source, actor_id, now) for r in corrected]
    _insert(
        ReportVersion, ["report_id", "number", "values", "reason", "source", "created_by_id", "created_at"], versions
    )
    touched = [(r[0], r[1], r[2]) for r in new] + [(r.region_id, r.topic, r.year) for r in corrected]
    flags_refresh(series={(code, topic) for code, topic, _y in touched}, years={y for _c, _t, y in touched})
    counts = {"created": len(new), "corrected": len(corrected), "unchanged": unchanged}
    forget_recent()
    bump_on_commit(PROTECTION_GENERATION)  # bulk writes send no model signal
    if touched:
        first = min(keys) if keys else None
        target = (
            corrected[0]
            if corrected or first is None
            else Report.objects.get(region_id=first[0], topic=first[1], year=first[2], month=first[3])
        )
        region_code = touched[0][0] if len({t[0] for t in touched}) == 1 else ""
        audit_record(
            actor=user,
            verb="protection.reports_corrected" if corrected else "protection.reports_recorded",
            target=target,
            region_code=region_code,
            summary=_("%(created)s period(s) recorded, %(corrected)s corrected") % counts,
            after={**counts, "reason": reason, "source": source},
        )
    return counts


def report_save(
    *,
    user: Any,
    region: Region,
    topic: str,
    year: int,
    month: int,
    values: dict[str, int | None],
    months: int = 1,
    reason: str = "",
    source: str = Source.FORM,
) -> Report:
    """Records (or, with a reason, corrects) the figures of one period from the monthly form."""  # fmt: skip
    _check_edit(user, region)
    reports_save(
        user=user, entries=[Entry(region.code, topic, year, month, values, months)], reason=reason, source=source
    )
    return Report.objects.get(region=region, topic=topic, year=year, month=month)


# --- Jumps ---------------------------------------------------------------------------------------------------


def _jump_settings() -> dict[str, Any]:
    return {
        "factor": settings.LAYAK_PROTECTION_JUMP_FACTOR,
        "window": settings.LAYAK_PROTECTION_JUMP_WINDOW,
        "min_increase": settings.LAYAK_PROTECTION_JUMP_MIN_INCREASE,
    }


def flags_refresh(*, series: set[tuple[str, str]], years: set[int]) -> None:
    """Re-flags jumps in the given region x topic series for these years (and the year after, whose trailing
    windows they feed). Open flags that are no longer jumps go; confirmed ones stay while the count is the same."""
    if not series or not years:
        return
    first, last = min(years) - 1, max(years) + 1
    regions = sorted({code for code, _ in series})
    topics = sorted({topic for _, topic in series})
    reports = (
        Report.objects.filter(region_id__in=regions, topic__in=topics, year__gte=first, year__lte=last)
        .order_by("region_id", "topic", "year", "month")
        .values_list("id", "region_id", "topic", "year", "values")
    )
    grouped: dict[tuple[str, str], list[tuple[int, int, dict[str, int]]]] = defaultdict(list)
    for pk, code, topic, year, values in reports.iterator(chunk_size=5000):
        if (code, topic) in series:
            grouped[(code, topic)].append((pk, year, values))
    wanted: dict[tuple[int, str], tuple[int, float]] = {}
    options = _jump_settings()
    for rows in grouped.values():
        cells = sorted({k for _pk, _y, values in rows for k in values})
        for cell in cells:
            for jump in detect_jumps([values.get(cell) for _pk, _y, values in rows], **options):
                pk, year, _values = rows[jump.index]
                if min(years) <= year <= max(years) + 1:
                    wanted[(pk, cell)] = (jump.value, jump.trailing_mean)
    current = {
        (f.report_id, f.cell): f
        for f in JumpFlag.objects.select_related("report").filter(
            report__region_id__in=regions,
            report__topic__in=topics,
            report__year__gte=min(years),
            report__year__lte=max(years) + 1,
        )
        if (f.report.region_id, f.report.topic) in series
    }
    stale = [f.pk for k, f in current.items() if k not in wanted or wanted[k][0] != f.value]
    JumpFlag.objects.filter(pk__in=stale).delete()
    keep = {k for k, f in current.items() if f.pk not in stale}
    JumpFlag.objects.bulk_create(
        [
            JumpFlag(report_id=pk, cell=cell, value=value, trailing_mean=Decimal(str(mean)))
            for (pk, cell), (value, mean) in sorted(wanted.items())
            if (pk, cell) not in keep
        ],
        batch_size=2000,
    )


@transaction.atomic
def flag_confirm(*, user: Any, flag: JumpFlag) -> JumpFlag:
    """The coordinator checked a flagged jump and says the figure is right; the flag stays, confirmed."""
    region = flag.report.region
    _check_edit(user, region)
    flag.status, flag.confirmed_by, flag.confirmed_at = FlagStatus.CONFIRMED, user, timezone.now()
    flag.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=user,
        verb="protection.jump_confirmed",
        target=flag.report,
        region_code=kabkota_code(region),
        summary=f"{flag.report} {flag.cell} = {flag.value}",
        after={"cell": flag.cell, "value": flag.value},
    )
    return flag


# --- Child population ----------------------------------------------------------------------------------------


@transaction.atomic
def population_save(
    *, user: Any, region: Region, year: int, children: int, source: str, source_url: str = "", is_demo: bool = False
) -> ChildPopulation:
    """Records the number of children of a kab/kota in a year with its source (the rates' denominator)."""
    _check_edit(user, region)
    errors = {}
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("Enter a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
    if children <= 0:
        errors["children"] = _("Enter the number of children, more than zero.")
    if not source.strip():
        errors["source"] = _("Say where the figure comes from (for example BPS projection 2025).")
    if errors:
        raise ValidationError(errors)
    found = ChildPopulation.objects.filter(region=region, year=year).values("children", "source").first()
    before = dict(found) if found else None
    population, _created = ChildPopulation.objects.update_or_create(
        region=region,
        year=year,
        defaults={
            "children": children, "source": source.strip(), "source_url": source_url.strip(),
            "is_demo": is_demo, "updated_by": user,
        },
    )  # fmt: skip
    audit_record(
        actor=user,
        verb="protection.population_saved",
        target=population,
        region_code=kabkota_code(region),
        summary=str(population),
        before=before,
        after={"children": children, "source": source.strip()},
    )
    return population
