"""The Excel round trip: download the instrument, fill it, upload it back; every error located, all or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layak.audit.models import AuditEvent
from layak.common.spreadsheets import ImportRejected
from layak.evaluations.excel import assessment_excel_import, assessment_workbook
from layak.evaluations.models import Answer
from layak.evaluations.services import answer_save

from .factories import attach_evidence


def workbook(assessment, user):
    return openpyxl.load_workbook(io.BytesIO(assessment_workbook(assessment, user)))


def row_of(sheet, element_code):
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[2].value == element_code)


def fill(book, cells: dict[tuple[str, str], object], column="H"):
    """Sets the value cell (or another column) of each (sheet, element code)."""
    for (sheet, code), value in cells.items():
        book[sheet][f"{column}{row_of(book[sheet], code)}"] = value


def upload_of(book, name="instrumen.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def do_import(user, assessment, book):
    return assessment_excel_import(user=user, assessment=assessment, upload=upload_of(book))


def test_workbook_has_instructions_and_one_locked_sheet_per_group(region_coordinator, assessment, indicators):
    attach_evidence(assessment, indicators["K1"], element_code="policy_docs", name="Perda KLA.pdf")
    book = workbook(assessment, region_coordinator)
    assert book.sheetnames == ["Instructions", "K", "I"]
    sheet = book["K"]
    assert [c.value for c in sheet[1]][:8] == [
        "Indicator",
        "Indicator name",
        "Element code",
        "Data",
        "Type",
        "Unit",
        "Allowed values",
        "Value",
    ]
    assert sheet.protection.sheet and sheet.column_dimensions["C"].hidden and sheet.column_dimensions["K"].hidden
    assert sheet[f"H{row_of(sheet, 'policy_docs')}"].value == "Perda KLA.pdf"
    assert sheet[f"H{row_of(sheet, 'policy_docs')}"].protection.locked
    assert not sheet[f"H{row_of(sheet, 'policy_count')}"].protection.locked
    lists = {str(v.sqref): v.formula1 for v in book["I"].data_validations.dataValidation}
    assert lists[f"H{row_of(book['I'], 'data_quality')}"] == '"full,partial,none"'
    assert any(v.formula1 == '"Yes,No"' for v in sheet.data_validations.dataValidation)


def test_round_trip_imports_values_and_narratives_in_one_audited_event(region_coordinator, assessment, indicators):
    book = workbook(assessment, region_coordinator)
    fill(
        book,
        {
            ("K", "perda_kla"): "Yes",
            ("K", "policy_count"): 4,
            ("I", "children_total"): 1000,
            ("I", "children_with_akta"): 950,
            ("I", "immunisation_pct"): 96.5,
            ("I", "data_quality"): "Lengkap",
        },
    )
    fill(book, {("I", "children_total"): "Pelayanan akta keliling"}, column="I")
    result = do_import(region_coordinator, assessment, book)
    assert result.revisions == {"K1": 1, "I1": 1, "I2": 1}
    answers = {a.indicator.code: a for a in Answer.objects.select_related("indicator")}
    assert answers["K1"].values == {"perda_kla": True, "policy_count": "4"}
    assert answers["I2"].values == {"immunisation_pct": "96.5", "data_quality": "full"}
    assert answers["I1"].narrative_done == "Pelayanan akta keliling"
    event = AuditEvent.objects.get(verb="assessment.excel_imported")
    assert event.after["count"] == 3 and not AuditEvent.objects.filter(verb="answer.saved").exists()
    again = workbook(assessment, region_coordinator)
    assert again["I"][f"H{row_of(again['I'], 'immunisation_pct')}"].value == 96.5
    assert do_import(region_coordinator, assessment, again).count == 0  # unchanged: nothing rewritten


def test_every_bad_cell_is_reported_with_sheet_row_and_column_and_nothing_is_written(
    region_coordinator, assessment, indicators
):
    book = workbook(assessment, region_coordinator)
    fill(
        book,
        {
            ("K", "perda_kla"): "Yes",
            ("I", "immunisation_pct"): 120,
            ("K", "policy_count"): "banyak",
            ("I", "children_total"): 10,
            ("I", "children_with_akta"): 11,
            ("I", "data_quality"): "sempurna",
        },
    )
    with pytest.raises(ImportRejected) as rejected:
        do_import(region_coordinator, assessment, book)
    found = {(e.sheet, e.row, e.column): e.message for e in rejected.value.row_errors}
    k, i = book["K"], book["I"]
    assert found == {
        ("K", row_of(k, "policy_count"), "H"): "“banyak” is not a number. Write it like 1,234.5 or 1234.",
        ("I", row_of(i, "children_with_akta"), "H"): found[("I", row_of(i, "children_with_akta"), "H")],
        ("I", row_of(i, "immunisation_pct"), "H"): "Enter a percentage between 0 and 100.",
        ("I", row_of(i, "data_quality"), "H"): "Choose one of the listed options.",
    }
    assert "This cannot be more than" in found[("I", row_of(i, "children_with_akta"), "H")]
    assert str(rejected.value.row_errors[0]).startswith(f"Sheet “K”, row {row_of(k, 'policy_count')}, column H:")
    assert not Answer.objects.exists() and not AuditEvent.objects.filter(verb="assessment.excel_imported").exists()


def test_an_answer_changed_since_the_download_is_a_conflict(region_coordinator, assessment, indicators):
    book = workbook(assessment, region_coordinator)
    answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["I2"],
        values={"immunisation_pct": "80"},
        expected_revision=0,
    )
    fill(book, {("I", "immunisation_pct"): 85, ("K", "policy_count"): 3})
    with pytest.raises(ImportRejected) as rejected:
        do_import(region_coordinator, assessment, book)
    [error] = rejected.value.row_errors
    assert error.sheet == "I" and error.column == "K" and "Indicator I2 was saved by" in error.message
    assert Answer.objects.get().values == {"immunisation_pct": "80"}  # K1 was not imported either


def test_a_contributor_may_import_only_assigned_indicators(
    region_coordinator, opd_contributor, assessment, indicators, dinkes_assignment
):
    own = workbook(assessment, opd_contributor)
    assert own.sheetnames == ["Instructions", "I"] and row_of(own["I"], "children_total")
    book = workbook(assessment, region_coordinator)  # a coordinator's copy, with every indicator
    fill(book, {("I", "children_total"): 100, ("I", "immunisation_pct"): 90})
    with pytest.raises(ImportRejected) as rejected:
        do_import(opd_contributor, assessment, book)
    assert [("I2" in e.message, e.column) for e in rejected.value.row_errors] == [(True, "A")]
    fill(book, {("I", "immunisation_pct"): None})
    assert do_import(opd_contributor, assessment, book).revisions == {"I1": 1}


@pytest.mark.parametrize("data", [b"not a spreadsheet", b"PK\x03\x04broken zip", b"%PDF-1.4 ..."])
def test_a_file_that_is_not_a_workbook_gets_a_clear_message(region_coordinator, assessment, data):
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        assessment_excel_import(
            user=region_coordinator, assessment=assessment, upload=SimpleUploadedFile("x.xlsx", data)
        )


# --- pages ---------------------------------------------------------------------------------------------------


def page_url(assessment, name="assessment_excel_upload"):
    return reverse(f"evaluations:{name}", args=[assessment.pk])


def test_download_and_upload_through_the_pages(login, region_coordinator, assessment):
    client = login(region_coordinator)
    response = client.get(page_url(assessment, "assessment_excel_download"))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    fill(book, {("I", "immunisation_pct"): 120})
    refused = client.post(page_url(assessment), {"file": upload_of(book)})
    body = refused.content.decode()
    assert refused.status_code == 422 and "Nothing was imported" in body and "Enter a percentage" in body
    fill(book, {("I", "immunisation_pct"): 95})
    done = client.post(page_url(assessment), {"file": upload_of(book)})
    assert done.status_code == 302 and Answer.objects.get().values == {"immunisation_pct": "95"}


def test_overview_links_to_excel_and_the_evidence_library(login, region_coordinator, assessment):
    body = login(region_coordinator).get(assessment.get_absolute_url()).content.decode()
    assert page_url(assessment) in body and reverse("evidence:evidence_library", args=["31.71"]) in body


@pytest.mark.parametrize("name", ["assessment_excel_download", "assessment_excel_upload"])
def test_outsider_gets_404_and_anonymous_the_login(client, login, outsider, assessment, name):
    anonymous = client.get(page_url(assessment, name))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert login(outsider).get(page_url(assessment, name)).status_code == 404


def test_download_queries_do_not_grow_with_answers(
    login, region_coordinator, assessment, indicators, django_assert_max_num_queries
):
    client = login(region_coordinator)
    with django_assert_max_num_queries(14) as empty:
        client.get(page_url(assessment, "assessment_excel_download"))
    for code, values in {"K1": {"policy_count": "2"}, "I2": {"immunisation_pct": "50"}}.items():
        answer_save(
            user=region_coordinator,
            assessment=assessment,
            indicator=indicators[code],
            values=values,
            expected_revision=0,
        )
        attach_evidence(assessment, indicators[code])
    with django_assert_max_num_queries(len(empty.captured_queries)):
        client.get(page_url(assessment, "assessment_excel_download"))


def test_a_cell_bomb_is_refused_by_the_instrument_import_with_bounded_memory(region_coordinator, assessment):
    """A quarter million cells on a group's sheet, within the unpacked-size cap: read row by row, refused at the cell
    cap; Python's peak allocation while importing stays under 50 MB (the whole workbook loaded took ~700 MB)."""
    import tracemalloc

    from layak.common.tests.test_spreadsheets import cell_bomb

    data = cell_bomb(250_000, per_row=11, sheet_name="I")
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="more than 200,000 cells"):
            assessment_excel_import(
                user=region_coordinator, assessment=assessment, upload=SimpleUploadedFile("bomb.xlsx", data)
            )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, peak
