"""A province verifier grades a kla-2024 question with the partial-credit scale, on a desktop and on a phone;
the central evaluator then sees the grade carried forward as the point the central stage starts from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def a24(transactional_db, region_coordinator, province_verifier, independent_evaluator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layak.evaluations import question_services
    from layak.evaluations.tests.factories import PDF, make_assessment, make_cycle
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import framework_load_file
    from layak.frameworks.tests.conftest import SHIPPED
    from layak.reviews.tests.factories import assign, hand_over_letter, open_review_windows, submit

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
    assign(assessment, "central", independent_evaluator)
    hand_over_letter(assessment, province_verifier)
    return assessment


def _as(page, client, live_server, user):
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )


def _fits(page, size) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_a_verifier_grades_a_question_and_the_next_stage_starts_there(
    page, live_server, client, a24, province_verifier, independent_evaluator, size
):
    ARTIFACTS.mkdir(exist_ok=True)
    review = f"{live_server.url}/reviews/assessments/{a24.pk}/"
    page.set_viewport_size(SIZES[size])
    _as(page, client, live_server, province_verifier)
    page.goto(review)
    page.get_by_role("link", name=re.compile(r"^2\.1 ")).click()
    assert "SK Gugus Tugas KLA" in page.locator("main").inner_text()
    assert "starts from 3.00 points" in page.locator(".rv-started-from").inner_text()
    page.check("input[name=level][value='1/2']")
    page.get_by_role("button", name="Save the grade").click()
    page.wait_for_load_state()
    assert "needs a reason" in page.locator("main").inner_text() or "say why" in page.locator("main").inner_text()
    page.fill("#id_reason", "SK belum ditandatangani bupati")
    assert _fits(page, size)
    page.screenshot(path=str(ARTIFACTS / f"reviews-question-grade-{size}.png"), full_page=True)
    page.get_by_role("button", name="Save the grade").click()
    page.wait_for_load_state()
    assert "Grade of question 2.1 saved." in page.locator(".messages").inner_text()
    row = page.locator("table.rv-questions tr", has=page.get_by_role("link", name=re.compile(r"^2\.1 ")))
    assert "1.50" in row.inner_text()
    # The province approves; the central evaluator starts from the province's 1.50, not the self-score's 3.00.
    page.get_by_role("button", name="Approve", exact=True).click()
    page.locator(".confirm-form button[type=submit]").click()
    page.wait_for_load_state()
    _as(page, client, live_server, independent_evaluator)
    page.goto(review)
    row = page.locator("table.rv-questions tr", has=page.get_by_role("link", name=re.compile(r"^2\.1 ")))
    assert "1.50" in row.locator(".rv-previous").inner_text()
    assert _fits(page, size)
