from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from layak.common.spreadsheets import ImportRejected
from layak.plans.imports import actions_import
from layak.plans.models import Action, ActionYear

from .factories import xlsx

GOOD = [
    [
        "Posyandu ramah anak",
        "Kesehatan anak",
        "I2",
        "survival",
        "Dinkes",
        "existing",
        2025,
        "10 posyandu",
        10,
        150000000,
    ],
    [
        "Posyandu ramah anak",
        "Kesehatan anak",
        "I2",
        "survival",
        "Dinkes",
        "existing",
        2026,
        "15 posyandu",
        15,
        175000000,
    ],
    ["Forum Anak kelurahan", "", "K1, I1", "participation", "", "planned", 2025, "", None, "25000000"],
]


def test_import_creates_actions_with_their_years(plan, region_coordinator, dinkes):
    actions = actions_import(user=region_coordinator, plan=plan, upload=xlsx(GOOD))
    assert len(actions) == 2
    posyandu = Action.objects.get(title="Posyandu ramah anak")
    assert posyandu.agency == dinkes and posyandu.status == "existing"
    assert list(posyandu.years.values_list("year", flat=True)) == [2025, 2026]
    forum = Action.objects.get(title="Forum Anak kelurahan")
    assert sorted(forum.indicators.values_list("code", flat=True)) == ["I1", "K1"]


def test_import_is_all_or_nothing_and_names_sheet_row_and_column(plan, region_coordinator, dinkes):
    bad = [*GOOD, ["Taman", "", "Z9", "happiness", "Dinas Nowhere", "maybe", 2031, "", "x", "-5"]]
    with pytest.raises(ImportRejected) as caught:
        actions_import(user=region_coordinator, plan=plan, upload=xlsx(bad))
    where = {(e.sheet, e.row, e.column[0]) for e in caught.value.row_errors}
    assert where == {("RAD", 5, c) for c in "CDEFGIJ"}
    assert "Sheet “RAD”, row 5, column C" in caught.value.messages[0]
    assert not Action.objects.exists() and not ActionYear.objects.exists()


def test_import_refuses_the_same_activity_twice_in_a_year(plan, region_coordinator, dinkes):
    with pytest.raises(ImportRejected, match="already has a row for 2025"):
        actions_import(user=region_coordinator, plan=plan, upload=xlsx([GOOD[0], GOOD[0]]))


def test_a_file_that_is_not_xlsx_gets_a_clear_message(plan, region_coordinator):
    upload = io.BytesIO(b"title,year\nPosyandu,2025\n")
    with pytest.raises(ValidationError, match=r"not an Excel workbook \(\.xlsx\)"):
        actions_import(user=region_coordinator, plan=plan, upload=upload)


def test_a_workbook_without_the_rad_sheet_is_refused(plan, region_coordinator):
    with pytest.raises(ImportRejected, match="no sheet named"):
        actions_import(user=region_coordinator, plan=plan, upload=xlsx(GOOD, sheet="Sheet1"))


def test_opd_contributor_cannot_import(plan, opd_contributor):
    with pytest.raises(PermissionDenied):
        actions_import(user=opd_contributor, plan=plan, upload=xlsx(GOOD))


def test_template_downloads_with_the_header_and_a_guide(login, region_coordinator, plan):
    response = login(region_coordinator).get(f"/plans/{plan.pk}/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["RAD", "Guide"]
    assert book["RAD"]["A1"].value == "Activity"


def test_import_page_lists_row_errors_and_imports_nothing(login, region_coordinator, plan):
    bad = xlsx([["", "", "", "", "", "", 2025, "", "", ""]])
    response = login(region_coordinator).post(f"/plans/{plan.pk}/import", {"upload": bad})
    assert response.status_code == 400
    assert b"Nothing was imported" in response.content and b"import-errors" in response.content
    assert not Action.objects.exists()


def test_import_page_refuses_a_csv_with_a_message(login, region_coordinator, plan):
    upload = io.BytesIO(b"a,b\n")
    upload.name = "rad.csv"
    response = login(region_coordinator).post(f"/plans/{plan.pk}/import", {"upload": upload})
    assert response.status_code == 400 and b"not an Excel workbook (.xlsx)" in response.content
