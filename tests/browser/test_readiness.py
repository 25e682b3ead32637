"""Issue 16 in a real Chromium, on the 2024 instrument: Kota Mojokerto's DP3A attaches an expired SK Gugus Tugas to
question 2.1, sees it flagged with the points at risk and the likely verified score drop, replaces it with the
decree in force and sees the score recover; the province verifier sees the flag that remains (question 5.3, a
data sheet whose total disagrees with the count typed). Desktop and phone width; screenshots in test-artifacts/."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layak.accounts.choices import Role

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REGION = "35.76"


@pytest.fixture
def mojokerto(transactional_db):
    """Kota Mojokerto's open 2026 assessment on kla-2024 as the demo leaves it (2.1 "yes", 5.3 disagreeing)."""
    from layak.accounts.tests.factories import make_user_with_role
    from layak.evaluations import question_services
    from layak.evaluations.tests.factories import make_assessment, make_cycle
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import frameworks_load_all
    from layak.readiness import demo
    from layak.regions.tests.factories import make_region

    frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug="kla-2024")
    assessment = make_assessment(make_cycle(framework, year=2026), REGION)
    make_region("35.16")  # Kabupaten Mojokerto: another kab/kota in the regions table
    coordinator = make_user_with_role("dp3a_mojokerto", Role.REGION_COORDINATOR, REGION)
    verifier = make_user_with_role("verifikator_jatim", Role.PROVINCE_VERIFIER, "35")
    questions = Question.objects.select_related("indicator").filter(indicator__version=framework)
    gugus = questions.get(indicator__code="2", code="1")
    ila = questions.get(indicator__code="5", code="3")
    question_services.question_answer_save(
        user=coordinator, assessment=assessment, question=gugus, yes=True, expected_revision=0
    )
    years = question_services.question_years(assessment, ila)
    question_services.question_answer_save(
        user=coordinator,
        assessment=assessment,
        question=ila,
        years={str(year): {"count": str(120 + 20 * n)} for n, year in enumerate(years)},
        expected_revision=0,
    )
    question_services.question_evidence_upload(
        user=coordinator,
        assessment=assessment,
        question=ila,
        upload=SimpleUploadedFile(
            "ila.xlsx", demo.data_sheet(demo.REGION_NAME, "Anak pengakses ILA", [40, 35, 30, 25])
        ),
        title="Data anak pengakses layanan ILA (data contoh)",
    )
    return assessment, coordinator, verifier, gugus


def _sign_in(page, live_server, client, user):
    client.force_login(user)
    page.context.clear_cookies()
    url = live_server.url
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}])
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])


def _decree(tmp_path: Path, start: int, end: int, name: str) -> Path:
    from layak.readiness import corpus

    paragraphs = corpus.decree_text("Kota Mojokerto", start, end, date(start, 3, 1), random.Random(start))
    path = tmp_path / name
    path.write_bytes(corpus.docx_bytes(["Data contoh.", *paragraphs]))
    return path


def _points(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d,.-]", "", text).replace(",", "."))


VIEWPORTS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_expired_decree_flagged_then_fixed(page, live_server, client, mojokerto, tmp_path, viewport):
    assessment, coordinator, verifier, gugus = mojokerto
    size = "phone" if viewport["width"] < 600 else "desktop"
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(viewport)
    _sign_in(page, live_server, client, coordinator)
    readiness = f"{live_server.url}/readiness/assessments/{assessment.pk}/"
    page.goto(readiness)
    likely_before = _points(page.get_by_test_id("likely-total").inner_text())
    risk_before = _points(page.get_by_test_id("points-at-risk").inner_text())

    # Attach the 2018-2020 SK to question 2.1 on the indicator page.
    page.goto(f"{live_server.url}/evaluations/assessments/{assessment.pk}/instrument/2/")
    upload = page.locator(
        f"form[action='{reverse('evaluations:question_evidence_upload', args=[assessment.pk, gugus.pk])}']"
    )
    upload.locator("input[type=file]").set_input_files(str(_decree(tmp_path, 2018, 2020, "sk-gt.docx")))
    upload.locator("input[type=text]").fill("SK Gugus Tugas KLA")
    upload.locator("button[type=submit]").click()
    flags = page.locator(".rd-flags")
    flags.get_by_text("Decree period does not cover the year").wait_for()
    text = flags.inner_text()
    assert "2.1" in text and "2018–2020" in text and "3.00 points at risk" in text  # noqa: RUF001
    page.screenshot(path=str(ARTIFACTS / f"readiness-flag-{size}.png"), full_page=True)

    page.goto(readiness)
    # The claim now has a document, so the self-score rises by 3; the likely verified score does not.
    assert _points(page.get_by_test_id("points-at-risk").inner_text()) == risk_before + Decimal("3.00")
    assert _points(page.get_by_test_id("likely-total").inner_text()) == likely_before
    fixes = page.locator("ol.rd-fixes > li")
    assert "+3.00" in fixes.first.inner_text() and "renewed SK" in fixes.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(ARTIFACTS / f"readiness-page-{size}.png"), full_page=True)

    # Replace the decree with the one in force in 2026: the score recovers.
    page.goto(f"{live_server.url}/evaluations/assessments/{assessment.pk}/instrument/2/")
    page.get_by_role("link", name="SK Gugus Tugas KLA").first.click()
    replace = page.locator("form[action*='replace']")
    replace.locator("input[type=file]").set_input_files(str(_decree(tmp_path, 2025, 2027, "sk-gt-2025.docx")))
    replace.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    page.goto(readiness)
    assert _points(page.get_by_test_id("likely-total").inner_text()) == likely_before + Decimal("3.00")
    assert _points(page.get_by_test_id("points-at-risk").inner_text()) == risk_before
    assert "Decree period does not cover the year" not in page.content()
    page.screenshot(path=str(ARTIFACTS / f"readiness-recovered-{size}.png"), full_page=True)

    # The verifier sees the flag that remains and can mark it as wrong.
    _sign_in(page, live_server, client, verifier)
    page.goto(readiness)
    body = page.locator("main").inner_text()
    assert "MATRIKS total differs from the answer" in body and "Decree period" not in body
    assert page.get_by_role("button", name="Mark this flag as wrong").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"readiness-verifier-{size}.png"), full_page=True)
