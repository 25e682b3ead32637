"""A region coordinator builds the evidence library in a real Chromium: upload, resume, list, download."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from layak.evidence.tests.factories import PDF_BYTES, pdf_of_size

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LIBRARY = "/evidence/region/31.71/"


@pytest.fixture
def coordinator_page(transactional_db, page, live_server, client, region_coordinator):
    """The browser page signed in as the Jakarta Pusat coordinator (session cookie from the test client)."""
    client.force_login(region_coordinator)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    ARTIFACTS.mkdir(exist_ok=True)
    return page


def _choose(page, name: str, data: bytes | Path) -> None:
    files = data if isinstance(data, Path) else {"name": name, "mimeType": "application/pdf", "buffer": data}
    page.locator("#evidence-upload-form input[type=file]").set_input_files(files)


@pytest.mark.browser
def test_coordinator_uploads_a_pdf_and_downloads_it(coordinator_page, live_server):
    page = coordinator_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + LIBRARY)
    _choose(page, "SK Gugus Tugas KLA.pdf", PDF_BYTES)
    page.locator("#id_title").fill("SK Gugus Tugas KLA 2025")
    page.locator("#evidence-upload-form button[type=submit]").click()
    row = page.locator("tr", has_text="SK Gugus Tugas KLA 2025")
    row.wait_for()
    assert row.is_visible() and "PDF" in row.inner_text() and "application/pdf" not in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("Download|Unduh")).click()
    download = download_info.value
    assert Path(download.path()).read_bytes() == PDF_BYTES
    assert download.suggested_filename == "SK Gugus Tugas KLA.pdf"
    page.screenshot(path=str(ARTIFACTS / "evidence-library.png"), full_page=True)


@pytest.mark.browser
def test_interrupted_upload_resumes_after_reload_on_a_phone(coordinator_page, live_server, tmp_path):
    page = coordinator_page
    page.set_viewport_size({"width": 390, "height": 844})
    # A file on disk keeps its modification time, which the script uses to recognise the same file again.
    data = tmp_path / "RAD KLA.pdf"
    data.write_bytes(pdf_of_size(int(2.5 * 1024 * 1024)))
    second_part = re.compile(r"/api/v1/evidence/uploads/[0-9a-f-]+\?offset=1048576$")
    page.goto(live_server.url + LIBRARY)
    page.route(second_part, lambda route: route.abort())
    _choose(page, "RAD KLA.pdf", data)
    with page.expect_event("requestfailed", lambda request: bool(second_part.search(request.url))):
        page.locator("#evidence-upload-form button[type=submit]").click()
    page.unroute(second_part)
    page.reload()  # the connection dropped and the user came back
    held = []  # hold the resumed part so the "resuming" message can be seen before the upload finishes
    page.route(second_part, lambda route: held.append(route))
    _choose(page, "RAD KLA.pdf", data)
    page.locator("#evidence-upload-form button[type=submit]").click()
    page.locator(".upload-status", has_text=re.compile(r"\b1,0\sMB\b")).wait_for()
    page.screenshot(path=str(ARTIFACTS / "evidence-resuming-phone.png"))
    assert len(held) == 1  # the first part after the reload starts at the server's offset, not at 0
    held[0].continue_()
    page.locator("tr", has_text="RAD KLA.pdf").wait_for()
    page.wait_for_load_state("load")  # the row can exist before the phone stylesheet applies
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "evidence-library-phone.png"), full_page=True)
