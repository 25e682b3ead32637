"""The region's report for a question-level instrument (kla-2024), laid out like the ministry's Rekap: cluster →
indicator → question, with the maximum, the self-score, each verification stage's score (with its grade and the
verifier's reason) and the final score, and per question the evidence pinned for the verifiers (title and
version).

Scores come from the stored `ScoreSnapshot` of each stage (a question-level snapshot holds every question's
points, and the grade and reason of that stage's own grades); before the region submits, the self-score is
computed live. A fixed number of queries whatever the number of questions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from layak.evaluations.models import Assessment, QuestionAssignment, QuestionEvidence
from layak.evaluations.scoring_input import instrument_rules_load
from layak.evidence.models import EvidenceVersion
from layak.frameworks.models import Indicator, IndicatorGroup
from layak.reviews import grading
from layak.reviews.choices import ScoreStage
from layak.reviews.models import EvidencePin

STAGES: tuple[str, ...] = tuple(ScoreStage.values)
#: Short stage names for narrow table cells and chart legends.
SHORT_STAGE_LABELS = {
    ScoreStage.SELF: gettext_lazy("Self"),
    ScoreStage.PROVINCE: gettext_lazy("Province"),
    ScoreStage.CENTRAL: gettext_lazy("Central"),
    ScoreStage.FIELD: gettext_lazy("Field"),
    ScoreStage.FINAL: gettext_lazy("Final"),
}


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@dataclass(frozen=True)
class StageCell:
    """A question's points at one stage; `level` and `reason` when that stage's verifier graded it."""

    stage: str
    points: Decimal | None
    level: str = ""
    reason: str = ""

    @property
    def short_label(self) -> str:
        return str(SHORT_STAGE_LABELS[ScoreStage(self.stage)])

    @property
    def symbol(self) -> str:
        return grading.level_symbol(self.level) if self.level else ""


@dataclass(frozen=True)
class PinnedFile:
    """One evidence item of a question: its title, the version pinned for the verifiers (or the current one when
    none was pinned yet), and the start of the file's SHA-256."""

    title: str
    version: int | None
    pinned: bool
    round: int | None
    sha256: str
    url: str


@dataclass
class QuestionRow:
    """One row of the Rekap: the question, its maximum, its points at every stage, its OPD and evidence."""

    code: str
    text: str
    maximum: Decimal
    cells: list[StageCell]
    agency: str
    evidence: list[PinnedFile]

    @property
    def graded(self) -> list[StageCell]:
        return [cell for cell in self.cells if cell.level]


@dataclass
class IndicatorBlock:
    """An indicator with its points per stage and its questions."""

    code: str
    name: str
    maximum: Decimal
    scores: list[Decimal | None]
    questions: list[QuestionRow] = field(default_factory=list)


@dataclass
class GroupBlock:
    """A group (Kelembagaan, a klaster, Kelana-Dekela) with its points per stage and its indicators."""

    code: str
    label: str
    maximum: Decimal
    scores: list[Decimal | None]
    indicators: list[IndicatorBlock] = field(default_factory=list)


def stage_data(assessment: Assessment, snapshots: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each stage's snapshot fields by stage (self computed live before submission)."""
    data = {
        stage: {"total": s.total, "band_code": s.band_code, "groups": s.groups, "indicators": s.indicators}
        for stage, s in snapshots.items()
    }
    if ScoreStage.SELF not in data:
        live = grading.question_snapshot_fields(grading.question_stage(assessment, ScoreStage.SELF))
        data = {ScoreStage.SELF.value: live, **data}
    return data


def _evidence(assessment: Assessment) -> dict[int, list[PinnedFile]]:
    """The evidence of each question (by question id), with the latest pinned version (three queries)."""
    links = list(
        QuestionEvidence.objects.filter(assessment=assessment)
        .select_related("evidence__current_file", "question")
        .order_by("question_id", "linked_at", "pk")
    )
    pins: dict[tuple[int, str, int], EvidencePin] = {}
    for pin in EvidencePin.objects.filter(assessment=assessment).select_related("file").order_by("round", "pk"):
        pins[(pin.indicator_id, pin.element_code, pin.evidence_id)] = pin  # the latest round wins
    numbers: dict[int, int] = {}
    counted: Counter[int] = Counter()
    current: dict[tuple[int, int], int] = {}
    for pk, evidence_id, file_id in (
        EvidenceVersion.objects.filter(evidence_id__in={link.evidence_id for link in links})
        .order_by("id")
        .values_list("pk", "evidence_id", "file_id")
    ):
        counted[evidence_id] += 1
        numbers[pk] = counted[evidence_id]
        current[(evidence_id, file_id)] = counted[evidence_id]
    found: dict[int, list[PinnedFile]] = {}
    for link in links:
        evidence = link.evidence
        pin = pins.get((link.question.indicator_id, link.question.code, evidence.pk))
        if pin is not None:
            number = numbers.get(pin.version_id) if pin.version_id else None
            sha = pin.file.sha256[:12] if pin.file else ""
        else:
            number = current.get((evidence.pk, evidence.current_file_id))
            sha = evidence.current_file.sha256[:12] if evidence.current_file else ""
        found.setdefault(link.question_id, []).append(
            PinnedFile(evidence.title, number, pin is not None, pin.round if pin else None, sha, evidence.url)
        )
    return found


def question_groups(
    assessment: Assessment, data: dict[str, dict[str, Any]], group_labels: dict[str, str]
) -> list[GroupBlock]:
    """Cluster → indicator → question rows of the report, every stage a column (empty where not reached)."""
    rules = instrument_rules_load(assessment.cycle.framework)
    evidence = _evidence(assessment)
    agencies = {
        a.question_id: str(a.agency)
        for a in QuestionAssignment.objects.filter(assessment=assessment).select_related("agency")
    }
    groups: dict[str, GroupBlock] = {}
    indicators: dict[str, IndicatorBlock] = {}
    for question in rules.questions:
        indicator: Indicator = question.indicator
        group_code = indicator.group.code
        if group_code not in groups:
            groups[group_code] = GroupBlock(
                group_code,
                group_labels.get(group_code, group_code),
                Decimal(0),
                [_decimal(data.get(s, {}).get("groups", {}).get(group_code, {}).get("points")) for s in STAGES],
            )
        block = indicators.get(indicator.code)
        if block is None:
            block = indicators[indicator.code] = IndicatorBlock(
                indicator.code,
                indicator.display_name,
                Decimal(0),
                [_decimal(data.get(s, {}).get("indicators", {}).get(indicator.code, {}).get("points")) for s in STAGES],
            )
            groups[group_code].indicators.append(block)
        block.maximum += question.max_points
        groups[group_code].maximum += question.max_points
        cells = []
        for stage in STAGES:
            entry = data.get(stage, {}).get("indicators", {}).get(indicator.code, {}).get("questions", {})
            item = entry.get(question.code, {})
            cells.append(StageCell(stage, _decimal(item.get("points")), item.get("level", ""), item.get("reason", "")))
        block.questions.append(
            QuestionRow(
                question.full_code,
                question.text,
                question.max_points,
                cells,
                agencies.get(question.pk, ""),
                evidence.get(question.pk, []),
            )
        )
    return list(groups.values())


def group_labels(assessment: Assessment) -> dict[str, str]:
    """{group code: its name as the version writes it}."""
    return {g.code: g.display_name for g in IndicatorGroup.objects.filter(version_id=assessment.cycle.framework_id)}
