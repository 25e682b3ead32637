"""The region coordinator opens the evaluation report from its URL and downloads the PDF (Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not apps.is_installed("layak.reports"),
    reason="layak.reports is not wired yet: add it to INSTALLED_APPS and path('reports/', ...) to config/urls.py",
)


@pytest.fixture
def report_url(transactional_db, region_coordinator):
    """Jakarta Pusat's assessment with narratives, every stage's scores and the final result."""
    from layak.accounts.tests.factories import make_agency
    from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework
    from layak.frameworks.models import Indicator
    from layak.reports.tests.factories import make_answers, make_final, make_snapshot

    assessment = make_assessment(make_cycle(make_framework()))
    make_answers(assessment, {i.code: i for i in Indicator.objects.all()}, make_agency("31.71", "Bappeda"))
    for stage in ("self", "province", "central", "field"):
        make_snapshot(assessment, stage)
    make_final(assessment)
    return f"/reports/assessments/{assessment.pk}/"


@pytest.mark.browser
def test_coordinator_opens_the_report_and_downloads_the_pdf(page, live_server, client, region_coordinator, report_url):
    client.force_login(region_coordinator)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + report_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Kota Administrasi Jakarta Pusat"
    assert page.get_by_role("img", name="Points per cluster, Final").is_visible()  # the SVG chart, no JavaScript
    assert page.locator("table.rp-indicators").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-assessment.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "kla-report-2025-31.71.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
