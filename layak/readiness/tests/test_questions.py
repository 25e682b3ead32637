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
from layak.readiness.services import question_rule
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
