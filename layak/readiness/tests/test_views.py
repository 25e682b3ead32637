"""Readiness pages: who sees what, marking a flag wrong, running the checks, the admin's check list."""

from __future__ import annotations

import pytest

from layak.evaluations import services as evaluation_services
from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.frameworks.models import Indicator
from layak.readiness import services
from layak.readiness.models import CheckSetting, Flag
from layak.regions.tests.factories import make_region

from .factories import decree_upload, readiness_framework

REGION_NAME = "Kota Administrasi Jakarta Pusat"


@pytest.fixture
def flagged(db, region_coordinator):
    framework = readiness_framework()
    assessment = make_assessment(make_cycle(framework, year=2024), "31.71")
    make_region("31.75")
    k2 = Indicator.objects.get(version=framework, code="K2")
    evaluation_services.answer_save(
        user=region_coordinator, assessment=assessment, indicator=k2, values={"gt_decree": True}, expected_revision=0
    )
    evaluation_services.answer_evidence_upload(
        user=region_coordinator,
        assessment=assessment,
        indicator=k2,
        upload=decree_upload(REGION_NAME, 2018, 2020),
        title="SK Gugus Tugas KLA",
        element_code="gt_decree",
    )
    services.run_readiness(assessment.pk)
    return assessment, k2


def test_coordinator_sees_risk_likely_score_and_fix(login, region_coordinator, flagged, django_assert_max_num_queries):
    assessment, _k2 = flagged
    client = login(region_coordinator)
    with django_assert_max_num_queries(40):
        response = client.get(f"/readiness/assessments/{assessment.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Decree period does not cover the year" in text and "2018\u20132020" in text
    assert "18.00 points at risk" in text or "18,00 points at risk" in text
    assert "Mark this flag as wrong" not in text  # the region cannot mark its own flags wrong


def test_panel_on_overview_and_flags_on_answer_page(login, region_coordinator, flagged):
    assessment, k2 = flagged
    client = login(region_coordinator)
    overview = client.get(f"/evaluations/assessments/{assessment.pk}/").content.decode()
    assert "Likely verified score" in overview or "likely verified score" in overview
    page = client.get(f"/evaluations/assessments/{assessment.pk}/indicators/{k2.code}/").content.decode()
    assert "What verifiers will likely mark down" in page and "renewed SK" in page


def test_verifier_marks_a_flag_wrong_from_the_page(login, province_verifier, flagged):
    assessment, _k2 = flagged
    flag = Flag.objects.get()
    client = login(province_verifier)
    page = client.get(f"/readiness/assessments/{assessment.pk}/").content.decode()
    assert "Mark this flag as wrong" in page
    response = client.post(f"/readiness/flags/{flag.pk}/wrong/", {"note": "SK diperpanjang"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.is_marked_wrong and flag.marked_wrong_by == province_verifier


def test_region_cannot_mark_wrong_and_outsider_gets_404(login, region_coordinator, outsider, flagged):
    flag = Flag.objects.get()
    login(region_coordinator).post(f"/readiness/flags/{flag.pk}/wrong/")
    flag.refresh_from_db()
    assert not flag.is_marked_wrong
    client = login(outsider)
    assert client.post(f"/readiness/flags/{flag.pk}/wrong/").status_code == 404
    assert client.get(f"/readiness/assessments/{flag.assessment_id}/").status_code == 404


def test_run_now(login, region_coordinator, opd_contributor, flagged):
    assessment, _k2 = flagged
    Flag.objects.all().delete()
    assert login(opd_contributor).post(f"/readiness/assessments/{assessment.pk}/run/").status_code == 403
    response = login(region_coordinator).post(f"/readiness/assessments/{assessment.pk}/run/", follow=True)
    assert "problems found" in response.content.decode() and Flag.objects.count() == 1


def test_admin_turns_a_check_off(login, national_admin, region_coordinator, flagged):
    assert login(region_coordinator).get("/readiness/checks/").status_code == 403
    client = login(national_admin)
    page = client.get("/readiness/checks/").content.decode()
    assert "Decree period does not cover the year" in page
    assert client.post("/readiness/checks/", {"check": "decree_expired", "enabled": "0"}).status_code == 302
    assert CheckSetting.objects.get(check_code="decree_expired").enabled is False
    assert client.post("/readiness/checks/", {"check": "nope", "enabled": "0"}).status_code == 400


def test_reviewer_page_shows_flags(login, national_admin, flagged):
    assessment, k2 = flagged
    page = login(national_admin).get(f"/reviews/assessments/{assessment.pk}/indicators/{k2.code}/").content.decode()
    assert "Decree period does not cover the year" in page and "Mark this flag as wrong" in page
