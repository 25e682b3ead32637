"""A verifier reads why a kla-2024 region scored what it did, question by question, tries levels in the what-if
and opens the Rekap report, on a desktop and on a phone (screenshots in test-artifacts/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def graded(transactional_db, region_coordinator, province_verifier, independent_evaluator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layak.evaluations import question_services
    from layak.evaluations.tests.factories import PDF, make_assessment, make_cycle
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import framework_load_file
    from layak.frameworks.tests.conftest import SHIPPED
    from layak.reviews import services
    from layak.reviews.tests.factories import assign, open_review_windows, submit

    framework_load_file(SHIPPED / "kla-2024.yaml")
    framework = FrameworkVersion.objects.get(slug="kla-2024")
    assessment = make_assessment(open_review_windows(make_cycle(framework, year=2024)))
    question = Question.objects.get(indicator__version=framework, indicator__code="2", code="1")
    question_services.question_answer_save(
        user=region_coordinator, assessment=assessment, question=question, yes=True, expected_revision=0
    )
    question_services.question_evidence_upload(
        user=region_coordinator,
        assessment=assessment,
        question=question,
        upload=SimpleUploadedFile("sk.pdf", PDF + b"sk", content_type="application/pdf"),
        title="SK Gugus Tugas KLA",
    )
    submit(assessment, region_coordinator)
    assign(assessment, "province", province_verifier)
    services.question_grade_save(
        user=province_verifier, assessment=assessment, question=question, level="1/2", reason="SK belum ditandatangani"
    )
    return assessment


def _as(page, client, live_server, user):
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "id", "url": live_server.url},
        ]
    )


def _fits(page, size) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_explanation_whatif_and_rekap_report_question_by_question(
    page, live_server, client, graded, province_verifier, size
):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(SIZES[size])
    _as(page, client, live_server, province_verifier)
    page.goto(f"{live_server.url}/reviews/assessments/{graded.pk}/")
    page.get_by_role("link", name="Penjelasan", exact=True).click()
    main = page.locator("main").inner_text()
    assert "SK belum ditandatangani" in main and "1,50" in main
    assert "pertanyaan paling sedikit" in main
    assert _fits(page, size)
    page.screenshot(path=str(ARTIFACTS / f"question-explanation-{size}.png"), full_page=True)

    page.get_by_role("link", name="Coba dalam simulasi").click()
    page.wait_for_load_state()
    assert page.locator("#whatif-total").inner_text() != "1,50"  # the plan's levels are set
    page.goto(f"{live_server.url}/reviews/assessments/{graded.pk}/what-if/")
    page.select_option("select[name='q-2.1']", "1")
    expect(page.locator("#whatif-total")).to_have_text("3,00")
    assert "1 pertanyaan diubah" in page.locator("#whatif-result").inner_text()
    assert _fits(page, size)
    page.screenshot(path=str(ARTIFACTS / f"question-whatif-{size}.png"), full_page=False)

    page.goto(f"{live_server.url}/reports/assessments/{graded.pk}/")
    report = page.locator("main").inner_text()
    assert "SK Gugus Tugas KLA" in report and "dikunci saat pengiriman" in report
    assert _fits(page, size)
    page.locator("text=SK belum ditandatangani").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"question-report-{size}.png"), full_page=False)
