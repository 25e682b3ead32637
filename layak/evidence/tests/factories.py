"""Bytes of every kind the sniffer meets, generated here so the tests need no fixture files."""

from __future__ import annotations

import io
import zipfile

import openpyxl

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
GIF_BYTES = b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 20
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 30
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
CSV_BYTES = "kecamatan,jumlah anak,penanggung jawab\nGambir,12000,José\nSawah Besar,15000\n".encode()
TEXT_BYTES = "Notulen rapat Gugus Tugas KLA 12 Maret 2024 (Pak Désiré hadir).\nHadir: 25 orang.\n".encode()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Indikator", "Nilai"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def pptx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})


def odt_bytes() -> bytes:
    return zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def pdf_of_size(size: int) -> bytes:
    """A PDF-looking file of exactly `size` bytes, distinct for each size."""
    head = b"%PDF-1.7\n% " + str(size).encode() + b"\n"
    return head + b"x" * (size - len(head))
