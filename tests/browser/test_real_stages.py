"""Issue #10's "done when": one demo region on the kla-2024 instrument through every real stage in Chromium.

Submitted self-assessment → province (a revision answered with new evidence, then the hand-over with the
governor's letter) → central → field verification of a region the ministry selected (agenda, children heard,
completion window) → provisional results and an objection → final → publication with preview. The grades carry
forward from stage to stage. Desktop throughout; the region's pages also at phone width (screenshots).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def jakpus24(transactional_db, region_coordinator, province_verifier, independent_evaluator):
    """Jakarta Pusat's kla-2024 self-assessment, question 2.1 answered yes with its SK, submitted (the 2024
    instrument's 274 questions are answered through the self-assessment pages, tested elsewhere)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layak.evaluations import question_services
    from layak.evaluations.tests.factories import make_assessment, make_cycle
    from layak.frameworks.models import FrameworkVersion, Question
    from layak.frameworks.services import framework_load_file
    from layak.frameworks.tests.conftest import SHIPPED
    from layak.reviews.tests.factories import assign, open_review_windows, submit

    framework_load_file(SHIPPED / "kla-2024.yaml")
    framework = FrameworkVersion.objects.get(slug="kla-2024")
    assessment = make_assessment(open_review_windows(make_cycle(framework, year=2024)))
    question = Question.objects.get(indicator__version=framework, indicator__code="2", code="1")
    question_services.question_answer_save(
        user=region_coordinator, assessment=assessment, question=question, yes=True, expected_revision=0
    )
    question_services.question_evidence_upload(
        user=region_coordinator,
        assessment=assessment,
        question=question,
        upload=SimpleUploadedFile("sk.pdf", PDF + b"sk", content_type="application/pdf"),
        title="SK Gugus Tugas KLA",
    )
    submit(assessment, region_coordinator)
    assign(assessment, "province", province_verifier)
    assign(assessment, "central", independent_evaluator)
    assign(assessment, "field", independent_evaluator)
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
    page.screenshot(path=str(ARTIFACTS / f"stages-{name}.png"), full_page=True)


def fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def press_and_confirm(page, name: str) -> None:
    press(page, name)
    assert page.locator(".confirm-warning, .confirm-form").first.is_visible(), f"{name} did not ask first"
    page.locator(".confirm-form button[type=submit]").click()
    page.wait_for_load_state()


def badge(page) -> str:
    return page.locator("h1 .badge").inner_text()


def messages(page) -> str:
    return page.locator(".messages").inner_text()


def grade(page, level: str, reason: str) -> None:
    page.get_by_role("link", name=re.compile(r"^2\.1 ")).first.click()
    page.check(f"input[name=level][value='{level}']")
    page.fill("#id_reason", reason)
    press(page, "Save the grade")
    assert "Grade of question 2.1 saved." in messages(page)


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF + name.encode()}


