"""A national admin asks for every report of a cycle: the job page shows it waiting, a worker runs it, and the
page (polled by htmx, no inline script) turns into the download link by itself. Desktop and a phone screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "layak-test-pass"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cycle(transactional_db, national_admin, settings):
    from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    cycle = make_cycle(make_framework())
    for code in ("31.71", "31.75", "63.71"):
        make_assessment(cycle, code)
    return cycle


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked [type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.browser
def test_the_report_bundle_page_follows_its_job_to_the_download(page, live_server, cycle):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "admin_pusat")
    page.goto(f"{live_server.url}/evaluations/cycles/{cycle.pk}/")
    page.get_by_role("link", name="Results table and every report (zip)").click()
    page.select_option("#bundle-scope", "")
    page.get_by_role("button", name="Prepare the reports").click()
    status = page.locator("#job-status")
    assert "Waiting for a worker" in status.inner_text()
    page.screenshot(path=str(ARTIFACTS / "jobs-bundle-waiting-desktop.png"), full_page=True)
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.get_by_role("link", name="Download the reports (zip)").wait_for(timeout=15000)
    assert "3 of 3 done" in status.inner_text() and "Finished" in status.inner_text()
    page.screenshot(path=str(ARTIFACTS / "jobs-bundle-done-desktop.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the reports (zip)").click()
    assert download.value.suggested_filename.endswith(".zip")
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "jobs-bundle-done-phone.png"), full_page=True)
    page.get_by_role("link", name="Back").click()
    assert page.locator(".rs-bundles li").count() == 1
    page.screenshot(path=str(ARTIFACTS / "jobs-results-bundles-phone.png"), full_page=True)
