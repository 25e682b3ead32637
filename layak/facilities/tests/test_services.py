from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layak.audit.models import AuditEvent
from layak.common.spreadsheets import ImportRejected
from layak.facilities import services
from layak.facilities.choices import Status
from layak.facilities.geo import parse_coordinate
from layak.facilities.imports import facility_import
from layak.facilities.kinds import catalogue
from layak.facilities.models import CertificationStep, Facility
from layak.regions.tests.factories import make_region

from .factories import CIDENG, GAMBIR, PASAR_BARU, certify, make_desa, make_facility, xlsx_upload


def test_every_kind_names_its_sources_and_a_certainty_label():
    data = catalogue()
    assert {"sra", "prap", "rbra", "pisa", "patbm", "uptd_ppa"} <= set(data.kinds)
    for kind in data.kinds.values():
        assert kind.certainty in {"sure", "likely", "product"}
        assert kind.sources and all(s in data.sources for s in kind.sources)


def test_a_facility_is_registered_in_a_desa_of_its_region_and_audited(region_coordinator):
    facility = make_facility(region_coordinator, kind="sra", name="SDN Gambir 01", level="sd", point=(-6.17, 106.82))
    assert facility.status == Status.PROPOSED and facility.desa_id == GAMBIR
    assert facility.steps.get().status == Status.PROPOSED
    event = AuditEvent.objects.get(verb="facility.created")
    assert event.summary == "SDN Gambir 01" and event.region_code == "31.71"
    listed = make_facility(region_coordinator, kind="patbm", name="PATBM Gambir")
    assert listed.status == Status.LISTED and not listed.steps.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"desa": "63.71.01.1001"}, "desa", "is not a desa/kelurahan of"),
        ({"point": (-12.46, 130.84)}, "latitude", "outside Indonesia"),
        ({"kind": "sra"}, "school_level", "Choose the school level"),
        ({"level": "sd"}, "school_level", "applies to schools only"),
        ({"name": "  "}, "name", "Enter the facility's name"),
    ],
)
def test_bad_facilities_are_refused_with_a_reason(region_coordinator, changes, field, message):
    make_region("63.71.01.1001")
    with pytest.raises(ValidationError) as caught:
        make_facility(region_coordinator, **changes)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Facility.objects.exists()


def test_a_point_far_from_the_kabkota_seat_is_refused(region_coordinator):
    region = make_region("31.71")
    region.latitude, region.longitude = -6.18, 106.83
    region.save()
    with pytest.raises(ValidationError, match="cannot be in this regency/city"):
        make_facility(region_coordinator, point=(-7.25, 112.75))  # Surabaya


def test_duplicates_are_refused_by_npsn_and_by_name_in_the_desa(region_coordinator):
    make_facility(region_coordinator, kind="sra", name="SDN 01", level="sd", npsn="20100001")
    with pytest.raises(ValidationError, match="NPSN 20100001"):
        make_facility(region_coordinator, kind="sra", name="SDN 02", level="sd", npsn="20100001")
    with pytest.raises(ValidationError, match="already has a facility of this kind"):
        make_facility(region_coordinator, kind="sra", name="sdn 01", level="sd")
    make_facility(region_coordinator, kind="sra", name="SDN 01", level="sd", desa=CIDENG)


def test_only_the_coordinator_changes_the_register(opd_contributor, outsider):
    for user in (opd_contributor, outsider):
        with pytest.raises(PermissionDenied):
            make_facility(user)


def test_the_certification_lifecycle_records_each_step(region_coordinator):
    facility = make_facility(region_coordinator, kind="sra", name="SDN 01", level="sd")
    with pytest.raises(ValidationError, match="cannot become certified"):
        services.facility_transition(
            user=region_coordinator,
            facility=facility,
            to=Status.CERTIFIED,
            date=datetime.date(2025, 1, 1),
            decree_number="1",
        )
    facility = certify(region_coordinator, facility, until=datetime.date(2028, 3, 1))
    assert (facility.status, facility.decree_number, facility.decree_date) == (
        Status.CERTIFIED,
        "188/SK/2025",
        datetime.date(2025, 3, 1),
    )
    assert list(facility.steps.values_list("status", flat=True)) == ["proposed", "assessed", "certified"]
    with pytest.raises(ValidationError) as caught:
        services.facility_transition(
            user=region_coordinator, facility=facility, to=Status.REVOKED, date=datetime.date(2025, 6, 1)
        )
    assert "note" in caught.value.message_dict
    facility = services.facility_transition(
        user=region_coordinator,
        facility=facility,
        to=Status.REVOKED,
        date=datetime.date(2025, 6, 1),
        note="Kekerasan di sekolah",
    )
    assert facility.ended_on == datetime.date(2025, 6, 1)
    assert AuditEvent.objects.filter(verb="facility.status_changed").count() == 3


