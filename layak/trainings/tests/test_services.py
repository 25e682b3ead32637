"""Trainings and participants: permissions, checks, Gugus Tugas links and the Excel import."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from layak.audit.models import AuditEvent
from layak.common.spreadsheets import ImportRejected
from layak.regions.tests.factories import make_region
from layak.taskforces.tests.xlsx_helpers import xlsx_upload
from layak.trainings import services
from layak.trainings.models import Participant

HEADER = ["Name", "OPD", "Organisation", "Position", "Gugus Tugas member", "Certificate issued", "Certificate number"]


@pytest.mark.parametrize("persona", ["opd_contributor", "province_verifier", "outsider"])
def test_only_the_coordinator_records_trainings(request, persona):
    with pytest.raises(PermissionDenied):
        services.training_create(
            user=request.getfixturevalue(persona),
            region=make_region("31.71"),
            kind="bimtek_kha",
            title="X",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 1, 1),
        )


def test_a_training_ending_before_it_starts_is_refused(region_coordinator):
    with pytest.raises(ValidationError) as exc:
        services.training_create(
            user=region_coordinator,
            region=make_region("31.71"),
            kind="diklat_kha",
            title="Diklat",
            starts_on=datetime.date(2025, 3, 2),
            ends_on=datetime.date(2025, 3, 1),
        )
    assert exc.value.message_dict == {"ends_on": ["The last day cannot come before the first day."]}


def test_a_gugus_tugas_member_is_linked_by_name(region_coordinator, bimtek, decree, agencies):
    p = services.participant_create(
        user=region_coordinator,
        training=bimtek,
        name="dr.  Budi Santoso",
        agency=agencies["Dinkes"],
        is_taskforce_member=True,
        certificate_number="12/BIMTEK/2025",
    )
    assert p.taskforce_member.name == "dr. Budi Santoso" and p.certificate_issued
    assert AuditEvent.objects.filter(verb="training.participant_added").count() == 1


def test_the_same_person_twice_in_a_training_is_refused(region_coordinator, bimtek, agencies):
    services.participant_create(user=region_coordinator, training=bimtek, name="Ani", agency=agencies["Dinkes"])
    with pytest.raises(ValidationError) as exc:
        services.participant_create(user=region_coordinator, training=bimtek, name="ANI", agency=agencies["Dinkes"])
    assert "name" in exc.value.message_dict


def test_opd_contributor_may_not_add_participants(opd_contributor, bimtek, agencies):
    with pytest.raises(PermissionDenied):
        services.participant_create(user=opd_contributor, training=bimtek, name="Ani", agency=agencies["Dinkes"])


def test_participants_are_imported_and_linked_to_members(region_coordinator, bimtek, decree):
    upload = xlsx_upload(
        [
            ["Ahmad Fauzi", "Bappeda", "", "Kepala", "ya", "ya", "001/2025"],
            ["Siti Rahmah", "DP3A", "", "Kepala", "yes", "tidak", ""],
            ["Relawan Satu", "", "LPA Kota", "Relawan", "tidak", "", ""],
        ],
        header=HEADER,
        title="Peserta",
    )
    created = services.participant_import(user=region_coordinator, training=bimtek, upload=upload)
    assert [(p.name, p.agency_id is not None, p.taskforce_member_id is not None) for p in created] == [
        ("Ahmad Fauzi", True, True),
        ("Siti Rahmah", True, True),
        ("Relawan Satu", False, False),
    ]
    assert AuditEvent.objects.get(verb="training.participants_imported").after == {"count": 3}


def test_a_bad_participant_row_imports_nothing_with_precise_errors(region_coordinator, bimtek, agencies):
    upload = xlsx_upload(
        [
            ["Ahmad Fauzi", "Bappeda", "", "Kepala", "ya", "ya", ""],
            ["Tanpa Instansi", "", "", "Staf", "tidak", "tidak", ""],
            ["Jawaban Aneh", "Dinkes", "", "Staf", "mungkin", "tidak", ""],
            ["Ahmad Fauzi", "Bappeda", "", "Kepala", "ya", "ya", ""],
        ],
        header=HEADER,
        title="Peserta",
    )
    with pytest.raises(ImportRejected) as exc:
        services.participant_import(user=region_coordinator, training=bimtek, upload=upload)
    assert [(e.row, e.column) for e in exc.value.row_errors] == [
        (3, "C (Organisation)"),
        (4, "E (Gugus Tugas member (ya/tidak))"),
        (5, "A (Name)"),
    ]
    assert not Participant.objects.exists()


def test_a_non_xlsx_participant_file_is_refused(region_coordinator, bimtek):
    with pytest.raises(ValidationError) as exc:
        services.participant_import(
            user=region_coordinator, training=bimtek, upload=SimpleUploadedFile("peserta.pdf", b"%PDF-1.4")
        )
    assert "not an Excel workbook" in exc.value.messages[0]


def test_the_participant_template_imports_cleanly(region_coordinator, bimtek, agencies):
    content = services.participant_template(region=make_region("31.71"))
    created = services.participant_import(
        user=region_coordinator, training=bimtek, upload=SimpleUploadedFile("t.xlsx", content)
    )
    assert len(created) == 2


def test_removing_a_participant_is_audited(region_coordinator, bimtek, agencies):
    p = services.participant_create(user=region_coordinator, training=bimtek, name="Ani", agency=agencies["Dinkes"])
    services.participant_remove(user=region_coordinator, participant=p)
    assert not Participant.objects.exists()
    assert AuditEvent.objects.filter(verb="training.participant_removed").count() == 1
