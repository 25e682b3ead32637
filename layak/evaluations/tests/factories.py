"""A small typed framework, an open cycle and an assessment of Jakarta Pusat (31.71) for the tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from layak.evaluations.choices import Stage
from layak.evaluations.models import Assessment, Cycle
from layak.frameworks.models import DataElement, FrameworkVersion, Indicator, IndicatorGroup, PredicateBand, Question
from layak.regions.tests.factories import make_region

BANDS = [("pratama", 500, 600), ("madya", 601, 700), ("nindya", 701, 800), ("utama", 801, 900), ("kla", 901, 1000)]

# code, group, max points, elements (code, type, extra), rubric
SMALL = [
    (
        "K1",
        "K",
        400,
        [
            ("perda_kla", "yes_no", {"required": True, "label": "Ada Perda KLA"}),
            ("policy_count", "count", {"unit": "kebijakan", "min_value": 0, "max_value": 500}),
            ("policy_docs", "document", {"evidence_hint": "Salinan Perda"}),
        ],
        [
            {"element": "perda_kla", "share": 0.5, "method": "yes_no"},
            {"element": "policy_count", "share": 0.3, "method": "bands_up", "bands": [[1, 0.5], [3, 1]]},
            {"element": "policy_docs", "share": 0.2, "method": "present"},
        ],
    ),
    (
        "I1",
        "I",
        300,
        [
            ("children_total", "count", {"required": True, "unit": "anak"}),
            ("children_with_akta", "count", {"required": True, "unit": "anak", "denominator": "children_total"}),
            ("akta_doc", "document", {}),
        ],
        [
            {
                "element": "children_with_akta",
                "share": 0.8,
                "method": "ratio_up",
                "denominator": "children_total",
                "bands": [[50, 0.5], [90, 1]],
            },
            {"element": "akta_doc", "share": 0.2, "method": "present"},
        ],
    ),
    (
        "I2",
        "I",
        300,
        [
            ("immunisation_pct", "percentage", {"required": True, "unit": "%", "min_value": 0, "max_value": 100}),
            ("data_quality", "choice", {"choices": [{"value": "full", "label": "Lengkap"}, "partial", "none"]}),
            ("note", "text", {}),
        ],
        [
            {"element": "immunisation_pct", "share": 0.7, "method": "bands_up", "bands": [[50, 0.5], [95, 1]]},
            {"element": "data_quality", "share": 0.3, "method": "choice", "points": {"full": 1, "partial": 0.5}},
        ],
    ),
]

# Answers that complete SMALL once evidence supports the document elements (see `attach_evidence`).
COMPLETE = {
    "K1": {"perda_kla": True, "policy_count": "4"},
    "I1": {"children_total": "1000", "children_with_akta": "950"},
    "I2": {"immunisation_pct": "96.5", "data_quality": "full", "note": "ok"},
}
DOCUMENTS = {"K1": "policy_docs", "I1": "akta_doc"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def attach_evidence(assessment: Assessment, indicator, *, user=None, element_code: str = "", name: str = ""):
    """Links a small PDF of the assessment's region to the indicator (directly, without the edit rules)."""
    from layak.evaluations.models import AnswerEvidence
    from layak.evidence.models import Evidence, EvidenceKind
    from layak.evidence.storage import new_temp_path, store_temp_file

    name = name or f"{indicator.code}-{element_code or 'all'}.pdf"
    path = new_temp_path()
    path.write_bytes(PDF + name.encode())
    stored, _created = store_temp_file(path)
    evidence = Evidence.objects.create(
        region=assessment.region, title=name, kind=EvidenceKind.FILE, current_file=stored, original_name=name
    )
    return AnswerEvidence.objects.create(
        assessment=assessment, indicator=indicator, evidence=evidence, element_code=element_code, linked_by=user
    )


def make_framework(slug: str = "test-fw", spec=SMALL) -> FrameworkVersion:
    """A framework version built from a compact spec (see SMALL)."""
    version = FrameworkVersion.objects.create(slug=slug, name=f"Framework {slug}", year=2025, status="published")
    groups = {}
    for order, (code, group_code, max_points, elements, rubric) in enumerate(spec):
        if group_code not in groups:
            groups[group_code] = IndicatorGroup.objects.create(
                version=version, code=group_code, name=f"Klaster {group_code}", order=len(groups)
            )
        indicator = Indicator.objects.create(
            version=version,
            group=groups[group_code],
            code=code,
            number=order + 1,
            name=f"Indikator {code}",
            certainty="sure",
            max_points=Decimal(max_points),
            rubric=rubric,
            order=order,
        )
        DataElement.objects.bulk_create(
            DataElement(indicator=indicator, code=e_code, type=e_type, order=i, **{"label": f"Label {e_code}", **extra})
            for i, (e_code, e_type, extra) in enumerate(elements)
        )
    for order, (code, lower, upper) in enumerate(BANDS):
        PredicateBand.objects.create(
            version=version, code=code, name=code.title(), lower=lower, upper=upper, order=order
        )
    return version


def wide_spec(count: int) -> list:
    """`count` indicators shaped like SMALL's, spread over six groups, maxima summing to at most 1000."""
    shapes = [SMALL[i % 3] for i in range(count)]
    groups = ["K", "I", "II", "III", "IV", "V"]
    return [
        (f"X{i}", groups[i % 6], 1000 // count, elements, rubric)
        for i, (_c, _g, _m, elements, rubric) in enumerate(shapes)
    ]


def wide_answers(count: int) -> dict:
    return {f"X{i}": COMPLETE[SMALL[i % 3][0]] for i in range(count)}


def windows(opened_days_ago: int = 1, closes_in_days: int = 10) -> dict:
    """Stage windows: self-assessment around now, later stages following one after another."""
    start = timezone.now() - timedelta(days=opened_days_ago)
    end = timezone.now() + timedelta(days=closes_in_days)
    result = {Stage.SELF_ASSESSMENT.value: (start, end)}
    for i, stage in enumerate(list(Stage)[1:], start=1):
        result[stage.value] = (end + timedelta(days=30 * (i - 1)), end + timedelta(days=30 * i))
    return result


def make_cycle(framework: FrameworkVersion, *, closes_in_days: int = 10, year: int = 2025) -> Cycle:
    fields = {
        f"{stage}_{edge}": pair[i]
        for stage, pair in windows(closes_in_days=closes_in_days).items()
        for i, edge in enumerate(("start", "end"))
    }
    return Cycle.objects.create(year=year, name=f"KLA {year}", framework=framework, **fields)


def make_assessment(cycle: Cycle, region_code: str = "31.71") -> Assessment:
    return Assessment.objects.create(cycle=cycle, region=make_region(region_code))


def attach_all_documents(assessment: Assessment, indicators: dict) -> None:
    """Evidence for every document element of SMALL, so COMPLETE answers make the assessment complete."""
    for code, element_code in DOCUMENTS.items():
        attach_evidence(assessment, indicators[code], element_code=element_code)


def q(code: str) -> Question:
    """A question of the shipped kla-2024 instrument by its code ("12.1"), with its indicator and group."""
    indicator, _dot, question = code.partition(".")
    return Question.objects.select_related("indicator__group").get(
        indicator__version__slug="kla-2024", indicator__code=indicator, code=question
    )
