"""The one adapter between what an assessment stores and what the scoring engine reads.

The engine (`layak.scoring.engine`) is pure and never imports this module. Everything that scores stored answers
goes through here: the self-assessment overview, submission and its report (`evaluations`, `reports`), the
verification stages and `recompute_scores` (`reviews`), and the dashboards' evidence figures. It lives in
`evaluations` because it reads that app's models; `scoring` sits below `evaluations` and may not.

Three steps, each written once:
- the framework as engine rules (`rules_load` -> `FrameworkRules`: indicators, `IndicatorRule`s, bands);
- which document elements linked evidence supports (`document_elements`, `supported_elements`,
  `evidence_attached`);
- stored values typed for the engine (`values_for_engine`, `engine_answers`), scored by `score_answers`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import get_language

from layak.common.generations import generation
from layak.frameworks.choices import AnswerType as QuestionAnswerType
from layak.frameworks.choices import ElementType
from layak.frameworks.models import DataElement, FrameworkVersion, Indicator, Question
from layak.frameworks.selectors import framework_indicators, framework_questions
from layak.scoring.engine import Band, FrameworkScore, IndicatorRule, criteria_from_rubric, score_framework
from layak.scoring.instrument import (
    InstrumentScore,
    QuestionInput,
    QuestionRule,
    QuestionScore,
    score_instrument,
    score_question,
)

from .models import Answer, AnswerEvidence, Assessment, QuestionAnswer, QuestionEvidence
from .validation import NUMERIC, is_blank

# --- The framework as engine rules ---------------------------------------------------------------------------


def indicator_rule(indicator: Indicator) -> IndicatorRule:
    """The indicator's rubric as an engine rule (needs `group` loaded)."""
    return IndicatorRule(
        code=indicator.code,
        group_code=indicator.group.code,
        max_points=indicator.max_points,
        criteria=criteria_from_rubric(indicator.rubric),
    )


# Bands of frozen versions never change (like their indicators and questions): read once per process and
# language (a band's display name is in the reader's language), keyed by the freezing time too.
_FROZEN_BANDS: dict[tuple[int, object, str | None], tuple[Band, ...]] = {}


def framework_bands(framework: FrameworkVersion) -> list[Band]:
    """The version's predicate bands as engine bands (one query; none again for a frozen version)."""
    if framework.frozen_at is None:
        return _bands_of(framework)
    key = (framework.pk, framework.frozen_at, get_language())
    cached = _FROZEN_BANDS.get(key)
    if cached is None:
        if len(_FROZEN_BANDS) >= 64:
            _FROZEN_BANDS.pop(next(iter(_FROZEN_BANDS)))
        cached = _FROZEN_BANDS[key] = tuple(_bands_of(framework))
    return list(cached)


def _bands_of(framework: FrameworkVersion) -> list[Band]:
    return [Band(b.code, b.display_name, b.lower, b.upper) for b in framework.bands.all()]


def document_elements(indicators: Iterable[Indicator]) -> dict[int, list[str]]:
    """Document element codes per indicator id, in element order (elements prefetched: no query)."""
    return {i.pk: [e.code for e in i.elements.all() if e.type == ElementType.DOCUMENT] for i in indicators}


@dataclass(frozen=True)
class FrameworkRules:
    """A framework as the engine needs it: rules in order, bands, and the indicators with their elements."""

    framework_id: int
    indicators: tuple[Indicator, ...]
    rules: tuple[IndicatorRule, ...]
    bands: tuple[Band, ...]

    @cached_property
    def by_id(self) -> dict[int, Indicator]:
        return {indicator.pk: indicator for indicator in self.indicators}

    @cached_property
    def documents(self) -> dict[int, list[str]]:
        """Document element codes per indicator id."""
        return document_elements(self.indicators)

    @cached_property
    def evidence_elements(self) -> dict[str, frozenset[str]]:
        """Document elements per indicator code: their missing answers mean missing evidence."""
        return {i.code: frozenset(self.documents[i.pk]) for i in self.indicators}


def rules_load(framework: FrameworkVersion) -> FrameworkRules:
    """The framework's indicators (with groups and elements), rules and bands (one query for a frozen version,
    three otherwise)."""
    indicators = tuple(framework_indicators(framework))
    return FrameworkRules(
        framework.pk, indicators, tuple(indicator_rule(i) for i in indicators), tuple(framework_bands(framework))
    )


# --- Evidence ------------------------------------------------------------------------------------------------


