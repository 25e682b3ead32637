"""Kelana/Dekela end to end (Chromium): the Jakarta Pusat coordinator invites operators from a filled sheet on a
desktop, a kelurahan operator joins with the printed code and answers the checklist on a phone, and the
coordinator sees indicator 26's computed percentage with the kelurahan behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DESA = "31.71.01.1001"  # Kelurahan Gambir


def _sign_in(page, client, user, live_server):
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )


@pytest.fixture
def world(transactional_db):
    from layak.villages.tests.factories import kla2024_cycle, make_subtree

    make_subtree("31.71")
    ARTIFACTS.mkdir(exist_ok=True)
    return kla2024_cycle()


def _upload(tmp_path: Path) -> Path:
    from layak.villages.tests.factories import sheet_upload

    path = tmp_path / "operator-31.71.xlsx"
    path.write_bytes(
        sheet_upload([[DESA, "Desa", "Gambir", "Budi Santoso", "budi@example.org", "0812 3456 7890"]]).read()
    )
    return path


@pytest.mark.browser
def test_coordinator_invites_an_operator_who_answers_on_a_phone(
    world, page, browser, live_server, client, region_coordinator, tmp_path
):
    _sign_in(page, client, region_coordinator, live_server)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/regions/31.71/")
    page.get_by_role("link", name="Districts and villages (Kelana/Dekela)").click()
    page.get_by_role("link", name="Invite operators from a sheet").click()
    page.locator("#provision-form input[type=file]").set_input_files(str(_upload(tmp_path)))
    page.locator("#provision-form button[type=submit]").click()
    card = page.locator(".invitation", has_text="Budi Santoso")
    code = card.locator("code").inner_text()
    page.screenshot(path=str(ARTIFACTS / "villages-invitations.png"), full_page=True)

    phone = browser.new_context(viewport=PHONE)
    phone.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/villages/join/?code={code}")
    mobile.locator("#id_username").fill("budi_gambir")
    mobile.locator("#id_password").fill("kuat-sekali-2026")
    mobile.locator("#id_password_again").fill("kuat-sekali-2026")
    mobile.locator("#join-form button[type=submit]").click()
    mobile.get_by_role("link", name="Open the checklist").click()
    mobile.locator(".checklist-list a").first.click()
    mobile.wait_for_load_state("load")  # htmx (a deferred script) listens for the change before it is made
    mobile.locator("input[name=value][value=yes]").check()
    mobile.locator("#autosave-status", has_text="Saved.").wait_for()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mobile.screenshot(path=str(ARTIFACTS / "villages-question-phone.png"), full_page=True)
    while True:
        button = mobile.locator("#answer-form button[type=submit]")
        if not mobile.locator("input[name=value]:checked").count():
            mobile.locator("input[name=value][value=yes]").check()
            mobile.locator("#autosave-status", has_text="Saved.").wait_for()  # let the autosave land first
        label = button.inner_text()
        button.click()
        if "finish" in label:
            break
    mobile.locator("#submit-checklist").click()
    mobile.locator("text=is sent to the regency/city").wait_for()
    mobile.screenshot(path=str(ARTIFACTS / "villages-checklist-phone.png"), full_page=True)
    phone.close()

    page.goto(f"{live_server.url}/villages/region/31.71/")
    page.get_by_role("link", name="Computed percentages").click()
    row = page.locator("#rollup-table tr", has_text="26.4")
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == "1" and cells[2] == "44"
    page.screenshot(path=str(ARTIFACTS / "villages-rollup.png"), full_page=True)
    row.get_by_role("link", name="26.4").click()
    assert "1 of 44 answered yes" in page.locator("#rollup-figure").inner_text()
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "villages-rollup-detail-phone.png"), full_page=True)
