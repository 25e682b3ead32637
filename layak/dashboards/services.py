"""Writes of the dashboards app: loading the published history and a province's own target."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from layak.accounts.choices import Role
from layak.accounts.models import User
from layak.accounts.selectors import user_has_role, user_is_national_admin
from layak.audit.services import audit_event, audit_record
from layak.frameworks.models import PredicateBand
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

from .cache import dashboards_invalidate
from .models import ProvinceTarget, PublishedNationalCount, PublishedRegionResult

NATIONAL_FILE = "kla-national-results.yaml"
REGION_FILE = "kla-region-results.yaml"
MIN_TARGET_YEAR, MAX_TARGET_YEAR = 2020, 2045
COUNT_FIELDS = ("total", "utama", "nindya", "madya", "pratama", "provila")


@dataclass(frozen=True)
class HistoryLoad:
    """What `history_load` did: rows now in each table, rows written (new or changed) and rows removed."""

    national: int
    regions: int
    written: int
    removed: int


def history_dir() -> Path:
    return Path(getattr(settings, "LAYAK_HISTORY_DIR", settings.LAYAK_DATA_DIR / "history"))


def _read(name: str) -> dict[str, Any]:
    path = history_dir() / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != 1:
        raise ValidationError(_("%(file)s is not a history file of format 1.") % {"file": path})
    return data


def _sources(refs: list[int], table: dict[int, dict[str, str]], where: str) -> list[dict[str, Any]]:
    missing = [ref for ref in refs if ref not in table]
    if not refs or missing:
        raise ValidationError(_("%(row)s names no source or an unknown one: %(refs)s.") % {"row": where, "refs": refs})
    return [{"ref": ref, **table[ref]} for ref in refs]


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> bool:
    """Creates or updates one row; True when something was written."""
    row = model.objects.filter(**lookup).first()
    if row is not None and all(getattr(row, k) == v for k, v in values.items()):
        return False
    model.objects.update_or_create(**lookup, defaults=values)
    return True


def _load_national(data: dict[str, Any]) -> tuple[int, int]:
    written, years = 0, []
    for row in data["years"]:
        years.append(row["year"])
        values = {field: row[field] for field in COUNT_FIELDS}
        values |= {
            k: row.get(k) or d for k, d in (("provila_provinces", []), ("ceremony", ""), ("note", ""), ("note_id", ""))
        }
        values |= {"confidence": row["confidence"], "sources": _sources(row["sources"], data["sources"], row["year"])}
        written += _upsert(PublishedNationalCount, {"year": row["year"]}, values)
    removed = PublishedNationalCount.objects.exclude(year__in=years).delete()[0]
    return written, removed


def _load_regions(data: dict[str, Any]) -> tuple[int, int]:
    codes = {row["region"] for row in data["results"]}
    known = set(Region.objects.filter(code__in=codes, level=RegionLevel.KABKOTA).values_list("code", flat=True))
    if codes - known:
        raise ValidationError(
            _("History names kab/kota that are not loaded: %(codes)s. Run `python manage.py load_regions` first.")
            % {"codes": ", ".join(sorted(codes - known))}
        )
    written, keep = 0, []
    for row in data["results"]:
        where = f"{row['region']} {row['year']}"
        score = None if row["score"] is None else Decimal(str(row["score"]))
        values = {"band_code": row["predicate"], "score": score, "confidence": row["confidence"]}
        values |= {"note": row["note"], "note_id": row.get("note_id", "")}
        values["sources"] = _sources(row["sources"], data["sources"], where)
        written += _upsert(PublishedRegionResult, {"region_id": row["region"], "year": row["year"]}, values)
        keep.append((row["region"], row["year"]))
    keep_set = set(keep)
    stale = [r.pk for r in PublishedRegionResult.objects.all() if (r.region_id, r.year) not in keep_set]
    removed = PublishedRegionResult.objects.filter(pk__in=stale).delete()[0]
    return written, removed


@transaction.atomic
def history_load() -> HistoryLoad:
    """Loads data/history/*.yaml into the published-history tables; a re-run writes only what changed.

    Rows no longer in the files are removed. Each row must name at least one known source. Not a user action,
    so it is audited as a system event only when something changed.
    """
    national, regions = _read(NATIONAL_FILE), _read(REGION_FILE)
    written_n, removed_n = _load_national(national)
    written_r, removed_r = _load_regions(regions)
    result = HistoryLoad(
        PublishedNationalCount.objects.count(),
        PublishedRegionResult.objects.count(),
        written_n + written_r,
        removed_n + removed_r,
    )
    if result.written or result.removed:
        anchor = PublishedNationalCount.objects.order_by("year").first() or PublishedRegionResult.objects.first()
        if anchor is not None:
            audit_record(actor=None, verb="history.loaded", target=anchor, summary=str(result))
        dashboards_invalidate()
    return result


def can_set_province_target(user: User, province: Region) -> bool:
    """The province's coordinator or a national admin may set the province's target."""
    return user_is_national_admin(user) or user_has_role(user, [Role.PROVINCE_COORDINATOR], province.code)


@transaction.atomic
def province_target_set(*, user: User, province: Region, band_code: str, year: int) -> ProvinceTarget:
    """Sets (or changes) the province's target: every kab/kota at `band_code` or above by `year`. Audited."""
    if province.level != RegionLevel.PROVINCE:
        raise ValidationError(_("A target is set for a province."))
    if not can_set_province_target(user, province):
        raise PermissionDenied(_("Only the province's coordinator or a national admin can set its target."))
    if not PredicateBand.objects.filter(code=band_code).exists():
        raise ValidationError(_("Choose one of the predicates (Pratama, Madya, Nindya, Utama, KLA)."))
    if not MIN_TARGET_YEAR <= year <= MAX_TARGET_YEAR:
        raise ValidationError(
            _("Choose a year between %(low)s and %(high)s.") % {"low": MIN_TARGET_YEAR, "high": MAX_TARGET_YEAR}
        )
    target = ProvinceTarget.objects.filter(province=province).first()
    before = {"band_code": target.band_code, "year": target.year} if target else None
    target, _created = ProvinceTarget.objects.update_or_create(
        province=province, defaults={"band_code": band_code, "year": year, "set_by": user}
    )
    audit_record(
        actor=user,
        verb="province_target.set",
        target=target,
        region_code=province.code,
        summary=f"{band_code} by {year}",
        before=before,
        after={"band_code": band_code, "year": year},
    )
    return target


def export_record(*, user: Any, table: str, filename: str, region_code: str = "", ip: str = "") -> None:
    """Records a download of a dashboard table (CSV or Excel), by anyone: public exports are audited."""
    audit_event(
        actor=user,
        verb="dashboards.exported",
        target_type="dashboards.table",
        target_id=table,
        region_code=region_code,
        summary=filename,
        after={"ip": ip} if ip else None,
    )
