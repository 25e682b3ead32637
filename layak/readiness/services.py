"""Running the readiness checks over an assessment, and the two human inputs: a flag marked wrong, a check off.

`run_readiness(assessment_id)` is a plain function a background job can call; until the job queue is wired, the
`answers_changed` and `file_replaced` hooks call it after the commit of the change (robustly: a failure is logged
and never touches the save). A run reads each file once (its facts are kept per stored file), builds the items
(every data element that has evidence linked, or whose rule asks something of its evidence, of the answered
indicators), runs the enabled checks and stores the flags: those still found keep their verifier marks, new ones
are added, fixed ones removed. Points at risk: the item's self-score points times the share the check puts at
risk (checks.CHECKS).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.models import User
from layak.accounts.selectors import user_is_national_admin
from layak.audit.services import audit_record
from layak.common.generations import generation, shared_value
from layak.evaluations.models import Answer, AnswerEvidence, Assessment, QuestionAnswer, QuestionEvidence
from layak.evaluations.prefill import computed_values
from layak.evaluations.scoring_input import Inputs as ScoringInputs
from layak.evaluations.scoring_input import (
    InstrumentRules,
    evidence_attached,
    instrument_rules_load,
    question_input,
    rules_load,
    score_answers,
    supported_element,
)
from layak.evidence.models import Evidence, StoredFile
from layak.frameworks.choices import AnswerType, ElementType
from layak.frameworks.models import Indicator, Question
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.scoring.instrument import score_question

from . import permissions
from .checks import CHECKS, DECREE, Context, Document, Finding, Item, Rule, run_checks
from .extract import extract
from .facts import Facts, facts_of
from .models import CheckSetting, DocumentFacts, Flag, WrongMark
from .rules import rule_for

log = logging.getLogger(__name__)

MAX_READ_BYTES = 25 * 1024 * 1024  # a larger file is not read (the evidence limit is 20 MB by default)
CENTS = Decimal("0.01")


#: Bumped on every change of a check setting (`ReadinessConfig.ready`): the checks turned off are read once per
#: generation, not on every autosave.
SETTINGS_GENERATION = "readiness-settings"


def enabled_checks() -> set[str]:
    """The checks no national admin has turned off."""
    off = shared_value(
        f"readiness:checks-off:{generation(SETTINGS_GENERATION)}",
        lambda: frozenset(CheckSetting.objects.filter(enabled=False).values_list("check_code", flat=True)),
    )
    return set(CHECKS) - off


def file_facts(stored: StoredFile, title: str = "") -> Facts:
    """The facts of a stored file, read once per file and kept."""
    kept = DocumentFacts.objects.filter(file=stored).first()
    if kept is not None:
        return Facts.from_dict(kept.facts)
    if stored.size > MAX_READ_BYTES:
        facts = Facts(status="too_large")
    else:
        with default_storage.open(stored.storage_name, "rb") as handle:
            data = handle.read(MAX_READ_BYTES)
        facts = facts_of(extract(data, stored.content_type), title)
    DocumentFacts.objects.update_or_create(file=stored, defaults={"facts": facts.as_dict()})
    return facts


def _title_facts(facts: Facts, title: str) -> Facts:
    """A title naming the document kind counts too (a file read once may be attached under several titles)."""
    lowered = title.lower()
    if "matriks" in lowered or "matrix" in lowered:
        facts.is_matriks = True
    if lowered.startswith("sk ") or " sk " in f" {lowered} " or "keputusan" in lowered:
        facts.is_decree = True
    return facts


@dataclass(frozen=True)
class ItemPoints:
    """The self-score points one item earns now (the engine's criterion points, rounded to cents)."""

    indicator_id: int
    code: str
    points: Decimal


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def question_rule(framework_slug: str, question: Question) -> Rule:
    """A kla-2024 question's rule: the rule file (wording patterns and its own entry), then what the question
    says of itself (asks a MATRIKS, years asked, a percentage)."""
    rule = rule_for(framework_slug, question.indicator.code, question.code, question.text)
    return replace(
        rule,
        asks_matriks=rule.asks_matriks or question.asks_matriks or question.answer_type == AnswerType.MATRIKS,
        years=max(rule.years, question.years_asked if question.years_asked >= 2 else 0),
        percentage=rule.percentage or question.answer_type == AnswerType.PERCENTAGE,
    )


def _question_value(question: Question, answer: QuestionAnswer | None) -> Any:
    """The figure a question's answer claims: yes/no, the newest year's count or percentage, the MATRIKS rows."""
    if answer is None:
        return None
    if question.answer_type == AnswerType.YES_NO:
        return answer.yes
    figures = [(int(y), f) for y, f in (answer.years or {}).items() if str(y).isdigit() and isinstance(f, Mapping)]
    if figures:
        _year, newest = max(figures, key=lambda pair: pair[0])
        if question.answer_type == AnswerType.PERCENTAGE:
            try:
                numerator, denominator = Decimal(str(newest["numerator"])), Decimal(str(newest["denominator"]))
            except (KeyError, ArithmeticError):
                return None
            return (numerator / denominator * 100).quantize(CENTS) if denominator else None
        return newest.get("count")
    return answer.text or None


def question_items(
    assessment: Assessment, question_ids: Collection[int] | None = None, rules: InstrumentRules | None = None
) -> tuple[list[Item], dict[str, ItemPoints], dict[str, Indicator]]:
    """The answered questions of a question-level (kla-2024) assessment (or of these questions only) with their
    documents and points now (each question's self-score, from the same answers and links)."""
    framework = assessment.cycle.framework
    rules = rules or instrument_rules_load(framework)
    answers_qs = QuestionAnswer.objects.filter(assessment=assessment)
    links_qs = QuestionEvidence.objects.filter(assessment=assessment).select_related("evidence__current_file")
    if question_ids is not None:
        answers_qs = answers_qs.filter(question_id__in=list(question_ids))
        links_qs = links_qs.filter(question_id__in=list(question_ids))
    answers = {a.question_id: a for a in answers_qs}
    links = list(links_qs.order_by("question_id", "pk"))
    facts_cache = _kept_facts(link.evidence.current_file_id for link in links)
    docs: dict[int, list[Document]] = {}
    for link in links:
        doc = _document(link.evidence, facts_cache)
        if link.is_matriks and doc.facts is not None:
            doc.facts.is_matriks = True
        docs.setdefault(link.question_id, []).append(doc)
    items: list[Item] = []
    points: dict[str, ItemPoints] = {}
    by_key: dict[str, Indicator] = {}
    for question, engine_rule in zip(rules.questions, rules.rules, strict=True):
        answer = answers.get(question.pk)
        attached = docs.get(question.pk, [])
        if answer is None and not attached:
            continue
        key = f"{question.indicator.code}/{question.code}"
        items.append(
            Item(
                key=key,
                indicator_code=question.indicator.code,
                code=question.code,
                label=f"{question.full_code} {question.text}",
                rule=question_rule(framework.slug, question),
                value=_question_value(question, answer),
                values=answer.years if answer else {},
                provenance=answer.provenance if answer and answer.provenance else None,
                documents=attached,
            )
        )
        given = question_input(
            question.answer_type,
            answer.yes if answer else None,
            answer.years if answer else {},
            answer.text if answer else "",
            answer.matriks if answer else [],
            bool(attached),
        )
        score = score_question(engine_rule, given)
        points[key] = ItemPoints(question.indicator_id, question.code, _cents(score.points))
        by_key[key] = question.indicator
    return items, points, by_key


def _kept_facts(file_ids: Iterable[int | None]) -> dict[int, Facts]:
    """The facts already kept for these stored files (one query); files read for the first time are added by
    `_document`."""
    ids = {pk for pk in file_ids if pk is not None}
    if not ids:
        return {}
    return {kept.file_id: Facts.from_dict(kept.facts) for kept in DocumentFacts.objects.filter(file_id__in=ids)}


def _sharing_files(assessment: Assessment, question_ids: Collection[int]) -> set[int]:
    """These questions and every question linked to the same file as one of them, transitively (the questions
    whose "same file, contradicting answers" findings can change with these questions' answers)."""
    rows = list(
        QuestionEvidence.objects.filter(assessment=assessment, evidence__current_file__isnull=False).values_list(
            "question_id", "evidence__current_file__sha256"
        )
    )
    scope, files = set(question_ids), set()
    while True:
        files |= {sha for question_id, sha in rows if question_id in scope}
        grown = scope | {question_id for question_id, sha in rows if sha in files}
        if grown == scope:
            return scope
        scope = grown


def check_context(assessment: Assessment, items: Iterable[Item] | None = None) -> Context:
    """The evaluation year, this region's name, every kab/kota name and the registers' values now (read when a
    check needs them: the names only when one of the `items` given has a readable document)."""
    region = assessment.region
    names: frozenset[str] = frozenset()
    if items is None or any(doc.facts is not None and doc.facts.readable for item in items for doc in item.documents):
        names = frozenset(
            name.lower() for name in Region.objects.filter(level=RegionLevel.KABKOTA).values_list("name", flat=True)
        )
    registers = _Registers(region, assessment.cycle.year)
    return Context(year=assessment.cycle.year, region_name=region.name.lower(), region_names=names, registers=registers)


class _Registers(Mapping[str, Any]):
    """The registers' values of a region and year, read on first use (only answers taken from a register need
    them, and most runs have none)."""

    def __init__(self, region: Region, year: int) -> None:
        self._region, self._year = region, year
        self._values: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._values is None:
            self._values = {key: value.value for key, value in computed_values(self._region, self._year).items()}
        return self._values

    def __getitem__(self, key: str) -> Any:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def assessment_items(
    assessment: Assessment,
) -> tuple[list[Item], dict[str, ItemPoints], dict[str, Indicator], Context]:
    """The assessment's items with their documents and facts, each item's points now, and the check context:
    questions of a question-level framework (kla-2024), data elements of an indicator-level one."""
    framework = assessment.cycle.framework
    if framework.is_question_level:
        return (*question_items(assessment), check_context(assessment))
    rules = rules_load(framework)
    answers = {a.indicator_id: a for a in Answer.objects.filter(assessment=assessment)}
    links = list(
        AnswerEvidence.objects.filter(assessment=assessment)
        .select_related("evidence__current_file")
        .order_by("indicator_id", "element_code", "pk")
    )
    inputs = ScoringInputs({pk: a.values for pk, a in answers.items()}, evidence_attached(assessment, rules.indicators))
    score = score_answers(rules, inputs)
    earned = {
        (result.code, criterion.element): criterion.points
        for result in score.indicators
        for criterion in result.criteria
    }
    facts_cache: dict[int, Facts] = {}
    docs: dict[tuple[int, str], list[Document]] = {}
    for link in links:
        indicator = rules.by_id.get(link.indicator_id)
        if indicator is None:
            continue
        supported = supported_element(rules.documents.get(indicator.pk, []), link.element_code) or link.element_code
        docs.setdefault((indicator.pk, supported), []).append(_document(link.evidence, facts_cache))
    items: list[Item] = []
    points: dict[str, ItemPoints] = {}
    by_key: dict[str, Indicator] = {}
    for indicator in rules.indicators:
        answer = answers.get(indicator.pk)
        values: Mapping[str, Any] = answer.values if answer else {}
        provenance: Mapping[str, Any] = answer.provenance if answer else {}
        elements = list(indicator.elements.all())
        element_rules = {
            e.code: rule_for(framework.slug, indicator.code, e.code, f"{e.label} {e.evidence_hint}") for e in elements
        }
        whole = _assign_whole(docs.pop((indicator.pk, ""), []), element_rules, docs, indicator.pk)
        for element in elements:
            attached = docs.get((indicator.pk, element.code), [])
            value = values.get(element.code)
            rule = element_rules[element.code]
            if not attached and value in (None, "") and element.type != ElementType.DOCUMENT:
                continue
            asks = rule.asks_matriks or rule.percentage or rule.years >= 2 or provenance.get(element.code)
            if not attached and not asks:
                continue
            key = f"{indicator.code}/{element.code}"
            typed: Any = value
            if element.type == ElementType.YES_NO and value not in (None, ""):
                typed = bool(value)
            items.append(
                Item(
                    key=key,
                    indicator_code=indicator.code,
                    code=element.code,
                    label=element.label,
                    rule=rule,
                    value=typed,
                    values=values,
                    provenance=provenance.get(element.code),
                    documents=attached,
                )
            )
            points[key] = ItemPoints(
                indicator.pk, element.code, _cents(earned.get((indicator.code, element.code), Decimal(0)))
            )
            by_key[key] = indicator
        if whole:
            # Documents of the indicator as a whole that no element's rule claims: checked, no points attributed.
            key = f"{indicator.code}/"
            wording = f"{indicator.name} {indicator.description}"
            rule = rule_for(framework.slug, indicator.code, "", wording)
            items.append(Item(key, indicator.code, "", indicator.name, rule, None, values, None, whole))
            points[key] = ItemPoints(indicator.pk, "", Decimal(0))
            by_key[key] = indicator
    return items, points, by_key, check_context(assessment)


def _assign_whole(
    whole: list[Document], rules: Mapping[str, Rule], docs: dict[tuple[int, str], list[Document]], indicator_id: int
) -> list[Document]:
    """Gives each document linked to the indicator as a whole to the element whose rule asks for its kind (a
    decree to the element that asks for an SK, a MATRIKS to the one that asks for a MATRIKS); returns the rest."""
    left = []
    for doc in whole:
        facts = doc.facts
        target = next(
            (
                code
                for code, rule in rules.items()
                if facts is not None
                and ((rule.document_kind == DECREE and facts.is_decree) or (rule.asks_matriks and facts.is_matriks))
            ),
            None,
        )
        if target is None:
            left.append(doc)
        else:
            docs.setdefault((indicator_id, target), []).append(doc)
    return left


def _document(evidence: Evidence, cache: dict[int, Facts]) -> Document:
    stored = evidence.current_file
    if stored is None:
        return Document(evidence.pk, evidence.title)
    if stored.pk not in cache:
        try:
            cache[stored.pk] = file_facts(stored, evidence.title)
        except OSError:
            log.warning("readiness: stored file %s could not be opened", stored.pk)
            cache[stored.pk] = Facts(status="unreadable")
    facts = Facts.from_dict(cache[stored.pk].as_dict())
    return Document(evidence.pk, evidence.title, stored.sha256, _title_facts(facts, evidence.title))


@dataclass(frozen=True)
class RunResult:
    items: int
    flags: int
    added: int
    removed: int


def _flag_points(finding: Finding, points: Mapping[str, ItemPoints]) -> Decimal:
    item = points.get(finding.item_key)
    if item is None:
        return Decimal(0)
    return _cents(item.points * CHECKS[finding.check].at_risk)


@transaction.atomic
def run_readiness(assessment_id: int, question_ids: Collection[int] | None = None) -> RunResult:
    """Runs every enabled check over one assessment and stores its flags (a job can call this).

    `question_ids` (a question-level assessment whose answers to these questions changed, not their evidence):
    only these questions and those sharing a file with them are checked again, and only their flags change;
    the flags found are the ones a whole run finds for them."""
    assessment = Assessment.objects.select_related("cycle__framework", "region").get(pk=assessment_id)
    flags = Flag.objects.select_for_update().filter(assessment=assessment)
    rules = instrument_rules_load(assessment.cycle.framework) if question_ids is not None else None
    if rules is not None and rules.questions:
        scope = _sharing_files(assessment, question_ids or ())
        items, points, by_key = question_items(assessment, scope, rules)
        ctx = check_context(assessment, items)
        slots = {(rules.by_id[pk].indicator_id, rules.by_id[pk].code) for pk in scope if pk in rules.by_id}
        flags = flags.filter(indicator_id__in={indicator for indicator, _code in slots})
        existing_flags = [f for f in flags if (f.indicator_id, f.item_code) in slots]
    else:
        items, points, by_key, ctx = assessment_items(assessment)
        existing_flags = list(flags)
    findings = run_checks(items, ctx, enabled_checks())
    existing = {(f.indicator_id, f.item_code, f.evidence_id, f.check_code): f for f in existing_flags}
    seen: set[tuple[int, str, int | None, str]] = set()
    added = 0
    for finding in findings:
        indicator = by_key[finding.item_key]
        code = points[finding.item_key].code
        slot = (indicator.pk, code, finding.evidence_id, finding.check)
        if slot in seen:
            continue
        seen.add(slot)
        at_risk = _flag_points(finding, points)
        params = {key: value if isinstance(value, int | str) else str(value) for key, value in finding.params.items()}
        flag = existing.get(slot)
        if flag is None:
            Flag.objects.create(
                assessment=assessment,
                indicator=indicator,
                item_code=code,
                evidence_id=finding.evidence_id,
                check_code=finding.check,
                params=params,
                points_at_risk=at_risk,
            )
            added += 1
        elif flag.params != params or flag.points_at_risk != at_risk:
            flag.params, flag.points_at_risk = params, at_risk
            flag.save(update_fields=["params", "points_at_risk"])
    gone = [flag.pk for slot, flag in existing.items() if slot not in seen]
    if gone:
        Flag.objects.filter(pk__in=gone).delete()
    return RunResult(len(items), len(seen), added, len(gone))


def run_readiness_after_change(assessment_id: int, question_ids: Collection[int] | None = None) -> None:
    """The hook handler: runs the checks of an editable assessment (of the changed questions only, when the hook
    names them); a failure is logged, never raised."""
    try:
        run_readiness(assessment_id, question_ids)
    except Exception:
        log.exception("readiness: checks of assessment %s failed", assessment_id)


def run_readiness_for_evidence(evidence_id: int) -> None:
    """The file of an evidence item was replaced: rerun every assessment it supports."""
    assessment_ids = set(
        AnswerEvidence.objects.filter(evidence_id=evidence_id).values_list("assessment_id", flat=True).distinct()
    ) | set(QuestionEvidence.objects.filter(evidence_id=evidence_id).values_list("assessment_id", flat=True))
    for assessment_id in sorted(assessment_ids):
        run_readiness_after_change(assessment_id)


def run_readiness_all(assessment_ids: Iterable[int]) -> list[RunResult]:
    """Runs several assessments (a whole cycle, as a background job)."""
    return [run_readiness(pk) for pk in assessment_ids]


@transaction.atomic
def flag_mark_wrong(*, user: User, flag: Flag, note: str = "") -> Flag:
    """A verifier says the flag is wrong: it no longer counts against the likely score, and the mark is counted."""
    assessment = flag.assessment
    if not permissions.can_mark_wrong(user, assessment):
        raise PermissionDenied(_("Only a verifier of this assessment can mark a flag as wrong."))
    if flag.is_marked_wrong:
        raise ValidationError(_("This flag is already marked as wrong."))
    flag.marked_wrong_by, flag.marked_wrong_at = user, timezone.now()
    flag.save(update_fields=["marked_wrong_by", "marked_wrong_at"])
    WrongMark.objects.create(check_code=flag.check_code, flag=flag, marked_by=user, note=note.strip()[:300])
    audit_record(
        actor=user,
        verb="readiness.flag_marked_wrong",
        target=flag,
        region_code=assessment.region_id,
        summary=f"{flag.indicator.code}/{flag.item_code}: {CHECKS[flag.check_code].title}",
        after={"check": flag.check_code, "note": note.strip()[:300]},
    )
    return flag


@transaction.atomic
def check_set_enabled(*, user: User, check_code: str, enabled: bool) -> CheckSetting:
    """A national admin turns a check off (its flags stop counting at once and are removed at the next run)."""
    if not user_is_national_admin(user):
        raise PermissionDenied(_("Only a national admin can turn a check on or off."))
    if check_code not in CHECKS:
        raise ValidationError(_("There is no such check."))
    setting, _created = CheckSetting.objects.get_or_create(check_code=check_code)
    before = {"enabled": setting.enabled}
    setting.enabled, setting.changed_by = enabled, user
    setting.save()
    audit_record(
        actor=user,
        verb="readiness.check_enabled" if enabled else "readiness.check_disabled",
        target=setting,
        summary=str(CHECKS[check_code].title),
        before=before,
        after={"enabled": enabled},
    )
    return setting
