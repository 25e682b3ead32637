"""Kelana/Dekela in the demo (Kota Banjarmasin, seeded through the real flow: invitations from a sheet, two
kelurahan operators and a camat who joined with their codes, a few checklists): the coordinator reads indicator
26's computed percentages with the kelurahan behind them and reopens a verified checklist with a reason (desktop);
both kelurahan operators answer on a phone, the first after reading why its checklist was reopened; the camat
sees its kelurahan on a phone; the province dashboard shows the Provila condition with Kelana/Dekela (desktop
and phone)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
REASON = "The Perda attached is a draft: attach the signed regulation."


@pytest.fixture
def demo(transactional_db):
    from django.core.cache import cache

    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role
    from layak.regions.models import Region
    from layak.villages import demo as villages_demo
    from layak.villages.tests.factories import kla2024_cycle, make_subtree

    cache.clear()  # fragments kept by generation in the in-memory cache never outlive a test's data
    make_subtree("63.71")
    cycle = kla2024_cycle()
    make_user_with_role(villages_demo.COORDINATOR, Role.REGION_COORDINATOR, villages_demo.REGION)
    make_user_with_role("verifikator_kalsel", Role.PROVINCE_VERIFIER, "63")
    villages_demo.seed_demo_data(stdout=io.StringIO())
    ARTIFACTS.mkdir(exist_ok=True)
    yield cycle, villages_demo._areas(Region.objects.get(code=villages_demo.REGION))
    cache.clear()


def _context(browser, live_server, username: str, viewport: dict):
    from django.test import Client

    from layak.accounts.models import User

    client = Client()  # a session of its own for each person
    client.force_login(User.objects.get(username=username))
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    return context, context.new_page()


def _change_first_answer(page) -> None:
    page.get_by_role("link", name="Open the checklist").click()
    page.locator(".checklist-list a").first.click()
    page.wait_for_load_state("load")  # htmx (a deferred script) listens for the change before it is made
    page.locator("input[name=value]:not(:checked)").first.check()
    page.locator("#autosave-status", has_text="Saved.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
def test_the_demo_kabkota_end_to_end_on_desktop_and_phone(demo, browser, live_server):
    cycle, areas = demo
    kecamatan, first, second = areas[0], areas[1], areas[2]

    # The coordinator (desktop): indicator 26's computed percentages, the kelurahan behind one of them.
    context, page = _context(browser, live_server, "dp3a_banjarmasin", DESKTOP)
    page.goto(f"{live_server.url}/villages/region/63.71/")
    page.get_by_role("link", name="Computed percentages").click()
    row = page.locator("#rollup-table tr", has_text="26.4")
    row.wait_for()  # the page after the click (reading texts does not wait for it)
    cells = row.locator("td").all_inner_texts()
    assert int(cells[2]) > 4  # every kelurahan of the city is the denominator, not only the demo's
    row.get_by_role("link", name="26.4").click()
    assert "answered yes" in page.locator("#rollup-figure").inner_text()
    assert first.name in page.content() and second.name in page.content()
    page.screenshot(path=str(ARTIFACTS / "villages-demo-rollup.png"), full_page=True)

    # ... reopens the verified checklist of the first kelurahan, with a reason, on the confirmation page.
    page.goto(f"{live_server.url}/villages/area/{first.code}/cycle/{cycle.pk}/")
    page.locator("#reopen-checklist").click()
    assert "What will happen" in page.content()
    page.locator("#id_reason").fill(REASON)
    page.locator("#reopen-confirm").click()
    page.locator("text=is reopened; its operator can change it again").wait_for()
    context.close()

    # The first kelurahan's operator (phone) reads why, answers again and sends it.
    context, mobile = _context(browser, live_server, "kelurahan_demo1", PHONE)
    mobile.goto(f"{live_server.url}/villages/mine/")
    assert REASON in mobile.locator("#checklist-reopened").inner_text()
    _change_first_answer(mobile)
    mobile.screenshot(path=str(ARTIFACTS / "villages-demo-reopened-phone.png"), full_page=True)
    mobile.goto(f"{live_server.url}/villages/area/{first.code}/cycle/{cycle.pk}/")
    mobile.locator("#submit-checklist").click()
    mobile.locator("text=is sent to the regency/city").wait_for()
    context.close()

    # The second kelurahan's operator (phone) changes an answer of its sent checklist.
    context, mobile = _context(browser, live_server, "kelurahan_demo2", PHONE)
    mobile.goto(f"{live_server.url}/villages/mine/")
    _change_first_answer(mobile)
    context.close()

    # The camat (phone) sees its kelurahan and their checklists.
    context, mobile = _context(browser, live_server, "camat_demo", PHONE)
    mobile.goto(f"{live_server.url}/villages/area/{kecamatan.code}/")
    table = mobile.locator("#desa-table").inner_text()
    assert first.name in table and second.name in table and "sent" in table
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mobile.screenshot(path=str(ARTIFACTS / "villages-demo-camat-phone.png"), full_page=True)
    context.close()

    # The province dashboard shows the Provila condition with Kelana/Dekela, on desktop and phone.
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        context, page = _context(browser, live_server, "verifikator_kalsel", size)
        page.goto(f"{live_server.url}/dashboards/provinces/63/")
        condition = page.locator("#provila-condition").inner_text()
        assert "with Kelana/Dekela" in condition and "hold the province back" in condition
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        page.screenshot(path=str(ARTIFACTS / f"villages-demo-provila-{name}.png"), full_page=True)
        context.close()
