"""Writes to the frameworks app: loading the shipped files, cloning a version, editing provisional weights."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _

from layak.accounts.models import User
from layak.accounts.selectors import user_is_national_admin
from layak.audit.services import audit_record
from layak.common.generations import bump_on_commit
from layak.scoring.engine import MAX_SCORE

from .choices import VersionStatus
from .models import DataElement, FrameworkVersion, Indicator, IndicatorGroup, PredicateBand, Question
from .selectors import FRAMEWORKS_GENERATION
from .validation import framework_spec_problems, question_maxima

LOADED = "loaded"
UNCHANGED = "unchanged"
REFUSED = "refused"


@dataclass(frozen=True)
class FrameworkLoadResult:
    """What happened to one framework file: loaded, unchanged or refused (with the reasons)."""

    file: str
    outcome: str
    slug: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)


class FrameworkFileError(Exception):
    """A framework file that cannot be loaded; `problems` name the file, the key path or line, and the problem."""

    def __init__(self, file: str, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.file = file
        self.problems = tuple(problems)


# --- Loading -------------------------------------------------------------------------------------------------


def _parse(path: Path, raw: bytes) -> dict[str, Any]:
    """The file's data, or FrameworkFileError naming the YAML line of a syntax error or every spec problem."""
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise FrameworkFileError(path.name, [_("%(file)s: not UTF-8 text (%(error)s)") % _args(path, error)]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = (
            _("line %(line)d, column %(column)d") % {"line": mark.line + 1, "column": mark.column + 1} if mark else ""
        )
        problem = getattr(error, "problem", None) or str(error)
        message = _("%(file)s: %(where)s: YAML syntax error: %(problem)s")
        raise FrameworkFileError(
            path.name, [message % {"file": path.name, "where": where, "problem": problem}]
        ) from error
    problems = framework_spec_problems(data)
    if problems:
        raise FrameworkFileError(path.name, [f"{path.name}: {problem}" for problem in problems])
    return cast(dict[str, Any], data)


def _args(path: Path, error: Exception) -> dict[str, str]:
    return {"file": path.name, "error": str(error)}


def framework_load_file(path: Path | str) -> FrameworkLoadResult:
    """Loads or updates one framework file, all of it or nothing.

    The whole file is validated before the database is touched; an unchanged file (same SHA-256 as last
    loaded) is skipped; a version frozen by a cycle is never changed. Raises FrameworkFileError on refusal.
    """
    path = Path(path)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    data = _parse(path, raw)
    existing = FrameworkVersion.objects.filter(slug=data["slug"]).first()
    if existing and existing.source_sha256 == digest:
        return FrameworkLoadResult(path.name, UNCHANGED, existing.slug)
    if existing and existing.is_frozen:
        message = _("%(file)s: version %(slug)s is frozen since %(date)s and cannot change; clone it instead")
        args = {
            "file": path.name,
            "slug": existing.slug,
            "date": existing.frozen_at.date().isoformat() if existing.frozen_at else "",
        }
        raise FrameworkFileError(path.name, [message % args])
    try:
        with transaction.atomic():
            version = _upsert_version(data, path.name, digest)
            summary = f"{path.name} ({digest[:12]})"
            audit_record(actor=None, verb="framework_version.loaded", target=version, summary=summary)
            bump_on_commit(FRAMEWORKS_GENERATION)  # bulk writes and queryset updates send no model signals
    except ProtectedError as error:
        message = _("%(file)s: version %(slug)s is in use and the file removes rows it needs (%(rows)s); clone it")
        rows = ", ".join(sorted({str(obj) for obj in error.protected_objects})[:5])
        raise FrameworkFileError(
            path.name, [message % {"file": path.name, "slug": data["slug"], "rows": rows}]
        ) from error
    return FrameworkLoadResult(path.name, LOADED, version.slug)


def frameworks_load_all(directory: Path | str | None = None) -> list[FrameworkLoadResult]:
    """Loads every `*.yaml` in the directory (default: settings.LAYAK_FRAMEWORKS_DIR), one result per file."""
    results = []
    for path in sorted(Path(directory or settings.LAYAK_FRAMEWORKS_DIR).glob("*.yaml")):
        try:
            results.append(framework_load_file(path))
        except FrameworkFileError as error:
            results.append(FrameworkLoadResult(path.name, REFUSED, problems=error.problems))
    return results


def _upsert_version(data: dict[str, Any], file_name: str, digest: str) -> FrameworkVersion:
    version, _created = FrameworkVersion.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "name_en": data.get("name_en", ""),
            "year": data["year"],
            "description": data.get("description", ""),
            "description_en": data.get("description_en", ""),
            "legal_basis": data.get("legal_basis", ""),
            "sources": data["sources"],
            "weights_provisional": data["weights"]["provisional"],
            "weights_note": data["weights"]["note"],
            "status": data["status"],
            "source_file": file_name,
            "source_sha256": digest,
            "certainty": data.get("certainty", ""),
            "certainty_note": data.get("certainty_note", ""),
            "sums_rule": data.get("sums_rule", ""),
            "default_for_new_cycles": data.get("default_for_new_cycles", False),
        },
    )
    if version.default_for_new_cycles:
        FrameworkVersion.objects.exclude(pk=version.pk).update(default_for_new_cycles=False)
    # The versions this file supersedes stay loadable for past cycles; they are only labelled.
    FrameworkVersion.objects.filter(superseded_by=version).exclude(slug__in=data.get("supersedes", [])).update(
        superseded_by=None
    )
    FrameworkVersion.objects.filter(slug__in=data.get("supersedes", [])).update(superseded_by=version)
    _sync(version.bands, "code", [_band_fields(order, band) for order, band in enumerate(data["bands"])])
    groups = _sync(version.groups, "code", [_group_fields(order, group) for order, group in enumerate(data["groups"])])
    indicator_rows = []
    order = 0
    for group_data in data["groups"]:
        for indicator_data in group_data["indicators"]:
            indicator_rows.append(_indicator_fields(order, indicator_data, groups[group_data["code"]]))
            order += 1
    indicators = _sync(version.indicators, "code", indicator_rows)
    for group_data in data["groups"]:
        for indicator_data in group_data["indicators"]:
            indicator = indicators[indicator_data["code"]]
            if "questions" in indicator_data:
                maxima = question_maxima(indicator_data)
                rows = [
                    _question_fields(n, question, maxima[n]) for n, question in enumerate(indicator_data["questions"])
                ]
                _sync(indicator.questions, "code", rows)
                _sync(indicator.elements, "code", [])
            else:
                rows = [_element_fields(n, element) for n, element in enumerate(indicator_data["elements"])]
                _sync(indicator.elements, "code", rows)
                _sync(indicator.questions, "code", [])
    return version


