"""Reads of the question-level self-assessment (kla-2024), scoped to the user and bounded in queries.

The overview reads the framework's questions (cached for a frozen version), the answers, the evidence links
and the assignments of one assessment in a fixed number of queries whatever the number of questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layak.accounts.models import Agency
from layak.accounts.selectors import Viewer
from layak.common.generations import generations, shared_value
from layak.common.numbers import format_number
from layak.frameworks.choices import AnswerType
from layak.frameworks.models import Indicator, IndicatorGroup, Question
from layak.frameworks.selectors import framework_indicators, framework_questions
from layak.scoring.instrument import InstrumentScore, QuestionScore, score_instrument, score_question

from . import permissions
from .choices import Stage
from .models import Assessment, DataSourceAgency, QuestionAnswer, QuestionAssignment, QuestionEvidence
from .prefill import ComputedValue, computed_values
from .question_missing import (  # noqa: F401 (re-exported)
    AssessmentFacts,
    MissingQuestion,
    assessment_facts,
    instrument_missing,
    stored_inputs,
)
from .question_services import UNREAD, can_edit_question, question_years
from .scoring_input import instrument_rules_load, question_input, question_rule
from .selectors import stage_closes_at
from .stamps import assessment_generation

ANSWER_FIELDS = ("question_id", "yes", "years", "text", "matriks", "note", "revision")


@dataclass
class QuestionRow:
    """One question of the assessment as the overview and the indicator page show it."""

    question: Question
    answer: QuestionAnswer | None
    agency: Agency | None
    score: QuestionScore
    evidence_count: int
    can_edit: bool
    offer: ComputedValue | None = None

    @property
    def offer_display(self) -> str:
        """The register's value as a person reads it: Yes/No, a number in the page's language, a pair as
        "numerator / denominator", a text as it is."""
        value = self.offer.value if self.offer else None
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, int | Decimal):
            return format_number(value)
        if isinstance(value, dict):
            return f"{format_number(Decimal(str(value.get('numerator', 0))))} / " + format_number(
                Decimal(str(value.get("denominator", 0)))
            )
        return str(value or "")

    @property
    def answered(self) -> bool:
        return self.score.reason != "missing"

    @property
    def needs_evidence(self) -> bool:
        return self.question.asks_evidence and self.evidence_count == 0

    @property
    def needs_matriks(self) -> bool:
        return self.question.answer_type == AnswerType.MATRIKS and not (self.answer and self.answer.matriks)

    @property
    def state(self) -> str:
        if not self.answered and not self.evidence_count:
            return "empty"
        return "incomplete" if (not self.answered or self.needs_evidence or self.needs_matriks) else "complete"


@dataclass
class Tally:
    """Answered questions and points of a group, an indicator or an OPD."""

    label: str
    code: str = ""
    answered: int = 0
    total: int = 0
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)
    rows: list[QuestionRow] = field(default_factory=list)
    children: list[Tally] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    def add(self, row: QuestionRow) -> None:
        self.rows.append(row)
        self.total += 1
        self.answered += row.state == "complete"
        self.points += row.score.points
        self.max_points += row.score.max_points


@dataclass
class InstrumentOverview:
    """One assessment on a question-level instrument: progress per group, indicator and OPD, and the self-score.

    `score` (total and predicate) is None for an OPD contributor, who sees their own questions' points only.
    """

    assessment: Assessment
    groups: list[Tally]
    agencies: list[Tally]
    score: InstrumentScore | None
    is_coordinator: bool
    window_open: bool
    closes_at: datetime
    #: What the tallies are kept under (empty for a version that may still change): the page keeps its list of
    #: groups and indicators under it too.
    key: str = ""

    @property
    def answered(self) -> int:
        return sum(g.answered for g in self.groups)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


def _sees_question(user: Viewer, assessment: Assessment, agency: Agency | None, sees_all: bool) -> bool:
    if sees_all:
        return True
    return agency is not None and agency.pk in permissions.contributor_agency_ids(user, assessment.region_id)


def _overview_tallies(
    assessment: Assessment, sees_all: bool, coordinator: bool, contributor_of: set[int]
) -> tuple[list[Tally], list[Tally], InstrumentScore | None]:
    rules = instrument_rules_load(assessment.cycle.framework)
    facts = assessment_facts(assessment)
    result = score_instrument(rules.rules, rules.bands, stored_inputs(rules, facts))
    groups: dict[int, Tally] = {}
    indicators: dict[int, Tally] = {}
    agencies: dict[str, Tally] = {}
    for question, score in zip(rules.questions, result.questions, strict=True):
        agency = facts.agencies.get(question.pk)
        if not (sees_all or (agency is not None and agency.pk in contributor_of)):
            continue
        can_edit = coordinator or (agency is not None and agency.pk in contributor_of)
        row = QuestionRow(
            question, facts.answers.get(question.pk), agency, score, facts.evidence.get(question.pk, 0), can_edit
        )
        indicator = question.indicator
        group = indicator.group
        if group.pk not in groups:
            groups[group.pk] = Tally(f"{group.code}. {group.display_name}", group.code)
        if indicator.pk not in indicators:
            indicators[indicator.pk] = Tally(indicator.display_name, indicator.code)
            groups[group.pk].children.append(indicators[indicator.pk])
        groups[group.pk].add(row)
        indicators[indicator.pk].add(row)
        label = str(agency) if agency else str(_("Not assigned yet"))
        agencies.setdefault(label, Tally(label)).add(row)
    # The overview lists groups, indicators and OPDs; each indicator's page lists its questions.
    for tally in [*groups.values(), *indicators.values(), *agencies.values()]:
        tally.rows = []
    return list(groups.values()), sorted(agencies.values(), key=lambda t: t.label), result if sees_all else None


def instrument_overview(assessment: Assessment, user: Viewer) -> InstrumentOverview:
    """Progress per group, indicator and OPD and the live self-score, in a fixed number of queries.

    The tallies and the score are kept (`shared_value`) under the assessment's generation (its answers, evidence,
    assignments and OPDs: `stamps`), the frozen framework version, the language and what this viewer sees (all
    questions, or those of their OPDs); a view after no change reads no answer. The window is worked out per view
    (it closes with time)."""
    framework = assessment.cycle.framework
    sees_all = permissions.sees_all_indicators(user, assessment)
    coordinator = permissions.is_region_coordinator(user, assessment)
    contributor_of = permissions.contributor_agency_ids(user, assessment.region_id)

    def tallies() -> tuple[list[Tally], list[Tally], InstrumentScore | None]:
        return _overview_tallies(assessment, sees_all, coordinator, contributor_of)

    key = ""
    if framework.frozen_at is None:
        groups, agencies, score = tallies()
    else:
        (generation,) = generations(assessment_generation(assessment.pk))
        scope = "all" if sees_all else ",".join(map(str, sorted(contributor_of)))
        key = (
            f"evaluations:overview:{assessment.pk}:{generation}:{framework.pk}:{framework.frozen_at.timestamp()}:"
            f"{int(coordinator)}:{scope}:{get_language()}"
        )
        groups, agencies, score = shared_value(key, tallies)
    closes_at = stage_closes_at(assessment.cycle, Stage.SELF_ASSESSMENT, assessment.region_id)
    start = assessment.cycle.self_assessment_start
    return InstrumentOverview(
        assessment=assessment,
        groups=groups,
        agencies=agencies,
        score=score,
        is_coordinator=coordinator,
        window_open=start <= timezone.now() <= closes_at,
        closes_at=closes_at,
        key=key,
    )


@dataclass
class IndicatorPage:
    """One indicator of the assessment with its questions (the user's visible ones), evidence and offers."""

    assessment: Assessment
    indicator: Indicator
    rows: list[QuestionRow]
    links: dict[int, list[QuestionEvidence]]
    years: dict[int, list[int]]
    is_coordinator: bool
    agencies: list[Agency]
    offers: dict[int, ComputedValue] = field(default_factory=dict)


def question_offers(assessment: Assessment, questions: list[Question]) -> dict[int, ComputedValue]:
    """Register values offered to the questions that name a computed key, by question id (no query and no
    provider call when none does)."""
    keyed = {q.pk: q.computed_key for q in questions if q.computed_key}
    if not keyed:
        return {}
    computed = computed_values(assessment.region, assessment.cycle.year)
    return {pk: computed[key] for pk, key in keyed.items() if key in computed}


def _indicator_of(assessment: Assessment, code: str) -> Indicator:
    """The indicator of the assessment's framework with this code, with its group (from memory for a frozen
    version); 404 otherwise."""
    framework = assessment.cycle.framework
    if framework.frozen_at is not None:
        found = next((i for i in framework_indicators(framework) if i.code == code), None)
        if found is None:
            raise Http404(_("No such indicator in this instrument."))
        return found
    return get_object_or_404(Indicator.objects.select_related("group"), version_id=framework.pk, code=code)


def instrument_indicator_page(assessment: Assessment, user: Viewer, code: str) -> IndicatorPage:
    """The questions of one indicator with their answers, scores and evidence (fixed number of queries); 404
    for an indicator outside the cycle's framework or with no question the user may see."""
    indicator = _indicator_of(assessment, code)
    rules = instrument_rules_load(assessment.cycle.framework)
    questions = [q for q in rules.questions if q.indicator_id == indicator.pk]
    facts = assessment_facts(assessment, [q.pk for q in questions])
    own_rules = [rule for rule, q in zip(rules.rules, rules.questions, strict=True) if q.indicator_id == indicator.pk]
    result = score_instrument(own_rules, rules.bands, stored_inputs(rules, facts))
    sees_all = permissions.sees_all_indicators(user, assessment)
    coordinator = permissions.is_region_coordinator(user, assessment)
    rows = []
    for question, score in zip(questions, result.questions, strict=True):
        agency = facts.agencies.get(question.pk)
        if not _sees_question(user, assessment, agency, sees_all):
            continue
        assignment = QuestionAssignment(agency=agency) if agency else None
        can_edit = can_edit_question(user, assessment, assignment)
        rows.append(
            QuestionRow(
                question, facts.answers.get(question.pk), agency, score, facts.evidence.get(question.pk, 0), can_edit
            )
        )
    if not rows:
        raise Http404(_("No question of this indicator is assigned to you."))
    links: dict[int, list[QuestionEvidence]] = {}
    for link in (
        QuestionEvidence.objects.filter(assessment=assessment, question_id__in=[r.question.pk for r in rows])
        .select_related("evidence__current_file")
        .order_by("linked_at", "pk")
    ):
        links.setdefault(link.question_id, []).append(link)
    agencies = list(Agency.objects.filter(region=assessment.region).order_by("name")) if coordinator else []
    offers = question_offers(assessment, [row.question for row in rows])
    for row in rows:
        row.offer = offers.get(row.question.pk)
    return IndicatorPage(
        assessment=assessment,
        indicator=indicator,
        rows=rows,
        links=links,
        years={row.question.pk: question_years(assessment, row.question) for row in rows},
        is_coordinator=coordinator,
        agencies=agencies,
        offers=offers,
    )


def question_row(
    assessment: Assessment, user: Viewer, question: Question, assignment: QuestionAssignment | None = UNREAD
) -> QuestionRow:
    """One question as the indicator page shows it (answer, evidence count, self-score, OPD, whether the user may
    edit it), without reading the rest of its indicator: three queries, for the status line an autosave answers
    with. Register offers are not read (the status line does not show them). `question` needs
    `indicator__group` loaded (`question_get`). `assignment`: the question's assignment with its agency, when the
    caller read it (`question_check_visible`; then two queries)."""
    known = None
    if assignment is not UNREAD:
        known = {question.pk: assignment.agency} if assignment is not None else {}
    facts = assessment_facts(assessment, [question.pk], agencies=known)
    answer = facts.answers.get(question.pk)
    evidence = facts.evidence.get(question.pk, 0)
    given = None
    if answer is not None or evidence:
        given = question_input(
            question.answer_type,
            answer.yes if answer else None,
            answer.years if answer else {},
            answer.text if answer else "",
            answer.matriks if answer else [],
            evidence > 0,
        )
    agency = facts.agencies.get(question.pk)
    assignment = QuestionAssignment(agency=agency) if agency else None
    can_edit = can_edit_question(user, assessment, assignment)
    return QuestionRow(question, answer, agency, score_question(question_rule(question), given), evidence, can_edit)


def question_row_saved(row: QuestionRow, answer: QuestionAnswer) -> QuestionRow:
    """The row read before a save, with the answer the save wrote (no query: a value save changes neither the
    question's evidence nor its OPD)."""
    evidence = row.evidence_count
    given = question_input(
        row.question.answer_type, answer.yes, answer.years, answer.text, answer.matriks, evidence > 0
    )
    score = score_question(question_rule(row.question), given)
    return QuestionRow(row.question, answer, row.agency, score, evidence, row.can_edit)


def question_get(assessment: Assessment, question_id: int) -> Question:
    """A question of the assessment's framework (404 otherwise), with indicator and group (no query for a frozen
    framework, whose questions are read once per process: read the question, never change it)."""
    framework = assessment.cycle.framework
    if framework.frozen_at is not None:
        question = {q.pk: q for q in framework_questions(framework)}.get(question_id)
        if question is None:
            raise Http404
        return question
    return get_object_or_404(
        Question.objects.select_related("indicator__group"),
        pk=question_id,
        indicator__version_id=assessment.cycle.framework_id,
    )


def question_check_visible(user: Viewer, assessment: Assessment, question: Question) -> QuestionAssignment | None:
    """The question's assignment; 404 for a user who may not see the question."""
    assignment = (
        QuestionAssignment.objects.filter(assessment=assessment, question=question).select_related("agency").first()
    )
    if permissions.sees_all_indicators(user, assessment):
        return assignment
    if assignment is None or assignment.agency_id not in permissions.contributor_agency_ids(user, assessment.region_id):
        raise Http404(_("This question is not assigned to you."))
    return assignment


def data_source_names(assessment: Assessment) -> list[str]:
    """Every data source the framework's questions name, sorted."""
    rules = instrument_rules_load(assessment.cycle.framework)
    return sorted({source for question in rules.questions for source in question.data_sources})


def data_source_mapping(assessment: Assessment) -> dict[str, Agency]:
    rows = DataSourceAgency.objects.filter(region=assessment.region).select_related("agency")
    return {row.source: row.agency for row in rows}


def indicator_groups(assessment: Assessment) -> list[IndicatorGroup]:
    return list(IndicatorGroup.objects.filter(version_id=assessment.cycle.framework_id).order_by("order"))
