from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from layak.audit.models import AuditEvent
from layak.protection import services
from layak.protection.choices import CorrectionReason, FlagStatus
from layak.protection.models import JumpFlag, Report
from layak.protection.tests.factories import VIOLENCE_ROW, make_flagged_series, save_months, scaled
from layak.regions.tests.factories import make_region

REGION = "31.71"


def test_coordinator_records_a_month_with_a_version_and_an_audit_event(region_coordinator):
    save_months(region_coordinator, REGION, {1: VIOLENCE_ROW})
    report = Report.objects.get()
    assert report.values["victims"] == 6 and report.values["place_unrecorded"] == 0
    assert report.versions.get().number == 1
    assert AuditEvent.objects.filter(verb="protection.reports_recorded", region_code=REGION).exists()


def test_an_empty_breakdown_counts_as_not_recorded(region_coordinator):
    row = {k: v for k, v in VIOLENCE_ROW.items() if k not in {"household", "school", "parent", "neighbour"}}
    save_months(region_coordinator, REGION, {1: row})
    values = Report.objects.get().values
    assert values["place_unrecorded"] == 6 and values["relation_unrecorded"] == 6


def test_a_breakdown_that_does_not_add_up_is_refused_with_both_numbers(region_coordinator):
    with pytest.raises(services.FiguresRejected) as exc:
        save_months(region_coordinator, REGION, {1: {**VIOLENCE_ROW, "female": 5}})
    assert "Sex adds up to 7, but Child victims is 6." in exc.value.problems[0]
    assert not Report.objects.exists()


def test_correcting_a_period_needs_a_reason_and_keeps_the_old_version(region_coordinator):
    save_months(region_coordinator, REGION, {1: VIOLENCE_ROW})
    region = make_region(REGION)
    bigger = {**scaled(VIOLENCE_ROW, 2)}
    with pytest.raises(services.FiguresRejected):
        services.report_save(
            user=region_coordinator, region=region, topic="violence", year=2025, month=1, values=bigger
        )
    report = services.report_save(
        user=region_coordinator, region=region, topic="violence", year=2025, month=1, values=bigger,
        reason=CorrectionReason.LATE_REPORTS,
    )  # fmt: skip
    assert report.version == 2 and report.values["victims"] == 12
    old, new = report.versions.order_by("number")
    assert old.values["victims"] == 6 and new.reason == CorrectionReason.LATE_REPORTS
    assert AuditEvent.objects.filter(verb="protection.reports_corrected").exists()


def test_a_jump_is_flagged_not_refused_and_clears_when_corrected(region_coordinator):
    report = make_flagged_series(region_coordinator, REGION, VIOLENCE_ROW)
    flag = JumpFlag.objects.get(report=report, cell="victims")
    assert flag.value == 30 and float(flag.trailing_mean) == 6.0
    services.report_save(
        user=region_coordinator, region=report.region, topic="violence", year=2025, month=6, values=VIOLENCE_ROW,
        reason=CorrectionReason.ENTRY_ERROR,
    )  # fmt: skip
    assert not JumpFlag.objects.filter(report=report).exists()


def test_coordinator_confirms_a_jump(region_coordinator):
    report = make_flagged_series(region_coordinator, REGION, VIOLENCE_ROW)
    flag = services.flag_confirm(user=region_coordinator, flag=report.flags.get(cell="victims"))
    assert flag.status == FlagStatus.CONFIRMED


def test_outsider_cannot_record_figures(outsider):
    region = make_region(REGION)
    with pytest.raises(PermissionDenied):
        services.report_save(user=outsider, region=region, topic="violence", year=2025, month=1, values=VIOLENCE_ROW)


def test_a_month_inside_a_recorded_quarter_is_refused(region_coordinator):
    make_region(REGION)
    services.reports_save(
        user=region_coordinator,
        entries=[services.Entry(REGION, "child_labour", 2025, 1, {"freed": 3, "male": 1, "female": 2}, months=3)],
    )
    with pytest.raises(services.FiguresRejected) as exc:
        services.reports_save(
            user=region_coordinator,
            entries=[services.Entry(REGION, "child_labour", 2025, 2, {"freed": 1, "male": 1, "female": 0})],
        )
    assert "overlaps" in exc.value.problems[0]


def test_a_many_period_import_keeps_each_first_version_with_its_figures_in_a_fixed_number_of_queries(
    region_coordinator, django_assert_max_num_queries
):
    make_region(REGION)
    entries = [
        services.Entry(REGION, "violence", year, month, dict(scaled(VIOLENCE_ROW, month)))
        for year in (2024, 2025)
        for month in range(1, 13)
    ]
    with django_assert_max_num_queries(30):
        counts = services.reports_save(user=region_coordinator, entries=entries, source="import")
    assert counts["created"] == 24
    for report in Report.objects.all():
        version = report.versions.get()
        assert (version.number, version.values, version.source) == (1, report.values, "import")


def test_a_count_below_the_minimum_rise_is_never_a_jump():
    from layak.protection.checks import detect_jumps

    assert detect_jumps([1, 1, 1, 9], factor=3, window=6, min_increase=10) == []
    assert [j.index for j in detect_jumps([1, 1, 1, 12], factor=3, window=6, min_increase=10)] == [3]
