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
    question_count: int
    weights_provisional: bool
    certainty: str
    default_for_new_cycles: bool
    superseded_by: str | None


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


class QuestionOut(Schema):
    code: str
    text: str
    max_points: Decimal
    instrument_max_points: Decimal
    answer_type: str
    data_sources: list[str]
    for_kecamatan: bool
    for_desa: bool
    years_asked: int
    asks_matriks: bool
    asks_evidence: bool
    lower_is_better: bool
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
    questions: list[QuestionOut]


class GroupOut(Schema):
    code: str
    name: str
    name_en: str
    max_points: Decimal
    stated_max_points: Decimal | None
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
    certainty: str
    certainty_note: str
    sums_rule: str
    default_for_new_cycles: bool
    superseded_by: str | None
    question_count: int
    max_total: Decimal
    sources: list[SourceOut]
    bands: list[BandOut]
    groups: list[GroupOut]


@router.get("", response=list[VersionSummaryOut], summary="List the framework versions")
def list_versions(request: HttpRequest):
    """Every published version (national admins also see drafts) with its indicator and question counts; a
    version superseded by a newer instrument (kla-2021 by kla-2024) names it in `superseded_by`."""
    return [
        {
            **{name: getattr(version, name) for name in VersionSummaryOut.model_fields if name != "superseded_by"},
            "question_count": version.question_count or 0,
            "superseded_by": version.superseded_by.slug if version.superseded_by_id else None,
        }
        for version in framework_version_list(request.user)
    ]


@router.get("/{slug}", response={200: VersionOut, 404: ErrorOut}, summary="One framework version in full")
def get_version(request: HttpRequest, slug: str):
    """A version with its sources, predicate bands, groups, indicators, and either the data elements and rubrics
    (kla-2011, kla-2021) or the questions (kla-2024: 274, maxima summing to 1000, certainty "likely")."""
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
            "stated_max_points": group.stated_max_points,
            "indicators": [
                {
                    **_fields(indicator, IndicatorOut, skip={"elements", "questions"}),
                    "elements": list(indicator.elements.all()),
                    "questions": list(indicator.questions.all()),
                }
                for indicator in group.indicators.all()
            ],
        }
        for group in version.groups.all()
    ]
    payload = _fields(version, VersionOut, skip={"derived_from", "bands", "groups", "superseded_by"})
    derived = version.derived_from.slug if version.derived_from_id else None
    superseded = version.superseded_by.slug if version.superseded_by_id else None
    return {
        **payload,
        "derived_from": derived,
        "superseded_by": superseded,
        "bands": list(version.bands.all()),
        "groups": groups,
    }


def _fields(obj, schema: type[Schema], skip: frozenset[str] | set[str] = frozenset({"elements"})) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in schema.model_fields if name not in skip}
