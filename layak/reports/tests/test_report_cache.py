"""The report page's body is rendered once per data stamp and shared by everyone who may read the full report:
every change of what it shows appears at once, and the checks of who may open it still run on each view."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from layak.accounts.models import Agency
from layak.evaluations.models import Answer, IndicatorAssignment
from layak.evaluations.tests.factories import attach_evidence, make_assessment

from .factories import make_final, make_snapshot

pytestmark = pytest.mark.django_db


def _page(client, assessment) -> str:
    response = client.get(reverse("reports:assessment_report", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_answers_stage_scores_and_the_final_result_show_at_once(login, region_coordinator, assessment):
    client = login(region_coordinator)
    assert "Akta kelahiran gratis" in _page(client, assessment)
    answer = Answer.objects.get(assessment=assessment, narrative_done__startswith="Akta")
    answer.narrative_done = "Layanan akta keliling di 12 kecamatan."
    answer.save()
    assert "Layanan akta keliling di 12 kecamatan." in _page(client, assessment)
    make_snapshot(assessment, "province", {"K1": 321, "I1": 0, "I2": 0})
    assert "321" in _page(client, assessment)
    final = make_final(assessment, band_code="nindya", reason="Keputusan rapat pleno")
    assert "Keputusan rapat pleno" in _page(client, assessment)
    final.override_reason = "Keputusan rapat pleno kedua"
    final.save()
    assert "Keputusan rapat pleno kedua" in _page(client, assessment)
    final.delete()
    assert "Keputusan rapat pleno" not in _page(client, assessment)


def test_a_recomputed_stage_score_rewritten_in_place_shows_at_once(login, region_coordinator, assessment):
    client = login(region_coordinator)
    snapshot = make_snapshot(assessment, "province", {"K1": 111, "I1": 0, "I2": 0})
    assert "111" in _page(client, assessment)
    snapshot.total = Decimal(444)
    snapshot.save()
    assert "444" in _page(client, assessment)


def test_assignments_agency_names_and_evidence_show_at_once(login, region_coordinator, assessment, indicators):
    client = login(region_coordinator)
    assert "Bappeda" in _page(client, assessment)
    agency = Agency.objects.get(short_name="Bappeda")
    agency.short_name = "Bapperida"
    agency.save()
    assert "Bapperida" in _page(client, assessment)
    IndicatorAssignment.objects.filter(assessment=assessment).delete()
    assert "Bapperida" not in _page(client, assessment)
    missing = "evidence missing (usually Salinan SK layanan akta kelahiran)"
    assert missing in _page(client, assessment)
    link = attach_evidence(assessment, indicators["I1"], element_code="akta_doc")
    assert missing not in _page(client, assessment)
    link.delete()
    assert missing in _page(client, assessment)


def test_the_body_is_shared_but_never_across_assessments(
    login, national_admin, region_coordinator, outsider, assessment
):
    other = make_assessment(assessment.cycle, "31.72")
    admin = login(national_admin)
    assert "Akta kelahiran gratis" in _page(admin, assessment)
    assert "Akta kelahiran gratis" not in _page(admin, other)
    assert "Akta kelahiran gratis" in _page(login(region_coordinator), assessment)
    url = reverse("reports:assessment_report", args=[assessment.pk])
    assert login(outsider).get(url).status_code == 404


def test_a_repeat_view_reads_no_row_of_the_report(login, region_coordinator, verified, django_assert_max_num_queries):
    client = login(region_coordinator)
    _page(client, verified)
    with django_assert_max_num_queries(5):  # session user, assessment, the stamp (+ roles and bell when not cached)
        _page(client, verified)
