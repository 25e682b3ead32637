"""Issue 16 in a real Chromium: Kota Mojokerto's DP3A attaches an expired SK Gugus Tugas to K2, sees it flagged
with the points at risk and the likely verified score drop, replaces it with the decree in force and sees the
score recover; the province verifier sees the flag that remains (a training list whose total disagrees).
Desktop and phone width; screenshots in test-artifacts/."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from layak.accounts.choices import Role

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REGION = "35.76"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def mojokerto(transactional_db):
    """Kota Mojokerto's open 2026 assessment on kla-2021, K2 answered with a training list that disagrees."""
    from layak.accounts.tests.factories import make_user_with_role
    from layak.evaluations import services
    from layak.evaluations.tests.factories import make_assessment, make_cycle
    from layak.frameworks.models import FrameworkVersion, Indicator
    from layak.frameworks.services import frameworks_load_all
    from layak.readiness import demo
    from layak.regions.tests.factories import make_region

    frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug="kla-2021")
    assessment = make_assessment(make_cycle(framework, year=2026), REGION)
    make_region("35.16")  # Kabupaten Mojokerto: another kab/kota in the regions table
    coordinator = make_user_with_role("dp3a_mojokerto", Role.REGION_COORDINATOR, REGION)
    verifier = make_user_with_role("verifikator_jatim", Role.PROVINCE_VERIFIER, "35")
    k2 = Indicator.objects.get(version=framework, code="K2")
    services.answer_save(user=coordinator, assessment=assessment, indicator=k2, values=demo.ANSWER, expected_revision=0)
    services.answer_evidence_upload(
        user=coordinator,
        assessment=assessment,
        indicator=k2,
        upload=SimpleUploadedFile("daftar.xlsx", demo.training_list(demo.REGION_NAME, [6, 5, 4, 3, 2])),
        title="Daftar SDM terlatih KHA (data contoh)",
        element_code="kha_trained_staff",
    )
    return assessment, coordinator, verifier


def _sign_in(page, live_server, client, user):
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def _decree(tmp_path: Path, start: int, end: int, name: str) -> Path:
    from layak.readiness import corpus

    paragraphs = corpus.decree_text("Kota Mojokerto", start, end, date(start, 3, 1), random.Random(start))
    path = tmp_path / name
    path.write_bytes(corpus.docx_bytes(["Data contoh.", *paragraphs]))
    return path


def _points(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d,.-]", "", text).replace(",", "."))


@pytest.mark.browser
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_expired_decree_flagged_then_fixed(page, live_server, client, mojokerto, tmp_path, viewport):
    assessment, coordinator, verifier = mojokerto
    size = "phone" if viewport["width"] < 600 else "desktop"
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(viewport)
    _sign_in(page, live_server, client, coordinator)
    readiness = f"{live_server.url}/readiness/assessments/{assessment.pk}/"
    page.goto(readiness)
    before = _points(page.get_by_test_id("likely-total").inner_text())

    # Attach the 2018-2020 SK to the Gugus Tugas decree item of K2.
    page.goto(f"{live_server.url}/evaluations/assessments/{assessment.pk}/indicators/K2/")
    box = page.locator("details.ev-attach-box", has=page.locator("#evidence-upload-form"))
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    page.locator("#evidence-upload-form input[type=file]").set_input_files(
        str(_decree(tmp_path, 2018, 2020, "sk-gt.docx"))
    )
    page.locator("#id_title").fill("SK Gugus Tugas KLA")
    page.locator("#id_element").select_option("gt_decree")
    page.locator("#evidence-upload-form button[type=submit]").click()
    flags = page.locator(".rd-flags")
    flags.get_by_text("Decree period does not cover the year").wait_for()
    assert "2018–2020" in flags.inner_text() and "18.00 points at risk" in flags.inner_text()  # noqa: RUF001
    page.screenshot(path=str(ARTIFACTS / f"readiness-flag-{size}.png"), full_page=True)

    page.goto(readiness)
    dropped = _points(page.get_by_test_id("likely-total").inner_text())
    assert before - dropped == Decimal("18.00")
    fixes = page.locator("ol.rd-fixes > li")
    assert "+18.00" in fixes.first.inner_text() and "renewed SK" in fixes.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(ARTIFACTS / f"readiness-page-{size}.png"), full_page=True)

    # Replace the decree with the one in force in 2026: the score recovers.
    page.goto(f"{live_server.url}/evaluations/assessments/{assessment.pk}/indicators/K2/")
    detail = page.locator(".ev-evidence-item", has_text="SK Gugus Tugas KLA").get_by_role("link", name="details")
    detail.click()
    page.locator("form[action*='replace'] input[type=file]").set_input_files(
        str(_decree(tmp_path, 2025, 2027, "sk-gt-2025.docx"))
    )
    page.locator("form[action*='replace'] button[type=submit]").click()
    page.wait_for_load_state("load")
    page.goto(readiness)
    recovered = _points(page.get_by_test_id("likely-total").inner_text())
    assert recovered == before
    assert "Decree period does not cover the year" not in page.content()
    page.screenshot(path=str(ARTIFACTS / f"readiness-recovered-{size}.png"), full_page=True)

    # The verifier sees the flag that remains and can mark it as wrong.
    _sign_in(page, live_server, client, verifier)
    page.goto(readiness)
    body = page.locator("main").inner_text()
    assert "MATRIKS total differs from the answer" in body and "Decree period" not in body
    assert page.get_by_role("button", name="Mark this flag as wrong").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"readiness-verifier-{size}.png"), full_page=True)
