"""One region through every verification stage in Chromium, with four personas and one revision round.

The region coordinator submits; the province verifier scores and approves; the independent evaluator sends an
indicator back at the central review, the region fixes it and resubmits, the evaluator approves the central and
field stages; the national admin finalises and publishes. Screenshots at desktop width and at 390 px.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def jakpus(transactional_db, region_coordinator, province_verifier, independent_evaluator, national_admin):
    """Jakarta Pusat's complete self-assessment (not yet submitted) and the reviewers assigned to its stages."""
    from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework
    from layak.reviews.models import ReviewerAssignment
    from layak.reviews.tests.factories import answer_all, hand_over_letter, open_review_windows, select_for_field

    assessment = make_assessment(open_review_windows(make_cycle(make_framework())))
    answer_all(assessment)
    for stage, reviewer in (("province", province_verifier), ("central", independent_evaluator)):
        ReviewerAssignment.objects.create(assessment=assessment, stage=stage, reviewer=reviewer)
    ReviewerAssignment.objects.create(assessment=assessment, stage="field", reviewer=independent_evaluator)
    hand_over_letter(assessment, province_verifier)  # the governor's letter (the stages test attaches it on the page)
    select_for_field(assessment, national_admin)
    return assessment


def act_as(page, client, live_server, user) -> None:
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"reviews-{name}.png"), full_page=True)


def fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def press_and_confirm(page, name: str) -> None:
    """An irreversible button first asks, saying what cannot be undone; the test answers yes."""
    press(page, name)
    assert page.locator(".confirm-warning").is_visible(), f"{name} did not ask first"
    page.locator(".confirm-form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.browser
def test_one_region_goes_through_every_stage_with_one_revision_round(
    page, live_server, client, jakpus, region_coordinator, province_verifier, independent_evaluator, national_admin
):
    ARTIFACTS.mkdir(exist_ok=True)
    review = f"{live_server.url}/reviews/assessments/{jakpus.pk}/"
    page.set_viewport_size(DESKTOP)

    # The region coordinator submits the self-assessment.
    act_as(page, client, live_server, region_coordinator)
    page.goto(f"{live_server.url}/evaluations/assessments/{jakpus.pk}/")
    press_and_confirm(page, "Submit the self-assessment")
    page.goto(review)
    assert "Province verification" in page.locator("h1 .badge").inner_text()

    # The province verifier lowers K1 with a reason and approves.
    act_as(page, client, live_server, province_verifier)
    page.goto(review)
    page.get_by_role("link", name=re.compile(r"^K1 ")).click()
    page.fill("#id_points", "300")
    page.fill("#id_reason", "Perda KLA belum diundangkan dalam lembaran daerah")
    shot(page, "indicator-desktop")
    press(page, "Save the score")
    assert "Score of K1 saved." in page.locator(".messages").inner_text()
    press_and_confirm(page, "Approve")
    assert "Central desk review" in page.locator("h1 .badge").inner_text()

    # The central stage starts from the province's verified scores, not from the rubric again.
    act_as(page, client, live_server, independent_evaluator)
    page.goto(review)
    k1 = page.locator("table.rv-lines tr", has=page.get_by_role("link", name=re.compile(r"^K1 ")))
    assert "300.00" in k1.locator(".rv-previous").inner_text()
    # The independent evaluator sends I1 back to the region.
    page.get_by_role("link", name="Request revision…").click()
    page.check("#id_send_I1")
    page.fill("#id_why_I1", "Jumlah anak ber-akta tidak sama dengan data Disdukcapil")
    page.fill("#id_comment", "Mohon sesuaikan dengan data kependudukan")
    press_and_confirm(page, "Send back to the region")
    assert "Revision requested by the central review" in page.locator("h1 .badge").inner_text()

    # The region sees exactly what came back, fixes it on a phone and resubmits.
    act_as(page, client, live_server, region_coordinator)
    page.set_viewport_size(PHONE)
    page.goto(review)
    assert "Jumlah anak ber-akta tidak sama" in page.locator(".rv-revision-open").inner_text()
    assert fits_phone(page)
    shot(page, "revision-phone")
    page.get_by_role("link", name="Fix I1").click()
    page.fill("#id_v_children_with_akta", "700")
    page.set_input_files(
        "#id_evidence_file",
        files=[{"name": "rekap-akta.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n rekap"}],
    )
    page.fill("#id_evidence_title", "Rekap akta per kecamatan")
    assert fits_phone(page)
    press(page, "Save")
    assert "Indicator I1 saved." in page.locator(".messages").inner_text()
    press_and_confirm(page, "Resubmit")
    assert "Central desk review" in page.locator("h1 .badge").inner_text()
    assert "resubmitted" in page.locator(".rv-history").inner_text()

    # The evaluator sees the new evidence pinned with its version and hash, and approves the central review.
    act_as(page, client, live_server, independent_evaluator)
    page.set_viewport_size(DESKTOP)
    page.goto(review)
    page.get_by_role("link", name=re.compile(r"^I1 ")).click()
    pinned = page.locator(".rv-pinned").inner_text()
    assert "Rekap akta per kecamatan" in pinned and "SHA-256" in pinned and "revision round 1" in pinned
    page.goto(review)
    stale = page.context.new_page()  # a second tab, left open on the central stage
    stale.goto(review)
    press_and_confirm(page, "Approve")
    assert "Field verification" in page.locator("h1 .badge").inner_text()
    # The stale tab's "Approve" does not skip the field stage: it says who already approved, and when.
    stale.set_viewport_size(PHONE)
    stale.get_by_role("button", name="Approve", exact=True).click()
    stale.wait_for_load_state()
    assert "Already done" in stale.locator(".messages").inner_text()
    assert "Field verification" in stale.locator("h1 .badge").inner_text()
    assert fits_phone(stale)
    stale.screenshot(path=str(ARTIFACTS / "reviews-stale-approve-phone.png"), full_page=True)
    stale.close()
    # After the field visit the evaluator grades I2 on a phone; the form starts from the central score.
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name=re.compile(r"^I2 ")).click()
    assert "starts from" in page.locator(".rv-started-from").inner_text()
    page.fill("#id_points", "150")
    page.fill("#id_reason", "Cakupan imunisasi tidak terbukti saat VLH")
    assert fits_phone(page)
    shot(page, "indicator-phone")
    press(page, "Save the score")
    page.set_viewport_size(DESKTOP)
    press_and_confirm(page, "Approve")
    assert "Finalisation" in page.locator("h1 .badge").inner_text()

    # The national admin announces the provisional results; the region has no objection; the admin finalises.
    act_as(page, client, live_server, national_admin)
    page.goto(review)
    press_and_confirm(page, "Announce the provisional results")
    act_as(page, client, live_server, region_coordinator)
    page.goto(f"{review}stages/")
    press_and_confirm(page, "We have finished objecting")
    act_as(page, client, live_server, national_admin)
    page.goto(review)
    press_and_confirm(page, "Finalise")
    assert "Finalised" in page.locator("h1 .badge").inner_text()
    # The province's K1 correction (400 → 300) was carried through the central and field stages to the final.
    final = page.locator(".rv-final").inner_text()
    assert "630.00" in final and "Madya" in final
    shot(page, "finalised-desktop")
    page.goto(f"{live_server.url}/reviews/cycles/{jakpus.cycle_id}/")
    page.get_by_role("link", name="Preview and publish the results…").click()
    assert "1 finalised result" in page.locator(".rv-preview-summary").inner_text()
    assert "630.00" in page.locator("table.rv-preview").inner_text()
    shot(page, "publish-preview-desktop")
    press_and_confirm(page, "Publish the results")
    assert "are published" in page.locator(".messages").inner_text()

    # Scores side by side: the self-score far above the verified one is plain to see.
    page.goto(f"{review}scores/")
    assert page.locator(".rv-big-drop").count() >= 2
    shot(page, "scores-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    shot(page, "scores-phone")

    # What if: ticking an improvement changes the score at once (htmx), without a page load.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{review}what-if/")
    before = page.locator("#whatif-total").inner_text()
    page.locator(".rv-candidates input[type=checkbox]").first.check()
    # Not wait_for_function: its polling evaluates a string, which the page's Content-Security-Policy forbids.
    expect(page.locator("#whatif-total")).not_to_have_text(before)
    assert page.locator("#whatif-total").inner_text() != before
    shot(page, "whatif-desktop")
    page.set_viewport_size(PHONE)
    assert fits_phone(page)
    shot(page, "whatif-phone")
    page.goto(f"{review}timeline/")
    assert page.locator(".rv-timeline li").count() >= 10
