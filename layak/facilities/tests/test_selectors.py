from __future__ import annotations

import datetime
from decimal import Decimal

from layak.facilities import selectors, services
from layak.facilities.choices import Status
from layak.facilities.providers import facility_values
from layak.regions.tests.factories import make_region

from .factories import CIDENG, GAMBIR, PASAR_BARU, certify, make_desa, make_facility

PENJARINGAN = "31.72.01.1001"


def _gambir_cluster(user):
    rbra = certify(user, make_facility(user, kind="rbra", name="RBRA Gambir", point=(-6.1700, 106.8200)))
    school = make_facility(user, kind="sra", name="SDN Gambir", level="sd", point=(-6.1710, 106.8210))
    puskesmas = make_facility(user, kind="prap", name="Puskesmas Gambir", point=(-6.1690, 106.8190))
    far = make_facility(user, kind="pisa", name="PISA Jauh", point=(-6.2000, 106.8500))
    return rbra, school, puskesmas, far


def test_coverage_lists_kinds_per_desa_and_the_gaps(region_coordinator):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    make_facility(region_coordinator, kind="patbm", name="PATBM Gambir")
    make_facility(region_coordinator, kind="rbra", name="RBRA Gambir")
    ended = make_facility(region_coordinator, kind="rbra", name="RBRA Cideng", desa=CIDENG)
    certify(region_coordinator, ended)
    services.facility_transition(
        user=region_coordinator, facility=ended, to=Status.EXPIRED, date=datetime.date(2025, 6, 1)
    )
    coverage = selectors.coverage_for_region(region=make_region("31.71"))
    desa = {d.code: d for k in coverage.kecamatan for d in k.desa}
    assert desa[GAMBIR].missing == [] and desa[GAMBIR].kinds == {"patbm": 1, "rbra": 1}
    assert desa[CIDENG].missing == ["rbra", "patbm"]  # the expired RBRA does not count
    assert coverage.desa_count == 3 and coverage.desa_gap_count == 2
    gambir_kecamatan = next(k for k in coverage.kecamatan if k.code == "31.71.01")
    assert gambir_kecamatan.missing == ["prap"]
    picked = selectors.coverage_for_region(region=make_region("31.71"), desa_kinds=["sra"], kecamatan_kinds=[])
    assert picked.desa_gap_count == 3 and picked.kecamatan_gap_count == 0


def test_coverage_runs_three_queries_whatever_the_data(region_coordinator, django_assert_num_queries):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    region = make_region("31.71")
    with django_assert_num_queries(3):
        selectors.coverage_for_region(region=region)
    for n in range(8):
        make_facility(
            region_coordinator,
            kind="rbra",
            name=f"RBRA {n}",
            desa=[GAMBIR, CIDENG, PASAR_BARU][n % 3],
            point=(-6.17 + n / 1000, 106.82) if n % 2 else None,
        )
    with django_assert_num_queries(3):
        assert selectors.coverage_for_region(region=region).desa_gap_count == 3  # PATBM missing everywhere


def _desa_points():
    from layak.regions.models import Region

    make_desa(GAMBIR, CIDENG, PASAR_BARU, PENJARINGAN)
    for code, (lat, lon) in {
        GAMBIR: (-6.1700, 106.8200),
        CIDENG: (-6.1750, 106.8100),
        PASAR_BARU: (-6.1600, 106.8350),
        PENJARINGAN: (-6.1720, 106.8220),
    }.items():
        Region.objects.filter(code=code).update(latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))