@pytest.mark.browser
def test_one_region_through_the_real_stages(
    page, live_server, client, jakpus24, region_coordinator, province_verifier, independent_evaluator, national_admin
):
    from django.utils import timezone

    from layak.frameworks.models import Question
    from layak.reviews.models import CompletionWindow

    ARTIFACTS.mkdir(exist_ok=True)
    review = f"{live_server.url}/reviews/assessments/{jakpus24.pk}/"
    stages = f"{review}stages/"
    page.set_viewport_size(DESKTOP)

    # Province: grades 2.1 at ½ (the self-score gave the full 3.00) and sends indicator 2 back for revision.
    act_as(page, client, live_server, province_verifier)
    page.goto(review)
    assert "Attach the governor's letter" in page.locator(".rv-next").inner_text()
    grade(page, "1/2", "SK belum ditandatangani bupati")
    page.get_by_role("link", name="Request revision…").click()
    page.check("#id_send_2")
    page.fill("#id_why_2", "Lampirkan SK yang sudah ditandatangani")
    page.fill("#id_comment", "Perbaiki dokumen indikator 2")
    press_and_confirm(page, "Send back to the region")
    assert "Revision requested by the province" in badge(page)

    # The region answers on a phone with a new file, and resubmits.
    act_as(page, client, live_server, region_coordinator)
    page.set_viewport_size(PHONE)
    page.goto(review)
    assert "Lampirkan SK yang sudah ditandatangani" in page.locator(".rv-revision-open").inner_text()
    page.get_by_role("link", name="Fix 2").click()
    page.set_input_files("#id_evidence_file", files=[pdf("sk-ttd.pdf")])
    page.fill("#id_evidence_title", "SK Gugus Tugas bertanda tangan")
    assert fits_phone(page)
    shot(page, "revision-phone")
    press(page, "Save")
    press_and_confirm(page, "Resubmit")
    assert "Province verification" in badge(page)

    # Province: attaches the governor's letter and approves: the hand-over to the ministry.
    act_as(page, client, live_server, province_verifier)
    page.set_viewport_size(DESKTOP)
    page.goto(stages)
    page.fill("#id_number", "400.2/118/DPPAPP")
    page.set_input_files("#id_letter", files=[pdf("surat-gubernur.pdf")])
    press(page, "Attach the letter")
    assert "The letter is attached" in messages(page)
    page.goto(review)
    press_and_confirm(page, "Approve")
    assert "Central desk review" in badge(page)
    page.goto(stages)
    assert "Handed over to the ministry" in page.locator(".rv-handover").inner_text()

    # The ministry selects the region for field verification on the progress page.
    act_as(page, client, live_server, national_admin)
    page.goto(f"{live_server.url}/reviews/cycles/{jakpus24.cycle_id}/progress/")
    page.check(f"input[name=regions][value='{jakpus24.region_id}']")
    page.select_option("#id_select", "1")
    shot(page, "progress-select-desktop")
    press_and_confirm(page, "Save the selection")
    assert "1 regency/city changed." in messages(page)

    # Central: starts from the province's ½ (1.50), approves; the selected region goes to the field stage.
    act_as(page, client, live_server, independent_evaluator)
    page.goto(review)
    row = page.locator("table.rv-questions tr", has=page.get_by_role("link", name=re.compile(r"^2\.1 ")))
    assert "1.50" in row.locator(".rv-previous").inner_text()
    press_and_confirm(page, "Approve")
    assert "Field verification" in badge(page)

    # Field team: agenda, dialogue with children, completion window for 2.1.
    page.goto(stages)
    today = timezone.localdate().isoformat()
    page.fill("#id_visit_date", today)
    page.select_option("#id_mode", "hybrid")
    page.fill("#id_sites", "Puskesmas Gambir\nSDN Kebon Kelapa 01\nRPTRA Kenanga")
    page.fill("#id_team", "Asdep PHA KemenPPPA; Kemendagri; tim independen")
    press(page, "Save the agenda")
    assert "agenda of the field visit is saved" in messages(page)
    page.get_by_text("Record a dialogue").click()
    page.fill("#id_held_on", today)
    page.fill("#id_girls_under_13", "6")
    page.fill("#id_boys_13_to_17", "5")
    page.fill("#id_topics", "Ruang bermain; keamanan ke sekolah")
    page.fill("#id_summary", "Anak-anak meminta RPTRA buka hingga sore dan zebra cross di depan sekolah.")
    press(page, "Save the record")
    assert "11 children" in page.locator(".rv-hearings").inner_text()
    question = Question.objects.get(indicator__version=jakpus24.cycle.framework, indicator__code="2", code="1")
    page.get_by_text("Open a completion window").click()
    page.select_option("#id_questions", str(question.pk))
    page.fill("#id_note", "SK Gugus Tugas yang ditandatangani bupati dan daftar anggotanya")
    press_and_confirm(page, "Open the window")
    assert "completion window is open" in messages(page)
    shot(page, "field-desktop")

    # The region completes 2.1 within the window, on a phone.
    act_as(page, client, live_server, region_coordinator)
    page.set_viewport_size(PHONE)
    page.goto(review)
    assert "asks for documents" in page.locator(".rv-next").inner_text()
    page.goto(stages)
    page.fill("#id_title", "Daftar anggota Gugus Tugas")
    page.set_input_files("#id_document", files=[pdf("anggota-gt.pdf")])
    press(page, "Add to 2.1")
    assert "was added to question 2.1" in messages(page)
    assert fits_phone(page)
    shot(page, "completion-phone")
    # Two days later the window has closed (the clock is moved, not waited for).
    CompletionWindow.objects.filter(assessment=jakpus24).update(closes_at=timezone.now())

    # Field team: the new document counts, 2.1 is graded in full, the field stage approved.
    act_as(page, client, live_server, independent_evaluator)
    page.set_viewport_size(DESKTOP)
    page.goto(review)
    grade(page, "1", "SK bertanda tangan dan daftar anggota dilengkapi saat masa kelengkapan")
    press_and_confirm(page, "Approve")
    assert "Finalisation" in badge(page)

    # The ministry announces the provisional results; the region objects to 1.1 and says it has finished.
    act_as(page, client, live_server, national_admin)
    page.goto(review)
    press_and_confirm(page, "Announce the provisional results")
    assert "objection period" in badge(page).lower()
    other = Question.objects.get(indicator__version=jakpus24.cycle.framework, indicator__code="1", code="1")
    act_as(page, client, live_server, region_coordinator)
    page.set_viewport_size(PHONE)
    page.goto(stages)
    page.select_option("#id_question", str(other.pk))
    page.fill("#id_reason", "Perda KLA sudah diundangkan; lembaran daerah terlampir")
    page.set_input_files("#id_document", files=[pdf("perda-kla.pdf")])
    press(page, "Send the objection")
    assert "objection on question 1.1 was sent" in messages(page)
    assert fits_phone(page)
    shot(page, "objection-phone")
    press_and_confirm(page, "We have finished objecting")

    # The ministry accepts the objection with its reason and finalises.
    act_as(page, client, live_server, national_admin)
    page.set_viewport_size(DESKTOP)
    page.goto(stages)
    form = page.locator("form.rv-decide")
    form.locator("select[name$='-decision']").select_option("accepted")
    form.locator("select[name$='-level']").select_option("1")
    form.locator("textarea[name$='-reason']").fill("Lembaran daerah membuktikan Perda telah diundangkan")
    press_and_confirm(page, "Decide")
    assert "Accepted" in page.locator(".rv-objection-list").inner_text()
    shot(page, "objections-desktop")
    page.goto(review)
    press_and_confirm(page, "Finalise")
    assert "Finalised" in badge(page)

    # Publication with its preview.
    page.goto(f"{live_server.url}/reviews/cycles/{jakpus24.cycle_id}/")
    page.get_by_role("link", name="Preview and publish the results…").click()
    assert "1 finalised result" in page.locator(".rv-preview-summary").inner_text()
    shot(page, "publish-preview-desktop")
    press_and_confirm(page, "Publish the results")
    assert "are published" in messages(page)

    # The grades carried forward, stage by stage: 3.00 self, 1.50 province and central, 3.00 field and final.
    page.goto(f"{review}scores/")
    cells = page.locator("tr", has_text="Total").last.locator("td").all_inner_texts()
    assert [cell.split()[0] for cell in cells][:5] == ["3.00", "1.50", "1.50", "3.00", "15.00"], cells
    # Indicator 1 took the accepted objection (1.1 in full, 12.00) into the final only.
    assert "+12.00" in page.locator("tr", has=page.get_by_role("link", name="1", exact=True)).inner_text()
    shot(page, "scores-desktop")
    page.goto(f"{review}timeline/")
    timeline = page.locator("main").inner_text()
    for words in ("hand-over letter", "field verification", "Forum Anak", "completion window", "objected"):
        assert words in timeline, words
    shot(page, "timeline-desktop")
    # The region's overview on a phone says where it stands.
    act_as(page, client, live_server, region_coordinator)
    page.set_viewport_size(PHONE)
    page.goto(stages)
    assert fits_phone(page)
    shot(page, "stages-phone")
