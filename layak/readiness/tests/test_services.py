"""Checks run after a change (never failing the save), flags kept with their marks, likely score, permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from layak.audit.models import AuditEvent
from layak.evaluations import services as evaluation_services
from layak.evaluations.models import IndicatorAssignment
from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.evidence import services as evidence_services
from layak.frameworks.models import Indicator
from layak.readiness import selectors, services
from layak.readiness.checks import Finding, describe
from layak.readiness.models import DocumentFacts, Flag, WrongMark
from layak.regions.tests.factories import make_region

from .factories import decree_upload, matriks_upload, readiness_framework

REGION_NAME = "Kota Administrasi Jakarta Pusat"


@pytest.fixture
def setup(db):
    framework = readiness_framework()
    assessment = make_assessment(make_cycle(framework, year=2024), "31.71")
    make_region("31.75")  # a neighbour, so the regions table knows another kab/kota
    indicators = {i.code: i for i in Indicator.objects.filter(version=framework).select_related("group")}
    return assessment, indicators


def _answer(user, assessment, indicator, values):
    return evaluation_services.answer_save(
        user=user, assessment=assessment, indicator=indicator, values=values, expected_revision=0
    )


def _attach(user, assessment, indicator, upload, element, title):
    return evaluation_services.answer_evidence_upload(
        user=user, assessment=assessment, indicator=indicator, upload=upload, title=title, element_code=element
    )


def test_expired_decree_flagged_after_commit_and_recovers_when_replaced(
    setup, region_coordinator, django_capture_on_commit_callbacks
):
    assessment, indicators = setup
    k2 = indicators["K2"]
    with django_capture_on_commit_callbacks(execute=True):
        _answer(region_coordinator, assessment, k2, {"gt_decree": True, "gt_meetings": "6"})
        link = _attach(region_coordinator, assessment, k2, decree_upload(REGION_NAME, 2018, 2020), "gt_decree", "SK GT")
    [flag] = Flag.objects.filter(assessment=assessment)
    assert flag.check_code == "decree_expired" and flag.item_code == "gt_decree"
    assert flag.points_at_risk == Decimal("18.00")  # 0.2 x 90 points, all at risk
    readiness = selectors.readiness_for_assessment(user=region_coordinator, assessment=assessment)
    assert readiness.self_total == Decimal("27.00") and readiness.likely_total == Decimal("9.00")
    assert [fix.item.code for fix in readiness.fixes] == ["gt_decree"] and readiness.fixes[0].recovered == 18
    assert DocumentFacts.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        evidence_services.evidence_replace_file(
            user=region_coordinator, evidence=link.evidence, upload=decree_upload(REGION_NAME, 2023, 2025, "baru.docx")
        )
    assert not Flag.objects.filter(assessment=assessment).exists()
    readiness = selectors.readiness_for_assessment(user=region_coordinator, assessment=assessment)
    assert readiness.likely_total == readiness.self_total == Decimal("27.00")


def test_other_region_and_matriks_total(setup, region_coordinator, django_capture_on_commit_callbacks):
    assessment, indicators = setup
    with django_capture_on_commit_callbacks(execute=True):
        _answer(region_coordinator, assessment, indicators["I1"], {"children": "40"})
        _attach(
            region_coordinator,
            assessment,
            indicators["I1"],
            matriks_upload(REGION_NAME, [10, 20]),
            "children",
            "MATRIKS",
        )
        _answer(region_coordinator, assessment, indicators["K2"], {"gt_decree": True})
        _attach(
            region_coordinator, assessment, indicators["K2"],
            decree_upload("Kota Administrasi Jakarta Timur", 2023, 2025), "gt_decree", "SK GT",
        )  # fmt: skip
    found = set(Flag.objects.filter(assessment=assessment).values_list("item_code", "check_code"))
    assert found == {("children", "matriks_total"), ("gt_decree", "other_region")}


def test_a_failing_check_never_fails_the_save(
    setup, region_coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    assessment, indicators = setup

    def broken(assessment_id):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "run_readiness", broken)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _answer(region_coordinator, assessment, indicators["K2"], {"gt_decree": True})
    assert answer.pk and answer.values == {"gt_decree": True}


def test_flag_kept_across_runs_with_its_mark_and_counted(
    setup, region_coordinator, province_verifier, django_capture_on_commit_callbacks
):
    assessment, indicators = setup
    with django_capture_on_commit_callbacks(execute=True):
        _answer(region_coordinator, assessment, indicators["K2"], {"gt_decree": True})
        _attach(
            region_coordinator, assessment, indicators["K2"], decree_upload(REGION_NAME, 2018, 2020), "gt_decree", "SK"
        )
    flag = Flag.objects.get(assessment=assessment)
    with pytest.raises(PermissionDenied):
        services.flag_mark_wrong(user=region_coordinator, flag=flag)
    services.flag_mark_wrong(user=province_verifier, flag=flag, note="Diperpanjang dengan SK lain")
    with pytest.raises(ValidationError):
        services.flag_mark_wrong(user=province_verifier, flag=flag)
    assert AuditEvent.objects.filter(verb="readiness.flag_marked_wrong").count() == 1
    services.run_readiness(assessment.pk)
    flag.refresh_from_db()
    assert flag.is_marked_wrong  # the same flag, still marked
    readiness = selectors.readiness_for_assessment(user=region_coordinator, assessment=assessment)
    assert readiness.likely_total == readiness.self_total
    stats = {s.code: s for s in selectors.check_stats()}
    assert stats["decree_expired"].marked_wrong == 1 and WrongMark.objects.get().note == "Diperpanjang dengan SK lain"


def test_national_admin_turns_a_check_off(
    setup, region_coordinator, national_admin, django_capture_on_commit_callbacks
):
    assessment, indicators = setup
    with django_capture_on_commit_callbacks(execute=True):
        _answer(region_coordinator, assessment, indicators["K2"], {"gt_decree": True})
        _attach(
            region_coordinator, assessment, indicators["K2"], decree_upload(REGION_NAME, 2018, 2020), "gt_decree", "SK"
        )
    with pytest.raises(PermissionDenied):
        services.check_set_enabled(user=region_coordinator, check_code="decree_expired", enabled=False)
    with pytest.raises(ValidationError):
        services.check_set_enabled(user=national_admin, check_code="nope", enabled=False)
    services.check_set_enabled(user=national_admin, check_code="decree_expired", enabled=False)
    readiness = selectors.readiness_for_assessment(user=region_coordinator, assessment=assessment)
    assert readiness.likely_total == readiness.self_total  # stops counting at once
    services.run_readiness(assessment.pk)
    assert not Flag.objects.filter(assessment=assessment).exists()
    assert AuditEvent.objects.filter(verb="readiness.check_disabled").count() == 1


def test_opd_sees_only_its_own_indicators(
    setup, region_coordinator, opd_contributor, django_capture_on_commit_callbacks
):
    assessment, indicators = setup
    with django_capture_on_commit_callbacks(execute=True):
        _answer(region_coordinator, assessment, indicators["K2"], {"gt_decree": True})
        _attach(
            region_coordinator, assessment, indicators["K2"], decree_upload(REGION_NAME, 2018, 2020), "gt_decree", "SK"
        )
    agency = opd_contributor.roles.get().agency
    IndicatorAssignment.objects.create(assessment=assessment, indicator=indicators["I1"], agency=agency)
    mine = selectors.readiness_for_assessment(user=opd_contributor, assessment=assessment)
    assert not mine.sees_all and [row.indicator.code for row in mine.indicators] == ["I1"]
    assert selectors.flags_for_indicator(user=opd_contributor, assessment=assessment, indicator=indicators["K2"]) == []
    everything = selectors.readiness_for_assessment(user=region_coordinator, assessment=assessment)
    assert {row.indicator.code for row in everything.indicators} == {"K2", "I1"}


def test_unreadable_file_read_once(setup, region_coordinator, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layak.readiness import corpus

    assessment, indicators = setup
    scan = corpus.pdf_bytes(f"<img src='data:image/png;base64,{corpus._b64(corpus.scan_png(2))}'>")
    with django_capture_on_commit_callbacks(execute=True):
        _answer(region_coordinator, assessment, indicators["K2"], {"gt_decree": True})
        _attach(
            region_coordinator, assessment, indicators["K2"], SimpleUploadedFile("scan.pdf", scan), "gt_decree", "SK"
        )
    flag = Flag.objects.get(assessment=assessment)
    assert flag.check_code == "unreadable" and flag.params["status"] == "image_only"
    with translation.override("id"):
        assert "pindaian" in describe(Finding(flag.check_code, "", None, flag.params))[0]
    assert DocumentFacts.objects.get().facts["status"] == "image_only"


def test_decree_linked_to_the_whole_indicator_goes_to_the_decree_item(
    setup, region_coordinator, django_capture_on_commit_callbacks
):
    assessment, indicators = setup
    with django_capture_on_commit_callbacks(execute=True):
        _answer(region_coordinator, assessment, indicators["K2"], {"gt_decree": True})
        _attach(region_coordinator, assessment, indicators["K2"], decree_upload(REGION_NAME, 2018, 2020), "", "SK")
    flag = Flag.objects.get(assessment=assessment)
    assert (flag.item_code, flag.check_code, flag.points_at_risk) == ("gt_decree", "decree_expired", Decimal("18.00"))


def test_an_unclaimed_whole_indicator_document_is_still_checked(
    setup, region_coordinator, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment, indicators = setup
    with django_capture_on_commit_callbacks(execute=True):
        _answer(region_coordinator, assessment, indicators["K2"], {"gt_decree": True})
        _attach(
            region_coordinator, assessment, indicators["K2"], SimpleUploadedFile("kosong.txt", b" \n"), "", "Notulen"
        )
    flag = Flag.objects.get(assessment=assessment)
    assert (flag.item_code, flag.check_code, flag.points_at_risk) == ("", "unreadable", Decimal("0"))
    readiness = selectors.readiness_for_assessment(user=region_coordinator, assessment=assessment)
    [row] = [row for row in readiness.indicators if row.indicator.code == "K2"]
    assert any(item.label == "The indicator as a whole" and item.flags for item in row.items)
