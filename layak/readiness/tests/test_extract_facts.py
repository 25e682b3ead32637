"""Extraction (bounded, each unreadable kind told apart) and the facts found in Indonesian text."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from layak.evidence import sniff
from layak.readiness import corpus, extract
from layak.readiness.checks import named_regions
from layak.readiness.facts import (
    facts_of,
    find_dates,
    find_decree_numbers,
    find_fiscal_years,
    find_periods,
    parse_number,
    region_mentions,
)


def test_indonesian_dates_in_every_form():
    text = "Ditetapkan 5 Pebruari 2024, rapat 17 AGUSTUS 2023, surat 3 Agt 2022, nota 09-11-2021, sel 2020-01-31"
    assert find_dates(text) == [
        date(2024, 2, 5),
        date(2023, 8, 17),
        date(2022, 8, 3),
        date(2021, 11, 9),
        date(2020, 1, 31),
    ]
    assert find_dates("31 Februari 2024 dan 12 Bulan 2024") == []  # no such day, no such month


def test_decree_numbers_periods_and_fiscal_years():
    text = "NOMOR: 188.45/123/HK/417.111/2018 tentang Gugus Tugas Periode 2018\u20132020; Perda Nomor 12 Tahun 2016"
    numbers = find_decree_numbers(text)
    assert [(n.text, n.year) for n in numbers] == [("188.45/123/HK/417.111/2018", 2018), ("12 Tahun 2016", 2016)]
    assert find_periods(text) == [(2018, 2020)]
    assert find_periods("Masa Bakti 2021 s.d. 2023 dan Tahun 2019 sampai dengan 2022") == [(2021, 2023), (2019, 2022)]
    assert find_periods("Periode 2030-2018") == []  # backwards is not a period
    assert find_fiscal_years("DPA Tahun Anggaran 2025") == [2025]


def test_region_mentions_and_numbers():
    mentions = region_mentions(
        "KEPUTUSAN WALI KOTA MOJOKERTO tentang Gugus Tugas Kabupaten/Kota Layak Anak Kota Mojokerto"
    )
    assert "kota mojokerto" in mentions and "kota mojokerto tentang gugus tugas" in mentions
    assert named_regions(mentions, frozenset({"kota mojokerto", "kabupaten mojokerto"})) == {"kota mojokerto"}
    assert region_mentions("Bupati Sleman")[0] == "kabupaten sleman"
    assert parse_number("1.234,5") == Decimal("1234.5")
    assert parse_number("1.234") == Decimal("1234")
    assert parse_number("45,3%") == Decimal("45.3")
    assert parse_number("Kecamatan 1") is None


def test_pdf_decree_facts():
    rng = random.Random(1)
    paragraphs = corpus.decree_text("Kota Mojokerto", 2018, 2020, date(2018, 3, 14), rng)
    data = corpus.pdf_bytes("".join(f"<p>{p}</p>" for p in paragraphs))
    extracted = extract.extract(data, sniff.PDF)
    assert extracted.status == extract.OK and extracted.pages == 1
    facts = facts_of(extracted, "SK Gugus Tugas")
    assert facts.is_decree and (2018, 2020) in facts.periods
    assert facts.signed_on == date(2018, 3, 14) and facts.document_year == 2018
    assert "kota mojokerto" in " ".join(facts.regions)


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("empty", extract.EMPTY),
        ("scan", extract.IMAGE_ONLY),
        ("password", extract.ENCRYPTED),
        ("junk", extract.UNREADABLE),
    ],
)
def test_unreadable_kinds_told_apart(kind, status):
    if kind == "empty":
        data = b""
    elif kind == "scan":
        data = corpus.pdf_bytes(f"<img src='data:image/png;base64,{corpus._b64(corpus.scan_png(1))}'>")
    elif kind == "password":
        data = corpus.encrypted_pdf(corpus.pdf_bytes("<p>SK rahasia</p>"))
    else:
        data = b"%PDF-1.4\n" + bytes(range(256)) * 2
    assert extract.extract(data, sniff.PDF).status == status


def test_blank_pages_counted():
    data = corpus.pdf_bytes("<p>Laporan</p>" + "<div style='page-break-before: always'></div>&#8203;" * 2)
    result = extract.extract(data, sniff.PDF)
    assert result.status == extract.OK and result.pages == 3 and result.blank_pages == 2


def test_pdf_pages_capped(monkeypatch):
    monkeypatch.setattr(extract, "MAX_PAGES", 3)
    data = corpus.pdf_bytes("<p>a</p>" + "<div style='page-break-before: always'></div><p>b</p>" * 5)
    result = extract.extract(data, sniff.PDF)
    assert result.pages == 3 and result.total_pages == 6 and result.truncated


def test_xlsx_cells_capped_and_totals_read(monkeypatch):
    rows = corpus._matriks_rows("Kota Mojokerto", [2023, 2024], [[1, 2], [3, 4]], ratio=False)
    result = extract.extract(corpus.xlsx_bytes(rows), sniff.XLSX)
    facts = facts_of(result, "MATRIKS")
    assert facts.totals == [Decimal(6)] and {2023, 2024} <= facts.years and facts.is_matriks
    monkeypatch.setattr(extract, "MAX_CELLS", 6)
    capped = extract.extract(corpus.xlsx_bytes(rows), sniff.XLSX)
    assert capped.truncated and sum(len(r) for t in capped.tables for r in t) <= 12


def test_docx_text_and_table():
    data = corpus.docx_bytes(["MATRIKS DATA", "Tahun Anggaran 2024"], [["No", "2023", "2024"], ["Jumlah", "", "7"]])
    facts = facts_of(extract.extract(data, sniff.DOCX), "Data")
    assert facts.is_matriks and facts.totals == [Decimal(7)] and 2024 in facts.fiscal_years


def test_docx_member_too_large_is_not_read(monkeypatch):
    monkeypatch.setattr(extract, "MAX_MEMBER_BYTES", 100)
    data = corpus.docx_bytes(["x" * 500])
    assert extract.extract(data, sniff.DOCX).status == extract.UNREADABLE


def test_zip_with_too_many_members_is_not_read(monkeypatch):
    monkeypatch.setattr(extract, "MAX_ZIP_MEMBERS", 2)
    assert extract.extract(corpus.docx_bytes(["a"]), sniff.DOCX).status == extract.UNREADABLE


def test_type_found_from_bytes_when_not_given():
    assert extract.extract(corpus.docx_bytes(["Laporan 2024"])).text.startswith("Laporan")
    assert extract.extract(b"just text 2024").text == "just text 2024"
