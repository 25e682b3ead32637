"""An OPD contributor fills two assigned indicators with evidence; the coordinator sees the progress and submits.

Runs in Chromium, partly on a 390 px wide phone screen: a PDF goes up through the chunked uploader of the
indicator form, a link is added to the other indicator, and what was typed survives both page loads as a draft.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layak.evidence.tests.factories import PDF_BYTES

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "layak-test-pass"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def jakpus(transactional_db, region_coordinator, opd_contributor):
    """Jakarta Pusat's assessment: I1 and I2 assigned to Dinkes, K1 already answered by the coordinator."""
    from layak.evaluations.models import IndicatorAssignment
    from layak.evaluations.services import answer_save
    from layak.evaluations.tests.factories import COMPLETE, attach_evidence, make_assessment, make_cycle, make_framework
    from layak.frameworks.models import Indicator

    assessment = make_assessment(make_cycle(make_framework()))
    indicators = {i.code: i for i in Indicator.objects.all()}
    agency = opd_contributor.roles.get().agency
    for code in ("I1", "I2"):
        IndicatorAssignment.objects.create(assessment=assessment, indicator=indicators[code], agency=agency)
    answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["K1"],
        values=COMPLETE["K1"],
        expected_revision=0,
    )
    attach_evidence(assessment, indicators["K1"], element_code="policy_docs", name="Perda KLA.pdf")
    return assessment


def log_in(page, live_server, username):
    page.context.clear_cookies()
    # English, so the assertions read the msgids (Django's own catalog already translates "Save" to Indonesian).
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked [type=submit]").click()
    page.wait_for_load_state()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"evaluations-{name}.png"), full_page=True)


@pytest.mark.browser
def test_contributor_fills_two_indicators_and_the_coordinator_submits(page, live_server, jakpus):
    ARTIFACTS.mkdir(exist_ok=True)
    overview = f"{live_server.url}/evaluations/assessments/{jakpus.pk}/"

    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "dinkes_jakpus")
    page.goto(live_server.url + "/evaluations/")
    page.get_by_role("link", name="Kota Administrasi Jakarta Pusat").click()
    assert page.locator(".ev-indicator").count() == 2  # only the two assigned indicators

    page.get_by_role("link", name="I1 Indikator I1").click()
    page.fill("#id_v_children_total", "1000")
    page.fill("#id_v_children_with_akta", "1200")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "This cannot be more than" in page.locator(".errorlist").inner_text()
    page.fill("#id_v_children_with_akta", "950")
    page.fill("#id_narrative_done", "Pelayanan akta kelahiran keliling di 8 kecamatan.")
    assert "No evidence yet" in page.locator(".ev-type-document").inner_text()
    # The PDF goes up in parts through the evidence API, is linked, and the typing is kept as a draft.
    page.locator("#evidence-upload-form input[type=file]").set_input_files(
        {"name": "Rekap akta kelahiran.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.fill("#id_title", "Rekap akta kelahiran 2025")
    page.get_by_role("button", name="Upload and attach").click()
    page.locator(".ev-evidence-item", has_text="Rekap akta kelahiran 2025").wait_for()
    assert "now supports indicator I1" in page.locator(".messages").inner_text()
    assert page.input_value("#id_v_children_with_akta") == "950"  # restored from the draft
    assert "1 evidence item attached" in page.locator(".ev-type-document").inner_text()
    shot(page, "form-desktop")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(overview)
    assert "Indicator I1 saved." in page.locator(".messages").inner_text()

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="I2 Indikator I2").click()
    page.fill("#id_v_immunisation_pct", "96,5")
    page.select_option("#id_v_data_quality", "full")
    page.fill("#id_narrative_todo", "Dua puskesmas belum melapor.")
    page.locator("summary", has_text="Add a link to a document").click()
    page.fill("#url_url", "https://dinkes.example.go.id/laporan-imunisasi-2025.pdf")
    page.fill("#url_title", "Laporan imunisasi 2025")
    page.get_by_role("button", name="Add link").click()
    page.locator(".ev-evidence-item", has_text="Laporan imunisasi 2025").wait_for()
    assert page.input_value("#id_v_immunisation_pct") == "96,5"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "form-phone")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(overview)
    shot(page, "overview-contributor-phone")

    log_in(page, live_server, "koordinator_jakpus")
    page.set_viewport_size(DESKTOP)
    page.goto(overview)
    assert "3 of 3 indicators answered" in page.locator("main").inner_text()
    assert page.locator(".ev-state-complete").count() == 3
    assert page.locator(".ev-score .ev-band").inner_text() == "Kla"
    shot(page, "overview-desktop")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "overview-phone")

    page.get_by_role("button", name="Submit the self-assessment").click()
    assert page.locator(".confirm-warning").is_visible()  # it asks first, saying what cannot be undone
    page.locator(".confirm-form button[type=submit]").click()
    page.wait_for_url(overview)
    assert "has been submitted" in page.locator(".messages").inner_text()
    assert page.locator("h1 .badge").inner_text() == "Province verification"  # where it stands, in words
    shot(page, "submitted-phone")