def supported_elements(documents: Mapping[int, list[str]], links: Iterable[tuple[int, str]]) -> dict[int, set[str]]:
    """Which document elements evidence links support: {indicator id: {element code}}.

    `documents` lists each indicator's document elements (`document_elements`); `links` are (indicator id,
    element code) pairs. Evidence linked to an element supports that element; evidence linked to the indicator
    as a whole supports the indicator's document element when it has exactly one.
    """
    attached: dict[int, set[str]] = {}
    for indicator_id, code in links:
        element = supported_element(documents.get(indicator_id, []), code)
        if element:
            attached.setdefault(indicator_id, set()).add(element)
    return attached


def supported_element(documents: list[str], element_code: str) -> str:
    """The document element one evidence link supports: the element it names, else the indicator's only
    document element; "" when it names none and the indicator has several (or no) document elements."""
    if element_code:
        return element_code
    return documents[0] if len(documents) == 1 else ""


def evidence_attached(assessment: Assessment, indicators: Iterable[Indicator] | None = None) -> dict[int, set[str]]:
    """Elements supported by the assessment's linked evidence, as {indicator id: {element code}}.

    Pass the framework's `indicators` when they are loaded already (one query then); otherwise they are read.
    """
    if indicators is None:
        indicators = framework_indicators(assessment.cycle.framework)
    links = AnswerEvidence.objects.filter(assessment=assessment).values_list("indicator_id", "element_code")
    return supported_elements(document_elements(indicators), links)


# --- Answers -------------------------------------------------------------------------------------------------


def values_for_engine(
    elements: Iterable[DataElement], stored: Mapping[str, Any], evidence: Iterable[str] = ()
) -> dict[str, Any]:
    """Stored values typed for the scoring engine: Decimal for numbers, bool for yes/no and text otherwise.

    A document element is True when evidence supports it (`evidence`: the element codes with evidence).
    """
    attached = set(evidence)
    typed: dict[str, Any] = {}
    for element in elements:
        if element.type == ElementType.DOCUMENT:
            typed[element.code] = element.code in attached
            continue
        value = stored.get(element.code)
        if is_blank(value):
            continue
        if element.type in NUMERIC:
            typed[element.code] = Decimal(str(value))
        elif element.type == ElementType.YES_NO:
            typed[element.code] = bool(value)
        else:
            typed[element.code] = str(value)
    return typed


@dataclass(frozen=True)
class Inputs:
    """What the engine scores for one assessment: {indicator id: stored values} and {indicator id: element codes
    supported by linked evidence}."""

    stored: Mapping[int, Mapping[str, Any]]
    evidence: Mapping[int, set[str]]


def engine_answers(indicators: Iterable[Indicator], inputs: Inputs) -> dict[str, dict[str, Any]]:
    """Stored answers and evidence typed for the engine, keyed by indicator code (answered indicators only)."""
    return {
        i.code: values_for_engine(i.elements.all(), inputs.stored.get(i.pk, {}), inputs.evidence.get(i.pk, ()))
        for i in indicators
        if i.pk in inputs.stored or i.pk in inputs.evidence
    }


def assessment_inputs(assessment: Assessment, indicators: Iterable[Indicator] | None = None) -> Inputs:
    """The stored answers and evidence of one assessment (two queries when `indicators` are given)."""
    stored = dict(Answer.objects.filter(assessment=assessment).values_list("indicator_id", "values"))
    return Inputs(stored, evidence_attached(assessment, indicators))


def score_answers(rules: FrameworkRules, inputs: Inputs) -> FrameworkScore:
    """The engine's score of one assessment's answers (pure once loaded)."""
    return score_framework(rules.rules, rules.bands, engine_answers(rules.indicators, inputs))


# --- The question-level instrument (kla-2024) ----------------------------------------------------------------
#
# `question_self_scores(assessment)` is the one place that gives each question's self-score (verification builds
# its per-question grading on it); `instrument_score(assessment)` the indicator, group and total sums.


def question_rule(question: Question) -> QuestionRule:
    """A question as an engine rule (needs `indicator__group` loaded)."""
    return QuestionRule(
        code=question.code,
        indicator_code=question.indicator.code,
        group_code=question.indicator.group.code,
        max_points=question.max_points,
        answer_type=question.answer_type,
        years_asked=question.years_asked,
        asks_evidence=question.asks_evidence,
        lower_is_better=question.lower_is_better,
    )


@dataclass(frozen=True)
class InstrumentRules:
    """A question-level framework as the engine needs it: questions in order, their rules, bands."""

    framework_id: int
    questions: tuple[Question, ...]
    rules: tuple[QuestionRule, ...]
    bands: tuple[Band, ...]

    @cached_property
    def by_id(self) -> dict[int, Question]:
        return {question.pk: question for question in self.questions}