def test_a_desa_is_covered_by_a_facility_in_it_or_within_the_kinds_walking_distance(region_coordinator, national_admin):
    _desa_points()
    # RBRA (500 m) in Gambir, 350 m from Cideng's point is not enough (Cideng is ~1.2 km away); PATBM (1,000 m)
    # in Cideng, ~1.2 km from Gambir: too far; a PATBM of Jakarta Utara 300 m from Gambir does not count for
    # Jakarta Pusat (a facility covers the desa of its own kab/kota).
    make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.1705, 106.8205))
    make_facility(region_coordinator, kind="patbm", name="PATBM Cideng", desa=CIDENG, point=(-6.1750, 106.8100))
    services.facility_create(
        user=national_admin,
        region=make_region("31.72"),
        kind="patbm",
        name="PATBM Penjaringan",
        desa=PENJARINGAN,
        latitude=Decimal("-6.1720"),
        longitude=Decimal("106.8220"),
    )
    make_facility(region_coordinator, kind="patbm", name="PATBM tanpa titik", desa=PASAR_BARU)
    coverage = selectors.coverage_for_region(region=make_region("31.71"))
    desa = {d.code: d for k in coverage.kecamatan for d in k.desa}
    assert desa[GAMBIR].kinds == {"rbra": 1} and desa[GAMBIR].near == {} and desa[GAMBIR].missing == ["patbm"]
    assert desa[CIDENG].near == {} and desa[CIDENG].missing == ["rbra"]
    assert desa[PASAR_BARU].missing == ["rbra"] and desa[PASAR_BARU].kinds == {"patbm": 1}
    # A second RBRA 400 m from Cideng's point covers Cideng on foot, with the distance; Pasar Baru stays a gap.
    make_facility(region_coordinator, kind="rbra", name="RBRA Taman", desa=GAMBIR, point=(-6.1750, 106.8136))
    coverage = selectors.coverage_for_region(region=make_region("31.71"))
    desa = {d.code: d for k in coverage.kecamatan for d in k.desa}
    assert desa[CIDENG].missing == [] and 380 <= desa[CIDENG].near["rbra"] <= 420
    assert desa[PASAR_BARU].missing == ["rbra"]
    assert [(s.kind, s.inside, s.near) for s in coverage.shares()] == [("rbra", 1, 1), ("patbm", 2, 0)]
    summary = selectors.gap_summary(prefix="31")
    assert summary["31.71"].desa == 3 and summary["31.71"].with_gaps == 2
    assert summary["31.71"].inside == {"rbra": 1, "patbm": 2} and summary["31.71"].near == {"rbra": 1}
    assert summary["31.72"].inside == {"patbm": 1} and summary["31.72"].with_gaps == 1
    assert selectors.gap_summary(prefix="31.71") == {"31.71": summary["31.71"]}


def test_the_national_gap_summary_runs_three_queries(region_coordinator, django_assert_num_queries):
    _desa_points()
    make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.1705, 106.8205))
    with django_assert_num_queries(3):
        selectors.gap_summary()
    for n in range(6):
        make_facility(region_coordinator, kind="patbm", name=f"PATBM {n}", desa=CIDENG, point=(-6.17, 106.81 + n / 100))
    with django_assert_num_queries(3):
        assert selectors.gap_summary()["31.71"].with_gaps == 2


def test_a_zone_says_what_it_lacks_and_which_members_are_too_far(region_coordinator):
    rbra, school, puskesmas, far = _gambir_cluster(region_coordinator)
    zone = services.zone_create(
        user=region_coordinator,
        region=make_region("31.71"),
        name="Kaltara Gambir",
        required_kinds=["rbra", "sra", "prap", "pisa", "patbm"],
        members=[rbra, school, puskesmas, far],
    )
    report = selectors.zone_report(zone=zone)
    assert report.missing == ["patbm"] and not report.complete
    assert {(a.name, b.name) for a, b, _d in report.too_far} == {
        ("PISA Jauh", "Puskesmas Gambir"),
        ("PISA Jauh", "RBRA Gambir"),
        ("PISA Jauh", "SDN Gambir"),
    }
    services.zone_set_member(user=region_coordinator, zone=zone, facility=far, member=False)
    zone.required_kinds = ["rbra", "sra", "prap"]
    assert selectors.zone_report(zone=zone).complete


def test_suggestions_gather_facilities_near_a_play_space_or_in_its_desa(region_coordinator):
    rbra, _school, _puskesmas, far = _gambir_cluster(region_coordinator)
    no_point = make_facility(region_coordinator, kind="patbm", name="PATBM Gambir")
    suggestions = selectors.zone_suggestions(region=make_region("31.71"))
    assert len(suggestions) == 1
    members = {f.name for f in suggestions[0].members}
    assert members == {"RBRA Gambir", "SDN Gambir", "Puskesmas Gambir", "PATBM Gambir"}
    assert suggestions[0].missing == ["pisa"] and far not in suggestions[0].members and no_point
    services.zone_create(user=region_coordinator, region=make_region("31.71"), name="Z", members=[rbra])
    assert selectors.zone_suggestions(region=make_region("31.71")) == []


def test_zone_pages_read_in_a_fixed_number_of_queries(region_coordinator, django_assert_num_queries):
    region = make_region("31.71")
    _gambir_cluster(region_coordinator)
    with django_assert_num_queries(2):
        selectors.zone_suggestions(region=region)
    with django_assert_num_queries(2):
        selectors.zone_reports_for_region(region=region)