def test_a_certificate_is_refused_for_a_kind_without_one_and_before_its_decree(region_coordinator):
    listed = make_facility(region_coordinator, kind="patbm", name="PATBM")
    with pytest.raises(ValidationError, match="has no certificate"):
        services.facility_transition(
            user=region_coordinator, facility=listed, to=Status.ASSESSED, date=datetime.date(2025, 1, 1)
        )
    facility = make_facility(region_coordinator, proposed_on=datetime.date(2024, 1, 1))
    services.facility_transition(
        user=region_coordinator, facility=facility, to=Status.ASSESSED, date=datetime.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as caught:
        services.facility_transition(
            user=region_coordinator,
            facility=facility,
            to=Status.CERTIFIED,
            date=datetime.date(2025, 3, 1),
            decree_number="1",
            valid_until=datetime.date(2025, 2, 1),
        )
    assert "valid_until" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.facility_transition(
            user=region_coordinator,
            facility=facility,
            to=Status.CERTIFIED,
            date=datetime.date(2024, 6, 1),
            decree_number="1",
        )
    assert "before the previous one" in caught.value.message_dict["date"][0]


@pytest.mark.parametrize(
    ("text", "value"), [("-6,2251", "-6.225100"), ("106.845", "106.845000"), ("\u22126.1", "-6.100000"), ("", None)]
)
def test_coordinates_are_read_with_a_dot_or_a_comma_and_never_grouped(text, value):
    result = parse_coordinate(text, "latitude")
    assert (str(result) if result is not None else None) == value


def test_a_coordinate_that_is_not_one_is_refused():
    with pytest.raises(ValidationError, match="not a coordinate"):
        parse_coordinate("6°10'S", "latitude")


ROWS = [
    [
        "Satuan Pendidikan Ramah Anak (SRA)",
        "SDN Gambir 01",
        GAMBIR,
        "20100001",
        "SD/MI",
        "",
        "-6,17",
        "106,82",
        "Certified",
        "188/1/2025",
        "15/03/2025",
        "Wali Kota",
        "14/03/2028",
    ],
    ["sra", "SMPN 5", CIDENG, "20100002", "SMP", "", "", "", "", "", "", "", ""],
    ["PATBM", "PATBM Pasar Baru", PASAR_BARU, "", "", "", "", "", "", "", "", "", ""],
]


def test_an_import_creates_every_facility_with_its_certificate(region_coordinator):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    created = facility_import(user=region_coordinator, region=make_region("31.71"), upload=xlsx_upload(ROWS))
    assert len(created) == 3
    school = Facility.objects.get(npsn="20100001")
    assert (school.status, school.decree_date, str(school.latitude)) == (
        Status.CERTIFIED,
        datetime.date(2025, 3, 15),
        "-6.170000",
    )
    assert Facility.objects.get(npsn="20100002").status == Status.PROPOSED
    assert Facility.objects.get(kind="patbm").status == Status.LISTED
    assert CertificationStep.objects.count() == 2
    assert AuditEvent.objects.get(verb="facility.imported").after == {"facilities": 3}


def test_one_bad_row_imports_nothing_and_every_problem_is_located(region_coordinator):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    bad = [
        *ROWS,
        ["PATBM", "PATBM Gambir", GAMBIR, "", "", "", "", "", "Certified", "1/2025", "01/01/2025", "", ""],
        ["sra", "SD Dobel", GAMBIR, "20100001", "SD", "", "", "", "", "", "", "", ""],
        ["Bioskop", "X", GAMBIR, "", "", "", "", "", "", "", "", "", ""],
        ["rbra", "RBRA Luar", "63.71.01.1001", "", "", "", "-12.46", "130.84", "", "", "", "", ""],
        ["sra", "SMA 1", GAMBIR, "", "SMA", "", "", "", "Certified", "1", "01/03/2025", "", "01/01/2025"],
    ]
    with pytest.raises(ImportRejected) as caught:
        facility_import(user=region_coordinator, region=make_region("31.71"), upload=xlsx_upload(bad))
    errors = [(e.row, e.column.split(" ")[0]) for e in caught.value.row_errors]
    assert errors == [(5, "I"), (6, "D"), (7, "A"), (8, "C"), (8, "G"), (9, "M")]
    assert "has no certificate" in caught.value.row_errors[0].message
    assert not Facility.objects.exists() and not CertificationStep.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(region_coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="not an Excel workbook"):
        facility_import(
            user=region_coordinator, region=make_region("31.71"), upload=SimpleUploadedFile("a.xlsx", b"nope")
        )


def test_totals_need_a_source_and_a_kind_with_a_certificate(region_coordinator):
    region = make_region("31.71")
    with pytest.raises(ValidationError) as caught:
        services.total_save(
            user=region_coordinator, region=region, year=2025, kind="patbm", school_level="", total=5, source=""
        )
    assert set(caught.value.message_dict) == {"kind", "source"}
    row = services.total_save(
        user=region_coordinator, region=region, year=2025, kind="sra", school_level="sd", total=100, source="Dapodik"
    )
    services.total_save(
        user=region_coordinator, region=region, year=2025, kind="sra", school_level="sd", total=120, source="Dapodik 2"
    )
    row.refresh_from_db()
    assert row.total == 120


def test_a_zone_holds_facilities_of_its_own_region(region_coordinator, national_admin):
    region = make_region("31.71")
    facility = make_facility(region_coordinator)
    zone = services.zone_create(
        user=region_coordinator,
        region=region,
        name="Kaltara Gambir",
        members=[facility],
        required_kinds=["rbra", "sra"],
    )
    assert list(zone.members.all()) == [facility]
    with pytest.raises(ValidationError, match="already a zone"):
        services.zone_create(user=region_coordinator, region=region, name="kaltara gambir")
    other = services.facility_create(
        user=national_admin,
        region=make_region("31.75"),
        kind="rbra",
        name="RBRA Timur",
        desa=make_region("31.75.04.1001"),
    )
    with pytest.raises(ValidationError, match="own regency/city"):
        services.zone_set_member(user=region_coordinator, zone=zone, facility=other, member=True)


def test_the_decree_file_goes_to_the_region_evidence_library(region_coordinator):
    from django.core.files.base import ContentFile

    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    facility = make_facility(region_coordinator)
    services.facility_transition(
        user=region_coordinator, facility=facility, to=Status.ASSESSED, date=datetime.date(2025, 1, 1)
    )
    facility = services.facility_transition(
        user=region_coordinator,
        facility=facility,
        to=Status.CERTIFIED,
        date=datetime.date(2025, 2, 1),
        decree_number="188/7/2025",
        upload=ContentFile(pdf, name="sk-rbra.pdf"),
    )
    assert facility.decree_file is not None and facility.decree_file.region_id == "31.71"
    assert facility.steps.get(status=Status.CERTIFIED).evidence == facility.decree_file


def _soon(days: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)


def test_renewing_records_the_new_decree_and_keeps_the_old_one_in_the_history(region_coordinator):
    from django.core.files.base import ContentFile

    from layak.facilities import selectors

    facility = certify(region_coordinator, make_facility(region_coordinator), until=_soon(30), number="188/SK/2025")
    assert selectors.expiring(facility)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    today = _soon(0)
    renewed = services.facility_renew(
        user=region_coordinator,
        facility=facility,
        date=today,
        decree_number="188/SK/2026",
        decree_issuer="Wali Kota",
        valid_until=_soon(3 * 365),
        upload=ContentFile(pdf, name="sk-baru.pdf"),
    )
    assert renewed.status == Status.CERTIFIED and renewed.decree_number == "188/SK/2026"
    assert renewed.decree_date == today and renewed.decree_issuer == "Wali Kota" and not selectors.expiring(renewed)
    assert renewed.decree_file is not None and renewed.decree_file.region_id == "31.71"
    certificates = list(renewed.steps.filter(status=Status.CERTIFIED).order_by("pk"))
    assert [(s.decree_number, s.valid_until) for s in certificates] == [
        ("188/SK/2025", _soon(30)),
        ("188/SK/2026", _soon(3 * 365)),
    ]
    assert certificates[1].evidence == renewed.decree_file
    event = AuditEvent.objects.get(verb="facility.certificate_renewed")
    assert event.before["decree"] == "188/SK/2025" and event.after["decree"] == "188/SK/2026"
    assert event.after["valid_until"] == _soon(3 * 365).isoformat()


def test_a_renewal_is_refused_when_it_does_not_renew(region_coordinator):
    facility = make_facility(region_coordinator)
    with pytest.raises(ValidationError, match="Only a certified"):
        services.facility_renew(
            user=region_coordinator,
            facility=facility,
            date=_soon(0),
            decree_number="1",
            valid_until=_soon(400),
        )
    certify(region_coordinator, facility, until=_soon(30), number="188/SK/2025")
    base = {"user": region_coordinator, "facility": facility, "decree_number": "188/SK/2026"}
    cases = [
        ({"date": _soon(0), "valid_until": _soon(10)}, "valid_until", "runs past the current certificate"),
        ({"date": _soon(0), "valid_until": None}, "valid_until", "until when"),
        ({"date": _soon(3), "valid_until": _soon(400)}, "date", ""),
        ({"date": datetime.date(2025, 2, 1), "valid_until": _soon(400)}, "date", "before the current one"),
        ({"date": _soon(0), "valid_until": _soon(400), "decree_number": " "}, "decree_number", "new certificate"),
    ]
    for changes, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            services.facility_renew(**{**base, **changes})
        assert field in refused.value.message_dict and message in refused.value.message_dict[field][0]
    assert not AuditEvent.objects.filter(verb="facility.certificate_renewed").exists()


def test_replacing_a_certificate_still_well_in_force_must_be_meant(region_coordinator, opd_contributor):
    facility = certify(region_coordinator, make_facility(region_coordinator), until=_soon(300))
    args = {"facility": facility, "date": _soon(0), "decree_number": "188/SK/2026", "valid_until": _soon(1000)}
    with pytest.raises(ValidationError) as refused:
        services.facility_renew(user=region_coordinator, **args)
    assert "tick the box" in refused.value.message_dict["replace_in_force"][0]
    with pytest.raises(PermissionDenied):
        services.facility_renew(user=opd_contributor, replace_in_force=True, **args)
    renewed = services.facility_renew(user=region_coordinator, replace_in_force=True, **args)
    assert renewed.valid_until == _soon(1000)
