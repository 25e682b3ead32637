"""`/api/v1/frameworks`: the KLA indicator frameworks as JSON (public reference data, no login needed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from layak.common.api import ErrorOut

from .selectors import framework_version_get, framework_version_list

router = Router(tags=["frameworks"])


class VersionSummaryOut(Schema):
    slug: str
    name: str
    name_en: str
    year: int
    status: str
    indicator_count: int
    weights_provisional: bool


class SourceOut(Schema):
    ref: int | str
    title: str
    url: str


class BandOut(Schema):
    code: str
    name: str
    lower: Decimal
    upper: Decimal


class ElementOut(Schema):
    code: str
    label: str
    label_en: str
    type: str
    unit: str
    min_value: Decimal | None
    max_value: Decimal | None
    required: bool
    choices: list[dict[str, Any]]
    denominator: str
    evidence_hint: str
    help_text: str
    computed_key: str


class IndicatorOut(Schema):
    code: str
    number: int
    name: str
    name_en: str
    certainty: str
    description: str
    description_en: str
    max_points: Decimal
    responsible_agencies: list[str]
    sources: list[int | str]
    elements: list[ElementOut]
    rubric: list[dict[str, Any]]


class GroupOut(Schema):
    code: str
    name: str
    name_en: str
    max_points: Decimal
    indicators: list[IndicatorOut]


class VersionOut(Schema):
    slug: str
    name: str
    name_en: str
    year: int
    status: str
    description: str
    description_en: str
    legal_basis: str
    derived_from: str | None
    weights_provisional: bool
    weights_note: str
    max_total: Decimal
    sources: list[SourceOut]
    bands: list[BandOut]
    groups: list[GroupOut]


@router.get("", response=list[VersionSummaryOut], summary="List the framework versions")
def list_versions(request: HttpRequest):
    """Every published version (national admins also see drafts) with its indicator count."""
    return list(framework_version_list(request.user))


@router.get("/{slug}", response={200: VersionOut, 404: ErrorOut}, summary="One framework version in full")
def get_version(request: HttpRequest, slug: str):
    """A version with its sources, predicate bands, groups, indicators, data elements and rubrics."""
    try:
        version = framework_version_get(request.user, slug)
    except Http404:
        return Status(404, {"detail": _("No framework version %(slug)s.") % {"slug": slug}})
    return Status(200, _version_payload(version))


def _version_payload(version) -> dict[str, Any]:
    groups = [
        {
            "code": group.code,
            "name": group.name,
            "name_en": group.name_en,
            "max_points": group.max_points,
            "indicators": [
                {**_fields(indicator, IndicatorOut), "elements": list(indicator.elements.all())}
                for indicator in group.indicators.all()
            ],
        }
        for group in version.groups.all()
    ]
    payload = _fields(version, VersionOut, skip={"derived_from", "bands", "groups"})
    derived = version.derived_from.slug if version.derived_from_id else None
    return {**payload, "derived_from": derived, "bands": list(version.bands.all()), "groups": groups}


def _fields(obj, schema: type[Schema], skip: frozenset[str] | set[str] = frozenset({"elements"})) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in schema.model_fields if name not in skip}
