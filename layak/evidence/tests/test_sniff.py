from __future__ import annotations

import pytest

from layak.evidence import sniff
from layak.evidence.tests import factories as f


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (f.PDF_BYTES, sniff.PDF),
        (f.PNG_BYTES, sniff.PNG),
        (f.JPEG_BYTES, sniff.JPEG),
        (f.GIF_BYTES, sniff.GIF),
        (f.WEBP_BYTES, sniff.WEBP),
        (f.OLE_BYTES, sniff.OLE),
        (f.CSV_BYTES, sniff.CSV),
        (f.TEXT_BYTES, sniff.TEXT),
        (f.xlsx_bytes(), sniff.XLSX),
        (f.docx_bytes(), sniff.DOCX),
        (f.pptx_bytes(), sniff.PPTX),
        (f.odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
    ids=["pdf", "png", "jpeg", "gif", "webp", "ole2", "csv", "text", "xlsx", "docx", "pptx", "odt"],
)
def test_allowed_kinds_are_recognised_from_their_bytes(tmp_path, data, expected):
    path = tmp_path / "whatever.bin"
    path.write_bytes(data)
    assert sniff.sniff_content_type(path) == expected


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100),
        ("report.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("data.csv", b'Nama,Nilai\n<script src="x"></script>\n'),
        ("arsip.docx", f.zip_bytes({"readme.txt": b"hello", "payload.exe": b"MZ"})),
        ("opendoc.odt", f.zip_bytes({"mimetype": b"application/zip", "a": b"b"})),
        ("latin1.csv", "Nama;Kota\nJosé;Bogor\n".encode("latin-1")),
        ("binary.txt", b"abc\x00def"),
        ("empty.pdf", b""),
    ],
    ids=[
        "exe-named-pdf",
        "html-named-pdf",
        "svg",
        "script-in-csv",
        "plain-zip",
        "odf-wrong-mimetype",
        "latin1",
        "nul",
        "empty",
    ],
)
def test_other_kinds_are_refused_whatever_their_name(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert sniff.sniff_content_type(path) is None


def test_extension_fits_checks_the_sniffed_type():
    assert sniff.extension_fits("SK Gugus Tugas.PDF", sniff.PDF)
    assert not sniff.extension_fits("SK Gugus Tugas.exe", sniff.PDF)


def zip_bomb(path, *, member: str = "mimetype", megabytes: int = 300) -> None:
    """A small zip whose one member unpacks to `megabytes` MB of zeros (deflate shrinks it about 1000 times)."""
    import zipfile

    zero = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(member, "w", force_zip64=True) as fh,
    ):
        for _ in range(megabytes):
            fh.write(zero)


PROBE = """
import json, resource, sys
from layak.evidence.sniff import sniff_content_type
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kind = sniff_content_type(sys.argv[1])
print(json.dumps({"kind": kind, "growth_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before}))
"""


def test_a_zip_bomb_is_refused_from_its_declared_size_with_bounded_memory(tmp_path):
    """The member's declared size is checked before any read: peak memory of a fresh process grows ≤ 50 MB."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    bomb = tmp_path / "bomb.odt"
    zip_bomb(bomb)
    assert bomb.stat().st_size < 400_000  # 300 MB once unpacked
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(bomb)], capture_output=True, text=True, check=True, cwd=Path.cwd()
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["kind"] is None
    assert figures["growth_kb"] <= 50 * 1024, figures


def test_an_opendocument_mimetype_is_read_from_a_short_member(tmp_path):
    import zipfile

    path = tmp_path / "a.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    assert sniff.sniff_content_type(path) == "application/vnd.oasis.opendocument.text"
