"""Members from Excel: every row or none, with errors that name the sheet, row and column."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from layak.audit.models import AuditEvent
from layak.common.spreadsheets import ImportRejected
from layak.regions.tests.factories import make_region
from layak.taskforces import services
from layak.taskforces.tests.xlsx_helpers import xlsx_upload

HEADER = ["Name", "Position", "OPD", "Organisation", "Role", "Sub-group", "Sector"]


def test_members_are_imported_with_names_and_aliases_resolved(region_coordinator, decree):
    upload = xlsx_upload(
        [
            ["Hendra Gunawan", "Kabid Perencanaan", "Bappeda", "", "anggota", "Kelembagaan", "pemerintah"],
            ["Maya Sari", "Ketua", "", "Yayasan Anak Bangsa", "Anggota", "Klaster II", "lembaga masyarakat"],
            ["Teguh Prasetyo", "Kepala Seksi", "Dinas Kesehatan", "", "coordinator", "III", "Government"],
        ],
        header=HEADER,
    )
    before = decree.members.count()
    created = services.member_import(user=region_coordinator, decree=decree, upload=upload)
    assert [(m.name, m.role, m.area, m.sector) for m in created] == [
        ("Hendra Gunawan", "anggota", "kelembagaan", "pemerintah"),
        ("Maya Sari", "anggota", "klaster_2", "lembaga_masyarakat"),
        ("Teguh Prasetyo", "koordinator", "klaster_3", "pemerintah"),
    ]
    assert created[2].agency.short_name == "Dinkes"
    assert decree.members.count() == before + 3
    assert AuditEvent.objects.get(verb="taskforce.members_imported").after == {"count": 3}


def test_one_bad_row_imports_nothing_and_every_error_is_located(region_coordinator, decree):
    upload = xlsx_upload(
        [
            ["Benar Sekali", "Staf", "Bappeda", "", "anggota", "", "pemerintah"],
            ["", "Staf", "Bappeda", "", "anggota", "", "pemerintah"],
            ["Salah Peran", "Staf", "Bappeda", "", "bendahara", "", "pemerintah"],
            ["Salah Sektor", "Staf", "", "Koran", "anggota", "", "koran"],
            ["OPD Asing", "Staf", "Dinas Pariwisata", "", "anggota", "", "pemerintah"],
        ],
        header=HEADER,
        title="Anggota",
    )
    before = decree.members.count()
    with pytest.raises(ImportRejected) as exc:
        services.member_import(user=region_coordinator, decree=decree, upload=upload)
    located = [(e.sheet, e.row, e.column) for e in exc.value.row_errors]
    assert located == [
        ("Anggota", 3, "A (Name)"),
        ("Anggota", 4, "E (Role)"),
        ("Anggota", 5, "G (Sector)"),
        ("Anggota", 6, "C (OPD)"),
    ]
    assert exc.value.row_errors[3].message == (
        "No OPD named “Dinas Pariwisata” in Kota Administrasi Jakarta Pusat; "
        "use a name from the “Allowed values” sheet."
    )
    assert str(exc.value.row_errors[0]) == "Sheet “Anggota”, row 3, column A (Name): Enter the member's name."
    assert decree.members.count() == before
    assert not AuditEvent.objects.filter(verb="taskforce.members_imported").exists()


def test_a_person_already_in_the_decree_is_an_error(region_coordinator, decree):
    upload = xlsx_upload([["ahmad  fauzi", "", "Bappeda", "", "anggota", "", "pemerintah"]], header=HEADER)
    with pytest.raises(ImportRejected) as exc:
        services.member_import(user=region_coordinator, decree=decree, upload=upload)
    assert exc.value.row_errors[0].column == "A (Name)"


@pytest.mark.parametrize(
    ("name", "content"),
    [("members.csv", b"Name,Role\nA,ketua\n"), ("members.xls", b"\xd0\xcf\x11\xe0old excel"), ("fake.xlsx", b"hello")],
)
def test_a_file_that_is_not_xlsx_gets_a_clear_message(region_coordinator, decree, name, content):
    with pytest.raises(ValidationError) as exc:
        services.member_import(user=region_coordinator, decree=decree, upload=SimpleUploadedFile(name, content))
    assert "not an Excel workbook (.xlsx)" in exc.value.messages[0]


def test_an_empty_sheet_is_refused(region_coordinator, decree):
    with pytest.raises(ValidationError) as exc:
        services.member_import(user=region_coordinator, decree=decree, upload=xlsx_upload([], header=HEADER))
    assert "no rows" in exc.value.messages[0]


def test_opd_contributor_may_not_import(opd_contributor, decree):
    upload = xlsx_upload([["A", "", "Bappeda", "", "anggota", "", "pemerintah"]], header=HEADER)
    with pytest.raises(PermissionDenied):
        services.member_import(user=opd_contributor, decree=decree, upload=upload)


def test_the_template_lists_the_regions_opds_and_imports_cleanly_once_filled(region_coordinator, decree):
    content = services.member_template(region=make_region("31.71"))
    book = load_workbook(io.BytesIO(content))
    sheet, allowed = book.worksheets
    assert [c.value for c in sheet[1]] == HEADER
    opd_column = [c.value for c in allowed["D"]][1:]
    assert "Dinas Kesehatan" in opd_column
    # The template's own example rows import without an error.
    created = services.member_import(
        user=region_coordinator, decree=decree, upload=SimpleUploadedFile("template.xlsx", content)
    )
    assert len(created) == 2
