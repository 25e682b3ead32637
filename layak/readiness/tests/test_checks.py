"""Every check fires on its defect and stays quiet without it (documents the tests generate)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from layak.evidence import sniff
from layak.readiness import corpus
from layak.readiness.checks import CHECKS, DECREE, Context, Document, Finding, Item, Rule, describe, run_checks
from layak.readiness.extract import extract
from layak.readiness.facts import facts_of
from layak.readiness.rules import rule_for

NAMES = frozenset({"kota mojokerto", "kabupaten mojokerto", "kabupaten sleman", "kota surabaya"})
CTX = Context(year=2024, region_name="kota mojokerto", region_names=NAMES)


def _doc(data: bytes, content_type: str, title: str = "Dokumen", evidence_id: int = 1, sha: str = "") -> Document:
    return Document(evidence_id, title, sha or f"sha{evidence_id}", facts_of(extract(data, content_type), title))


def _decree(region: str, start: int, end: int) -> Document:
    paragraphs = corpus.decree_text(region, start, end, date(start, 2, 1), random.Random(3))
    return _doc(corpus.docx_bytes(paragraphs), sniff.DOCX, "SK Gugus Tugas KLA")


def _item(rule: Rule, *docs: Document, value=True, key="K2/gt_decree", **extra) -> Item:
    return Item(key, "K2", key.split("/")[-1], "Label", rule, value, documents=list(docs), **extra)


def _checks(items, ctx=CTX) -> set[str]:
    return {f.check for f in run_checks(items, ctx)}


def test_mojokerto_decree_2018_2020_does_not_cover_2024():
    item = _item(Rule(document_kind=DECREE), _decree("Kota Mojokerto", 2018, 2020))
    [finding] = run_checks([item], CTX)
    assert finding.check == "decree_expired" and finding.params["end"] == 2020
    with translation.override("en"):
        explanation, fix = describe(finding)
    assert "2018\u20132020" in explanation and "2024" in explanation and "2024" in fix


def test_decree_in_force_passes():
    assert _checks([_item(Rule(document_kind=DECREE), _decree("Kota Mojokerto", 2023, 2025))]) == set()


def test_other_region_named_and_not_this_one():
    assert _checks([_item(Rule(document_kind=DECREE), _decree("Kabupaten Mojokerto", 2023, 2025))]) == {"other_region"}


def test_matriks_missing_and_present():
    report = _doc(corpus.docx_bytes(["Laporan kegiatan 3 Maret 2024"]), sniff.DOCX, "Laporan")
    assert "matriks_missing" in _checks([_item(Rule(asks_matriks=True), report)])
    rows = corpus._matriks_rows("Kota Mojokerto", [2023, 2024], [[1, 2]], ratio=False)
    table = _doc(corpus.xlsx_bytes(rows), sniff.XLSX, "Data dukung")
    assert "matriks_missing" not in _checks([_item(Rule(asks_matriks=True), table, value=Decimal(2))])


def test_matriks_total_and_years():
    rows = corpus._matriks_rows("Kota Mojokerto", [2024], [[5], [7]], ratio=False)
    doc = _doc(corpus.xlsx_bytes(rows), sniff.XLSX, "MATRIKS")
    found = _checks([_item(Rule(asks_matriks=True, years=2), doc, value=Decimal(13))])
    assert found == {"matriks_total", "years_missing"}
    assert _checks([_item(Rule(asks_matriks=True), doc, value=Decimal(12))]) == set()


def test_years_given_in_the_answer_count():
    item = _item(Rule(years=2), value=Decimal(1), values={"2023": "5", "2024": "6"})
    assert _checks([item]) == set()


def test_percentage_without_counts():
    rows = [["Tahun", "Persentase"], ["2024", "45,2%"]]
    doc = _doc(corpus.xlsx_bytes(rows), sniff.XLSX, "Data")
    assert _checks([_item(Rule(percentage=True), doc, value=Decimal(45))]) == {"ratio_basis_missing"}
    rows = corpus._matriks_rows("Kota Mojokerto", [2024], [[5]], ratio=True)
    basis = _doc(corpus.xlsx_bytes(rows), sniff.XLSX, "Data")
    assert _checks([_item(Rule(percentage=True), basis, value=Decimal(33))]) == set()


def test_unreadable_and_old_documents():
    assert _checks([_item(Rule(), _doc(b"", sniff.PDF))]) == {"unreadable"}
    old = _doc(corpus.docx_bytes(corpus.report_text("Kota Mojokerto", date(2019, 5, 2), random.Random(1))), sniff.DOCX)
    assert _checks([_item(Rule(window_years=1), old)]) == {"dated_outside"}
    new = _doc(corpus.docx_bytes(corpus.report_text("Kota Mojokerto", date(2024, 5, 2), random.Random(1))), sniff.DOCX)
    assert _checks([_item(Rule(window_years=1), new)]) == set()


def test_one_file_two_different_answers():
    rows = corpus._matriks_rows("Kota Mojokerto", [2023, 2024], [[1, 2]], ratio=False)
    data = corpus.xlsx_bytes(rows)
    a = _item(Rule(), _doc(data, sniff.XLSX, "MATRIKS", 1, "same"), value=Decimal(2), key="A/a")
    b = _item(Rule(), _doc(data, sniff.XLSX, "MATRIKS", 2, "same"), value=Decimal(9), key="B/b")
    findings = run_checks([a, b], CTX)
    assert {(f.item_key, f.check) for f in findings} == {
        ("A/a", "contradictory_reuse"),
        ("B/b", "contradictory_reuse"),
        ("B/b", "matriks_total"),
    }
    b.value = Decimal(2)
    assert run_checks([a, b], CTX) == []


def test_register_mismatch():
    ctx = Context(2024, "kota mojokerto", NAMES, {"taskforces.meetings_per_year": Decimal(4)})
    item = _item(Rule(), value=Decimal(6), provenance={"key": "taskforces.meetings_per_year"})
    assert _checks([item], ctx) == {"register_mismatch"}
    item.value = Decimal(4)
    assert _checks([item], ctx) == set()


def test_disabled_checks_do_not_run():
    item = _item(Rule(document_kind=DECREE), _decree("Kota Mojokerto", 2018, 2020))
    assert run_checks([item], CTX, enabled={"unreadable"}) == []


@pytest.mark.parametrize("code", sorted(CHECKS))
def test_every_check_explains_itself_in_both_languages(code):
    finding = Finding(
        code,
        "K",
        1,
        {
            "title": "T",
            "why": "w",
            "blank": 1,
            "pages": 2,
            "start": 1,
            "end": 2,
            "year": 3,
            "doc_year": 1,
            "first": 1,
            "last": 2,
            "others": "X",
            "total": 1,
            "answer": 2,
            "other": "Y",
            "register": 1,
            "asked": 2,
            "found": 1,
        },
    )
    for language in ("en", "id"):
        with translation.override(language):
            explanation, fix = describe(finding)
            assert explanation and fix and "%(" not in explanation and "%(" not in fix


def test_rules_from_wording_and_the_rule_file():
    rule = rule_for(
        "kla-2024", "4", "1", "Apakah ada data persentase anak diregistrasi 2 tahun terakhir? (Lampirkan MATRIKS)"
    )
    assert rule.asks_matriks and rule.years == 2 and rule.percentage
    gugus = rule_for("kla-2024", "2", "1", "Apakah telah terbentuk Gugus Tugas KLA? (Lampirkan SK dan susunan)")
    assert gugus.document_kind == DECREE and gugus.window_years == 1
    assert rule_for("kla-2021", "K2", "gt_decree", "SK Gugus Tugas KLA").document_kind == DECREE