def test_shares_count_certificates_in_force_at_the_end_of_the_year(region_coordinator):
    region = make_region("31.71")
    one = certify(
        region_coordinator,
        make_facility(region_coordinator, kind="sra", name="SD 1", level="sd"),
        on=datetime.date(2024, 5, 1),
    )
    certify(
        region_coordinator,
        make_facility(region_coordinator, kind="sra", name="SD 2", level="sd"),
        on=datetime.date(2025, 5, 1),
    )
    certify(
        region_coordinator,
        make_facility(region_coordinator, kind="sra", name="SD 3", level="sd"),
        on=datetime.date(2023, 5, 1),
        until=datetime.date(2024, 6, 30),
    )
    services.facility_transition(
        user=region_coordinator, facility=one, to=Status.REVOKED, date=datetime.date(2025, 7, 1), note="x"
    )
    services.total_save(
        user=region_coordinator, region=region, year=2024, kind="sra", school_level="sd", total=40, source="Dapodik"
    )
    shares = {(s.kind, s.level): s for s in selectors.certified_shares(region=region, year=2024)}
    assert shares[("sra", "sd")].certified == 1 and shares[("sra", "sd")].percent == 2.5
    assert shares[("sra", "tk")].total is None and shares[("prap", "")].certified == 0
    assert {(s.kind, s.level): s.certified for s in selectors.certified_shares(region=region, year=2025)}[
        ("sra", "sd")
    ] == 1


def test_the_provider_offers_percentages_when_the_total_is_known(region_coordinator, django_assert_num_queries):
    region = make_region("31.71")
    certify(region_coordinator, make_facility(region_coordinator, kind="sra", name="SD 1", level="sd"))
    certify(region_coordinator, make_facility(region_coordinator, kind="rbra", name="RBRA 1"))
    make_facility(region_coordinator, kind="rass", name="RASS SD 1")
    services.total_save(
        user=region_coordinator, region=region, year=2025, kind="sra", school_level="sd", total=8, source="Dapodik 2025"
    )
    with django_assert_num_queries(3):
        values = {v.key: v for v in facility_values(region, 2025)}
    assert values["facilities.sra_percent_sd"].value == {"numerator": 1, "denominator": 8}
    assert (
        "1 of 8" in values["facilities.sra_percent_sd"].source
        and "Dapodik 2025" in values["facilities.sra_percent_sd"].source
    )
    assert "facilities.sra_percent_tk" not in values and "facilities.prap_percent" not in values
    assert values["facilities.sra_certified"].value == 1 and values["facilities.rbra_certified_exists"].value is True
    assert values["facilities.rass_exists"].value is True and values["facilities.ila_exists"].value is False
    assert values["facilities.pisa_certified_exists"].value is False
    assert {v.key: v.value for v in facility_values(region, 2024)}["facilities.sra_certified"] == 0


def test_the_kla_2024_questions_take_the_register_values(region_coordinator):
    from django.conf import settings

    from layak.evaluations.question_services import offer_values
    from layak.frameworks.models import Question
    from layak.frameworks.services import framework_load_file

    framework_load_file(f"{settings.LAYAK_FRAMEWORKS_DIR}/kla-2024.yaml")
    region = make_region("31.71")
    certify(region_coordinator, make_facility(region_coordinator, kind="sra", name="SD 1", level="sd"))
    services.total_save(
        user=region_coordinator, region=region, year=2025, kind="sra", school_level="sd", total=8, source="Dapodik"
    )
    values = {v.key: v.value for v in facility_values(region, 2025)}
    questions = {
        f"{q.indicator.code}.{q.code}": q
        for q in Question.objects.filter(indicator__version__slug="kla-2024")
        .exclude(computed_key="")
        .select_related("indicator")
    }
    assert {code: q.computed_key for code, q in questions.items() if code.startswith("19.")} == {
        "19.2a": "facilities.sra_percent_tk",
        "19.2b": "facilities.sra_percent_sd",
        "19.2c": "facilities.sra_percent_smp",
        "19.2d": "facilities.sra_percent_sma",
        "19.2e": "facilities.sra_percent_slb",
        "19.3": "facilities.sra_certified",
    }
    facility_keys = {code: q for code, q in questions.items() if q.computed_key.startswith("facilities.")}
    assert len(facility_keys) == 14
    assert offer_values(questions["19.2b"], values["facilities.sra_percent_sd"], [2025]) == {
        "years": {2025: {"numerator": 1, "denominator": 8}}
    }
    assert offer_values(questions["19.3"], values["facilities.sra_certified"], [2025]) == {
        "years": {2025: {"count": 1}}
    }
    assert offer_values(questions["11.2"], values["facilities.rbra_certified_exists"], [2025]) == {"yes": False}
    for question in facility_keys.values():
        if question.computed_key in values:
            offer_values(question, values[question.computed_key], [2025])  # every offered value fits its question