def _question_fields(order: int, question: dict[str, Any], max_points: Decimal) -> dict[str, Any]:
    return {
        "code": question["code"],
        "text": question["text"],
        "max_points": max_points,
        "instrument_max_points": Decimal(str(question["max"])),
        "answer_type": question["type"],
        "data_sources": list(question.get("data_sources", [])),
        "for_kecamatan": question.get("kecamatan", False),
        "for_desa": question.get("desa", False),
        "years_asked": question.get("years", 1),
        "asks_matriks": question.get("matriks", False),
        "asks_evidence": question.get("evidence", False),
        "lower_is_better": question.get("lower_is_better", False),
        "computed_key": question.get("computed", ""),
        "order": order,
    }


def _sync(manager: Any, key: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Makes the related rows equal to `rows` (matched on `key`): updates, creates, deletes the rest."""
    existing = {getattr(obj, key): obj for obj in manager.all()}
    kept = {}
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            obj = manager.create(**row)
        else:
            for name, value in row.items():
                setattr(obj, name, value)
            obj.save()
        kept[row[key]] = obj
    manager.exclude(**{f"{key}__in": list(kept)}).delete()
    return kept


def _band_fields(order: int, band: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": band["code"],
        "name": band["name"],
        "name_en": band.get("name_en", ""),
        "lower": Decimal(str(band["lower"])),
        "upper": Decimal(str(band["upper"])),
        "order": order,
    }


def _group_fields(order: int, group: dict[str, Any]) -> dict[str, Any]:
    stated = group.get("stated_max")
    return {
        "code": group["code"],
        "name": group["name"],
        "name_en": group.get("name_en", ""),
        "order": order,
        "stated_max_points": Decimal(str(stated)) if stated is not None else None,
    }


def _indicator_fields(order: int, indicator: dict[str, Any], group: IndicatorGroup) -> dict[str, Any]:
    return {
        "code": indicator["code"],
        "group": group,
        "number": indicator["number"],
        "name": indicator["name"],
        "name_en": indicator.get("name_en", ""),
        "description": indicator.get("description", ""),
        "description_en": indicator.get("description_en", ""),
        "certainty": indicator["certainty"],
        "max_points": Decimal(str(indicator["max_points"])),
        "rubric": _json_safe(indicator.get("rubric", [])),
        "responsible_agencies": indicator.get("responsible_agencies", []),
        "sources": indicator["sources"],
        "order": order,
    }


def _element_fields(order: int, element: dict[str, Any]) -> dict[str, Any]:
    def bound(key: str) -> Decimal | None:
        return Decimal(str(element[key])) if key in element else None

    return {
        "code": element["code"],
        "label": element["label"],
        "label_en": element.get("label_en", ""),
        "type": element["type"],
        "unit": element.get("unit", ""),
        "min_value": bound("min"),
        "max_value": bound("max"),
        "required": element.get("required", False),
        "choices": element.get("choices", []),
        "denominator": element.get("denominator", ""),
        "evidence_hint": element.get("evidence", ""),
        "help_text": element.get("help", ""),
        "computed_key": element.get("computed", ""),
        "order": order,
    }


def _json_safe(value: Any) -> Any:
    """Rubric numbers are stored as strings so that JSON round-trips keep them exact (0.1 stays 0.1)."""
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if isinstance(value, float):
        return str(Decimal(str(value)))
    return value


# --- National admin actions ----------------------------------------------------------------------------------


def _require_national_admin(user: User) -> None:
    if not user_is_national_admin(user):
        raise PermissionDenied(_("Only a national admin (KemenPPPA) may change indicator frameworks."))


@transaction.atomic
def framework_version_clone(
    *, user: User, source: FrameworkVersion, slug: str, name: str, year: int
) -> FrameworkVersion:
    """Copies a version with its groups, indicators, data elements and bands into a new draft version.

    Used for a new year's guidance: the clone can be edited while the original stays as it was.
    """
    _require_national_admin(user)
    if FrameworkVersion.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("A framework version with the slug %(slug)s already exists.") % {"slug": slug}}
        )
    clone = FrameworkVersion.objects.create(
        slug=slug,
        name=name,
        name_en="",
        year=year,
        description=source.description,
        description_en=source.description_en,
        legal_basis=source.legal_basis,
        sources=source.sources,
        weights_provisional=source.weights_provisional,
        weights_note=source.weights_note,
        status=VersionStatus.DRAFT,
        derived_from=source,
        certainty=source.certainty,
        certainty_note=source.certainty_note,
        sums_rule=source.sums_rule,
    )
    _copy_children(source, clone)
    audit_record(
        actor=user,
        verb="framework_version.cloned",
        target=clone,
        summary=f"{source.slug} -> {clone.slug}",
        after={"slug": clone.slug, "derived_from": source.slug, "year": year},
    )
    return clone


def _copy_children(source: FrameworkVersion, clone: FrameworkVersion) -> None:
    PredicateBand.objects.bulk_create(
        PredicateBand(version=clone, **_copy_fields(band, "code", "name", "name_en", "lower", "upper", "order"))
        for band in source.bands.all()
    )
    groups = {}
    for group in source.groups.all():
        groups[group.pk] = IndicatorGroup.objects.create(
            version=clone, **_copy_fields(group, "code", "name", "name_en", "order", "stated_max_points")
        )
    indicator_fields: tuple[str, ...] = ("code", "number", "name", "name_en", "certainty", "description")
    indicator_fields += ("description_en", "max_points", "rubric", "responsible_agencies", "sources", "order")
    element_fields: tuple[str, ...] = ("code", "label", "label_en", "type", "unit", "min_value", "max_value")
    element_fields += ("required", "choices", "denominator", "evidence_hint", "help_text", "computed_key", "order")
    question_fields: tuple[str, ...] = ("code", "text", "max_points", "instrument_max_points", "answer_type")
    question_fields += ("data_sources", "for_kecamatan", "for_desa", "years_asked", "asks_matriks", "asks_evidence")
    question_fields += ("lower_is_better", "computed_key", "order")
    elements = []
    questions = []
    for indicator in source.indicators.prefetch_related("elements", "questions"):
        copy = Indicator.objects.create(
            version=clone, group=groups[indicator.group_id], **_copy_fields(indicator, *indicator_fields)
        )
        elements += [DataElement(indicator=copy, **_copy_fields(e, *element_fields)) for e in indicator.elements.all()]
        questions += [Question(indicator=copy, **_copy_fields(q, *question_fields)) for q in indicator.questions.all()]
    DataElement.objects.bulk_create(elements)
    Question.objects.bulk_create(questions)
    bump_on_commit(FRAMEWORKS_GENERATION)


def _copy_fields(obj: Model, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


@transaction.atomic
def indicator_weights_update(
    *,
    user: User,
    version: FrameworkVersion,
    weights: dict[str, Decimal],
    provisional: bool = True,
    note: str | None = None,
) -> FrameworkVersion:
    """Sets every indicator's maximum points of a version; they must sum to exactly 1000.

    Weights stay marked provisional unless the admin says otherwise and explains why in `note` (for example
    the ministry published its official table). A frozen version cannot change: clone it.
    """
    _require_national_admin(user)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise ValidationError(
            _("Version %(slug)s is frozen and its weights cannot change; clone it.") % {"slug": version.slug}
        )
    if version.is_question_level:
        raise ValidationError(
            _("The maxima of %(slug)s are the instrument's, question by question; change them in its data file.")
            % {"slug": version.slug}
        )
    indicators = list(version.indicators.all())
    cleaned = _clean_weights(weights, {indicator.code for indicator in indicators})
    if not provisional and not (note or "").strip():
        raise ValidationError(
            {"note": _("Explain why the weights are no longer provisional (for example the source).")}
        )
    before = _weights_snapshot(version, indicators)
    for indicator in indicators:
        indicator.max_points = cleaned[indicator.code]
    Indicator.objects.bulk_update(indicators, ["max_points"])
    bump_on_commit(FRAMEWORKS_GENERATION)
    version.weights_provisional = provisional
    if note is not None and note.strip():
        version.weights_note = note.strip()
    version.save(update_fields=["weights_provisional", "weights_note", "updated_at"])
    audit_record(
        actor=user,
        verb="framework_version.weights_updated",
        target=version,
        summary=version.slug,
        before=before,
        after=_weights_snapshot(version, indicators),
    )
    return version


def _clean_weights(weights: dict[str, Any], codes: set[str]) -> dict[str, Decimal]:
    missing, unknown = sorted(codes - weights.keys()), sorted(weights.keys() - codes)
    if missing or unknown:
        message = _("Give a maximum for every indicator of the version. Missing: %(missing)s. Unknown: %(unknown)s.")
        raise ValidationError(message % {"missing": ", ".join(missing) or "-", "unknown": ", ".join(unknown) or "-"})
    cleaned = {}
    for code, value in weights.items():
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal(-1)
        if not number.is_finite() or number < 0 or number != number.quantize(Decimal("0.01")):
            raise ValidationError(
                _("The maximum of %(code)s must be a number from 0 with at most 2 decimals.") % {"code": code}
            )
        cleaned[code] = number
    total = sum(cleaned.values(), Decimal(0))
    if total != MAX_SCORE:
        message = _("The maxima must sum to exactly %(max)s; they sum to %(total)s.")
        raise ValidationError(message % {"max": MAX_SCORE, "total": total})
    return cleaned


def _weights_snapshot(version: FrameworkVersion, indicators: list[Indicator]) -> dict[str, Any]:
    return {
        "provisional": version.weights_provisional,
        "note": version.weights_note,
        "max_points": {indicator.code: str(indicator.max_points) for indicator in indicators},
    }
