"""The checks on the 2024 instrument, question by question (kla-2024): Gugus Tugas question 2.1 with an expired
SK, its likely score drop and recovery, flags on the indicator page, an OPD seeing only its own questions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from layak.evaluations import question_services
from layak.evaluations.models import QuestionAssignment
from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.evidence import services as evidence_services
from layak.frameworks.models import FrameworkVersion, Question
from layak.frameworks.services import frameworks_load_all
from layak.readiness import selectors
from layak.readiness.models import Flag
from layak.readiness.services import question_rule, run_readiness, run_readiness_after_change
from layak.regions.tests.factories import make_region

from .factories import decree_upload

REGION_NAME = "Kota Administrasi Jakarta Pusat"


@pytest.fixture
def kla_2024(db):
    frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug="kla-2024")
    assessment = make_assessment(make_cycle(framework, year=2024), "31.71")
    make_region("31.75")
    gugus = Question.objects.select_related("indicator").get(
        indicator__version=framework, indicator__code="2", code="1"
    )
    return assessment, gugus


def test_rules_come_from_the_question(kla_2024):
    assessment, gugus = kla_2024
    rule = question_rule("kla-2024", gugus)
    assert rule.document_kind == "decree" and rule.window_years == 1
    framework = assessment.cycle.framework
    two_years = Question.objects.filter(indicator__version=framework, years_asked=2).select_related("indicator").first()
    assert question_rule("kla-2024", two_years).years == 2
    matriks = (
        Question.objects.filter(indicator__version=framework, asks_matriks=True).select_related("indicator").first()
    )
    assert question_rule("kla-2024", matriks).asks_matriks


def test_expired_decree_on_question_2_1_then_fixed(
    kla_2024, region_coordinator, province_verifier, login, django_capture_on_commit_callbacks
):
    assessment, gugus = kla_2024
    with django_capture_on_commit_callbacks(execute=True):
        question_services.question_answer_save(
            user=region_coordinator, assessment=assessment, question=gugus, yes=True, expected_revision=0
        )
        link = question_services.question_evidence_upload(
            user=region_coordinator,
            assessment=assessment,
            question=gugus,
            upload=decree_upload(REGION_NAME, 2018, 2020),
            title="SK Gugus Tugas KLA",
        )
    flag = Flag.objects.get(assessment=assessment)
    assert (flag.item_code, flag.check_code) == ("1", "decree_expired")
    assert flag.points_at_risk == gugus.max_points > 0
    readiness = selectors.readiness_for_assessment(user=region_coordinator, assessment=assessment)
    assert readiness.self_total - readiness.likely_total == gugus.max_points
    assert readiness.fixes[0].item.label.startswith("2.1 ")

    page = login(province_verifier).get(f"/readiness/assessments/{assessment.pk}/").content.decode()
    assert "Decree period does not cover the year" in page and "Mark this flag as wrong" in page
    indicator_page = (
        login(region_coordinator).get(f"/evaluations/assessments/{assessment.pk}/instrument/2/").content.decode()
    )
    assert "2.1 · Decree period does not cover the year" in indicator_page

    with django_capture_on_commit_callbacks(execute=True):
        evidence_services.evidence_replace_file(
            user=region_coordinator, evidence=link.evidence, upload=decree_upload(REGION_NAME, 2023, 2025, "baru.docx")
        )
    assert not Flag.objects.filter(assessment=assessment).exists()
    readiness = selectors.readiness_for_assessment(user=region_coordinator, assessment=assessment)
    assert readiness.likely_total == readiness.self_total


def test_opd_sees_only_its_questions(kla_2024, region_coordinator, opd_contributor, django_capture_on_commit_callbacks):
    assessment, gugus = kla_2024
    with django_capture_on_commit_callbacks(execute=True):
        question_services.question_answer_save(
            user=region_coordinator, assessment=assessment, question=gugus, yes=True, expected_revision=0
        )
        question_services.question_evidence_upload(
            user=region_coordinator, assessment=assessment, question=gugus,
            upload=decree_upload(REGION_NAME, 2018, 2020), title="SK",
        )  # fmt: skip
    assert selectors.readiness_for_assessment(user=opd_contributor, assessment=assessment).indicators == []
    QuestionAssignment.objects.create(assessment=assessment, question=gugus, agency=opd_contributor.roles.get().agency)
    mine = selectors.readiness_for_assessment(user=opd_contributor, assessment=assessment)
    assert [item.code for row in mine.indicators for item in row.items] == ["1"]
    assert mine.likely_total == mine.self_total - Decimal(gugus.max_points)


def _flags(assessment) -> set[tuple[int, str, int | None, str]]:
    return set(
        Flag.objects.filter(assessment=assessment).values_list("indicator_id", "item_code", "evidence_id", "check_code")
    )


def test_an_autosave_rechecks_its_question_and_those_sharing_its_file_as_a_whole_run_would(
    kla_2024, region_coordinator, django_capture_on_commit_callbacks
):
    assessment, gugus = kla_2024
    other = (
        Question.objects.select_related("indicator")
        .filter(indicator__version=assessment.cycle.framework, answer_type="yes_no")
        .exclude(pk=gugus.pk)
        .order_by("pk")
        .first()
    )
    with django_capture_on_commit_callbacks(execute=True):
        for question, yes in ((gugus, True), (other, False)):
            question_services.question_answer_save(
                user=region_coordinator, assessment=assessment, question=question, yes=yes, expected_revision=0
            )
        link = question_services.question_evidence_upload(
            user=region_coordinator, assessment=assessment, question=gugus,
            upload=decree_upload(REGION_NAME, 2018, 2020), title="SK Gugus Tugas KLA",
        )  # fmt: skip
        question_services.question_evidence_link(
            user=region_coordinator, assessment=assessment, question=other, evidence=link.evidence
        )
    reused = {flag[:2] for flag in _flags(assessment) if flag[3] == "contradictory_reuse"}
    assert reused == {(gugus.indicator_id, gugus.code), (other.indicator_id, other.code)}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        question_services.question_answer_save(
            user=region_coordinator, assessment=assessment, question=other, yes=True, expected_revision=1
        )
    # one readiness run (the other callbacks bump the page generations, decision 0032)
    assert len([c for c in callbacks if getattr(c, "func", None) is run_readiness_after_change]) == 1
    after = _flags(assessment)
    # gugus's answer did not change, but its "same file, contradicting answers" flag went with the contradiction
    assert not any(flag[3] == "contradictory_reuse" for flag in after)
    assert any(flag[3] == "decree_expired" for flag in after)
    whole = run_readiness(assessment.pk)
    assert (whole.added, whole.removed) == (0, 0) and _flags(assessment) == after


def test_a_partial_run_leaves_the_flags_of_other_questions_alone(kla_2024, region_coordinator):
    assessment, gugus = kla_2024
    question_services.question_answer_save(
        user=region_coordinator, assessment=assessment, question=gugus, yes=True, expected_revision=0
    )
    question_services.question_evidence_upload(
        user=region_coordinator, assessment=assessment, question=gugus,
        upload=decree_upload(REGION_NAME, 2018, 2020), title="SK Gugus Tugas KLA",
    )  # fmt: skip
    run_readiness(assessment.pk)
    before = _flags(assessment)
    assert before
    unrelated = Question.objects.filter(indicator__version=assessment.cycle.framework).exclude(pk=gugus.pk).first()
    result = run_readiness(assessment.pk, [unrelated.pk])
    assert result.items == 0 and _flags(assessment) == before
    result = run_readiness(assessment.pk, [gugus.pk])
    assert (result.added, result.removed) == (0, 0) and _flags(assessment) == before
