"""What a question-level assessment (kla-2024) still lacks before submission, and the stored facts it reads.

Kept apart from `question_selectors` (which reads the edit rules of `question_services`) so that the submission
service can import it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from layak.accounts.models import Agency
from layak.frameworks.choices import AnswerType
from layak.scoring.instrument import score_instrument

from .models import Assessment, QuestionAnswer, QuestionAssignment, QuestionEvidence
from .scoring_input import InstrumentRules, instrument_rules_load, question_input


@dataclass(frozen=True)
class AssessmentFacts:
    """The stored answers, evidence counts and assignments of one assessment (three queries)."""

    answers: dict[int, QuestionAnswer]
    evidence: dict[int, int]
    agencies: dict[int, Agency]


def assessment_facts(
    assessment: Assessment, question_ids: list[int] | None = None, *, agencies: dict[int, Agency] | None = None
) -> AssessmentFacts:
    """The facts of the assessment (or of these questions); `agencies` when the caller already read the questions'
    assignments (not read again)."""
    answers_qs = QuestionAnswer.objects.filter(assessment=assessment)
    evidence_qs = QuestionEvidence.objects.filter(assessment=assessment)
    assigned_qs = QuestionAssignment.objects.filter(assessment=assessment).select_related("agency")
    if question_ids is not None:
        answers_qs = answers_qs.filter(question_id__in=question_ids)
        evidence_qs = evidence_qs.filter(question_id__in=question_ids)
        assigned_qs = assigned_qs.filter(question_id__in=question_ids)
    answers = {a.question_id: a for a in answers_qs.select_related("updated_by")}
    evidence = dict(evidence_qs.values("question_id").annotate(n=Count("pk")).values_list("question_id", "n"))
    if agencies is None:
        agencies = {row.question_id: row.agency for row in assigned_qs}
    return AssessmentFacts(answers, evidence, agencies)


def stored_inputs(rules: InstrumentRules, facts: AssessmentFacts) -> dict[tuple[str, str], Any]:
    inputs = {}
    for question in rules.questions:
        answer = facts.answers.get(question.pk)
        has_evidence = facts.evidence.get(question.pk, 0) > 0
        if answer is None and not has_evidence:
            continue
        inputs[(question.indicator.code, question.code)] = question_input(
            question.answer_type,
            answer.yes if answer else None,
            answer.years if answer else {},
            answer.text if answer else "",
            answer.matriks if answer else [],
            has_evidence,
        )
    return inputs


@dataclass(frozen=True)
class MissingQuestion:
    indicator_code: str
    question_id: int
    message: str


def instrument_missing(assessment: Assessment) -> list[MissingQuestion]:
    """Questions without an answer, without the documents they ask for, or without their MATRIKS table."""
    rules = instrument_rules_load(assessment.cycle.framework)
    facts = assessment_facts(assessment)
    result = score_instrument(rules.rules, rules.bands, stored_inputs(rules, facts))
    missing = []
    for question, score in zip(rules.questions, result.questions, strict=True):
        answer = facts.answers.get(question.pk)
        code = question.full_code
        if score.reason == "missing":
            if question.answer_type == AnswerType.MATRIKS:
                message = _("Question %(code)s: upload its MATRIKS.") % {"code": code}
            else:
                message = _("Question %(code)s: not answered yet.") % {"code": code}
        elif question.asks_evidence and not facts.evidence.get(question.pk):
            message = _("Question %(code)s: attach the documents it asks for.") % {"code": code}
        elif question.answer_type == AnswerType.MATRIKS and not (answer and answer.matriks):
            message = _("Question %(code)s: upload its MATRIKS.") % {"code": code}
        else:
            continue
        missing.append(MissingQuestion(question.indicator.code, question.pk, message))
    return missing
