"""The ministry's 2024 instrument in the browser: the coordinator answers a percentage question with its two years
(Indonesian numbers, saved as they type), attaches a document to a yes/no question and sees the score move; an
OPD contributor on a 390 px phone answers the question assigned to its agency."""

from __future__ import annotations

from pathlib import Path

import pytest

from layak.evidence.tests.factories import PDF_BYTES

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "layak-test-pass"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def a24(transactional_db, region_coordinator, opd_contributor):
    """Jakarta Pusat's assessment in a kla-2024 cycle; question 12.1 (persalinan di faskes) assigned to Dinkes."""
    from django.conf import settings

    from layak.evaluations.models import QuestionAssignment
    from layak.evaluations.tests.factories import make_assessment, make_cycle
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import framework_load_file

    framework_load_file(Path(settings.LAYAK_FRAMEWORKS_DIR) / "kla-2024.yaml")
    assessment = make_assessment(make_cycle(FrameworkVersion.objects.get(slug="kla-2024"), year=2024))
    question = Question.objects.get(indicator__version__slug="kla-2024", indicator__code="12", code="1")
    agency = opd_contributor.roles.get().agency
    QuestionAssignment.objects.create(assessment=assessment, question=question, agency=agency)
    return assessment


def log_in(page, live_server, username, language="en"):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked [type=submit]").click()
    page.wait_for_load_state()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"instrument-{name}.png"), full_page=True)


def question_id(indicator: str, code: str) -> int:
    from layak.frameworks.models import Question

    return Question.objects.get(indicator__version__slug="kla-2024", indicator__code=indicator, code=code).pk


@pytest.mark.browser
def test_percentage_with_two_years_and_evidence_on_desktop_then_the_opd_on_a_phone(page, live_server, a24, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "koordinator_jakpus", language="id")
    page.goto(f"{live_server.url}/evaluations/assessments/{a24.pk}/")
    assert "0,00" in page.get_by_test_id("instrument-score").inner_text()
    page.get_by_role("link", name="4 Anak yang diregistrasi").click()

    # 4.1 asks for the percentage of registered children in the last two years: numerator and denominator each.
    q41 = question_id("4", "1")
    block = page.locator(f"#q-{q41}")
    block.locator(f"#id_q{q41}-num_2023").fill("1.234")
    block.locator(f"#id_q{q41}-den_2023").fill("2.000")
    block.locator(f"#id_q{q41}-num_2024").fill("1.912")
    block.locator(f"#id_q{q41}-den_2024").fill("2.000")
    block.locator(f"#id_q{q41}-den_2024").blur()
    page.locator(f"#q-{q41} .ev-saved").wait_for()  # saved by htmx as the boxes change
    assert "95,60%" in page.locator(f"#q-{q41}").get_by_test_id("percent-2024").inner_text()
    assert "61,70%" in page.locator(f"#q-{q41}").get_by_test_id("percent-2023").inner_text()
    shot(page, "percentage-desktop")

    # 4.4 is a yes/no question that asks for documents: yes alone earns nothing, the document earns the points.
    q44 = question_id("4", "4")
    page.locator(f"#q-{q44} input[value=true]").check()
    page.locator(f"#q-{q44} .ev-saved").wait_for()
    assert "Skor mandiri 0,00 dari 5" in page.locator(f"#q-{q44}").get_by_test_id("question-points").inner_text()
    pdf = tmp_path / "mekanisme-akta.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.locator(f"#q-{q44} input[type=file]").first.set_input_files(str(pdf))
    page.locator(f"#q-{q44} .ev-inline-upload button").first.click()
    page.wait_for_load_state()
    assert "mekanisme-akta" in page.locator(f"#q-{q44}").inner_text()
    assert "Skor mandiri 5,00 dari 5" in page.locator(f"#q-{q44}").get_by_test_id("question-points").inner_text()
    page.goto(f"{live_server.url}/evaluations/assessments/{a24.pk}/")
    assert "5,00" in page.get_by_test_id("instrument-score").inner_text()
    shot(page, "overview-desktop")

    # The Dinkes contributor on a phone sees only its question and refuses a numerator above its denominator.
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "dinkes_jakpus")
    page.goto(f"{live_server.url}/evaluations/assessments/{a24.pk}/")
    assert page.locator(".ev-indicator").count() == 1
    page.get_by_role("link", name="12 Persalinan di Fasilitas Kesehatan").click()
    assert page.locator(".ev-question").count() == 1
    q121 = question_id("12", "1")
    page.fill(f"#id_q{q121}-num_2024", "1200")
    page.fill(f"#id_q{q121}-den_2024", "1000")
    page.locator(f"#id_q{q121}-den_2024").blur()
    page.locator(f"#q-{q121} .errorlist").wait_for()
    assert "cannot be larger than the denominator" in page.locator(f"#q-{q121} .errorlist").inner_text()
    page.fill(f"#id_q{q121}-num_2024", "950")
    page.locator(f"#id_q{q121}-num_2024").blur()
    page.locator(f"#q-{q121} .ev-saved").wait_for()
    assert "95.00%" in page.locator(f"#q-{q121}").get_by_test_id("percent-2024").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "percentage-phone")