# The rules of frozen versions, per process: the what-if and the grading pages read them on every request. Keyed
# by the reader's language (band names are translated) and the frameworks' generation (a band or question edited
# by hand bumps it).
_FROZEN_RULES: dict[tuple[int, object, str | None, int], InstrumentRules] = {}
_FROZEN_RULES_LIMIT = 64


def instrument_rules_load(framework: FrameworkVersion) -> InstrumentRules:
    """The framework's questions (with indicator and group), rules and bands (two queries; none for a frozen
    version once read by this process in this language, one cache read for the frameworks' generation)."""
    if framework.frozen_at is None:
        return _instrument_rules(framework)
    key = (framework.pk, framework.frozen_at, get_language(), generation("frameworks"))
    cached = _FROZEN_RULES.get(key)
    if cached is None:
        if len(_FROZEN_RULES) >= _FROZEN_RULES_LIMIT:
            _FROZEN_RULES.pop(next(iter(_FROZEN_RULES)))
        cached = _FROZEN_RULES[key] = _instrument_rules(framework)
    return cached


def _instrument_rules(framework: FrameworkVersion) -> InstrumentRules:
    questions = tuple(framework_questions(framework))
    return InstrumentRules(
        framework.pk, questions, tuple(question_rule(q) for q in questions), tuple(framework_bands(framework))
    )


def _decimal_or_none(value: Any) -> Decimal | None:
    if is_blank(value):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def question_input(
    answer_type: str, yes: bool | None, years: Mapping[str, Any], text: str, matriks: list[Any], evidence: bool
) -> QuestionInput:
    """A stored answer typed for the engine: figures per year as Decimals (years with an unreadable or missing
    figure left out), the MATRIKS as its row count."""
    typed: dict[int, tuple[Decimal, Decimal | None]] = {}
    for year, figures in (years or {}).items():
        if not isinstance(figures, Mapping) or not str(year).isdigit():
            continue
        if answer_type == QuestionAnswerType.PERCENTAGE:
            numerator = _decimal_or_none(figures.get("numerator"))
            denominator = _decimal_or_none(figures.get("denominator"))
            if numerator is not None and denominator is not None:
                typed[int(year)] = (numerator, denominator)
        else:
            count = _decimal_or_none(figures.get("count"))
            if count is not None:
                typed[int(year)] = (count, None)
    return QuestionInput(yes=yes, years=typed, text=text or "", matriks_rows=len(matriks or []), evidence=evidence)


ANSWER_FIELDS = ("question_id", "yes", "years", "text", "matriks")


def question_inputs(assessment: Assessment, rules: InstrumentRules) -> dict[tuple[str, str], QuestionInput]:
    """The assessment's stored answers and evidence typed for the engine, keyed by (indicator code, question
    code) (two queries)."""
    with_evidence = set(
        QuestionEvidence.objects.filter(assessment=assessment).values_list("question_id", flat=True).distinct()
    )
    stored = {row[0]: row for row in QuestionAnswer.objects.filter(assessment=assessment).values_list(*ANSWER_FIELDS)}
    inputs = {}
    for question in rules.questions:
        row = stored.get(question.pk)
        if row is None and question.pk not in with_evidence:
            continue
        _pk, yes, years, text, matriks = row or (question.pk, None, {}, "", [])
        key = (question.indicator.code, question.code)
        inputs[key] = question_input(question.answer_type, yes, years, text, matriks, question.pk in with_evidence)
    return inputs


def instrument_score(assessment: Assessment, rules: InstrumentRules | None = None) -> InstrumentScore:
    """Points per question, indicator and group, the total and the predicate of one kla-2024 assessment."""
    rules = rules or instrument_rules_load(assessment.cycle.framework)
    return score_instrument(rules.rules, rules.bands, question_inputs(assessment, rules))


def question_self_scores(assessment: Assessment, rules: InstrumentRules | None = None) -> dict[int, QuestionScore]:
    """Each question's self-score for an assessment, keyed by question id (`QuestionScore`: points, max_points,
    fraction 0..1 and the reason, such as `met`, `partial`, `evidence_missing`, `missing`)."""
    rules = rules or instrument_rules_load(assessment.cycle.framework)
    result = instrument_score(assessment, rules)
    return {question.pk: score for question, score in zip(rules.questions, result.questions, strict=True)}


def instrument_scores_bulk(assessment_ids: Iterable[int], rules: InstrumentRules) -> dict[int, InstrumentScore]:
    """The self-score of many assessments of one question-level cycle (recomputing a national cycle): two
    queries for all of them, then the pure engine per assessment.

    Read lean: the JSON of a question's years and MATRIKS comes as text and is decoded only for the questions
    whose score reads it (years for percentages and counts, the MATRIKS rows for MATRIKS questions)."""
    ids = list(assessment_ids)
    keyed = {q.pk: ((q.indicator.code, q.code), q.answer_type) for q in rules.questions}
    evidence = _linked_questions(ids)
    stored: dict[int, dict[tuple[str, str], QuestionInput]] = {pk: {} for pk in ids}
    for assessment_id, question_id, yes, years, text, matriks in _stored_answer_rows(ids):
        known = keyed.get(question_id)
        if known is None:
            continue
        key, answer_type = known
        attached = (assessment_id, question_id) in evidence
        stored[assessment_id][key] = _lean_input(answer_type, yes, years, text, matriks, attached)
    for assessment_id, question_id in evidence:
        known = keyed.get(question_id)
        if known is not None:
            stored[assessment_id].setdefault(known[0], QuestionInput(evidence=True))
    return {pk: score_instrument(rules.rules, rules.bands, inputs) for pk, inputs in stored.items()}


_READS_YEARS = frozenset({QuestionAnswerType.PERCENTAGE, QuestionAnswerType.COUNT})


def _linked_questions(ids: list[int]) -> set[tuple[int, int]]:
    """(assessment id, question id) of every question with linked evidence, for many assessments in one query."""
    return set(
        QuestionEvidence.objects.filter(assessment_id__in=ids)
        .order_by()
        .values_list("assessment_id", "question_id")
        .distinct()
    )


def _stored_answer_rows(ids: list[int]) -> Iterator[tuple[Any, ...]]:
    """The stored answers of many assessments, read lean: (assessment id, question id, yes, years, text, matriks),
    the JSON of the years and the MATRIKS as text, to be decoded only where a question's score reads it."""
    rows = (
        QuestionAnswer.objects.filter(assessment_id__in=ids)
        .order_by()
        .values_list(
            "assessment_id",
            "question_id",
            "yes",
            Cast("years", output_field=TextField()),
            "text",
            Cast("matriks", output_field=TextField()),
        )
    )
    return rows.iterator(chunk_size=5000)


def _lean_input(
    answer_type: str, yes: bool | None, years: str | None, text: str | None, matriks: str | None, attached: bool
) -> QuestionInput:
    """A lean row typed for the engine, as `question_input` types it, decoding only the JSON the score reads."""
    if answer_type in _READS_YEARS:
        return question_input(answer_type, yes, json.loads(years) if years else {}, text or "", [], attached)
    if answer_type == QuestionAnswerType.MATRIKS:
        count = len(json.loads(matriks or "[]") or [])
        return QuestionInput(yes=yes, text=text or "", matriks_rows=count, evidence=attached)
    return QuestionInput(yes=yes, text=text or "", evidence=attached)  # yes/no and list: their JSON is unused


def question_points_bulk(assessment_ids: Iterable[int], rules: InstrumentRules) -> dict[int, dict[int, Decimal]]:
    """Each question's self-score points of many assessments of one question-level cycle, {assessment id:
    {question id: points}}, exactly as `question_self_scores` gives them (finalising a national cycle): two
    queries, then the pure engine per question. A question's score depends only on its stored answer and whether
    evidence is linked, so equal answers to one question are scored once (a yes/no question has few)."""
    ids = list(assessment_ids)
    rule_of = {q.pk: (rule, q.answer_type) for q, rule in zip(rules.questions, rules.rules, strict=True)}
    evidence = _linked_questions(ids)
    unanswered = {pk: score_question(rule, None).points for pk, (rule, _type) in rule_of.items()}
    only_evidence = {
        pk: score_question(rule, QuestionInput(evidence=True)).points for pk, (rule, _t) in rule_of.items()
    }
    points: dict[int, dict[int, Decimal]] = {pk: dict(unanswered) for pk in ids}
    scored: dict[tuple[Any, ...], Decimal] = {}
    for assessment_id, question_id, yes, years, text, matriks in _stored_answer_rows(ids):
        known = rule_of.get(question_id)
        if known is None:
            continue
        rule, answer_type = known
        attached = (assessment_id, question_id) in evidence
        key = (
            (question_id, yes, years, text, attached)
            if answer_type in _READS_YEARS
            else (question_id, yes, text, matriks, attached)
            if answer_type == QuestionAnswerType.MATRIKS
            else (question_id, yes, text, attached)
        )
        found = scored.get(key)
        if found is None:
            given = _lean_input(answer_type, yes, years, text, matriks, attached)
            found = scored[key] = score_question(rule, given).points
        points[assessment_id][question_id] = found
        evidence.discard((assessment_id, question_id))
    for assessment_id, question_id in evidence:  # linked evidence without an answer
        if question_id in only_evidence:
            points[assessment_id][question_id] = only_evidence[question_id]
    return points
