"""What kind of file an upload really is, read from its bytes; the file name and the browser's header are ignored.

Only the kinds a KLA evidence folder holds are accepted: PDF, images, office documents and spreadsheets
(Office Open XML, OpenDocument, legacy Office) and plain UTF-8 text such as CSV. Everything else
(programs, web pages, SVG, ordinary zip archives) is refused.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from django.utils.translation import gettext_lazy as _

CHUNK = 64 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE = "application/x-ole-storage"
CSV = "text/csv"
TEXT = "text/plain"

# The extension a download gets when its name does not already end in one that fits the sniffed type.
EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    GIF: (".gif",),
    WEBP: (".webp",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    OLE: (".doc", ".xls", ".ppt"),
    CSV: (".csv",),
    TEXT: (".txt",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
}

# What people call each kind of file (shown instead of the MIME type).
TYPE_NAMES = {
    PDF: _("PDF document"),
    PNG: _("PNG image"),
    JPEG: _("JPEG photo"),
    GIF: _("GIF image"),
    WEBP: _("WEBP image"),
    DOCX: _("Word document"),
    XLSX: _("Excel workbook"),
    PPTX: _("PowerPoint presentation"),
    OLE: _("Office document (older format)"),
    CSV: _("CSV table"),
    TEXT: _("Text file"),
    "application/vnd.oasis.opendocument.text": _("OpenDocument text"),
    "application/vnd.oasis.opendocument.spreadsheet": _("OpenDocument spreadsheet"),
    "application/vnd.oasis.opendocument.presentation": _("OpenDocument presentation"),
}


def type_name(content_type: str) -> str:
    """The kind of a file in words ("PDF document"), never its MIME type."""
    return str(TYPE_NAMES.get(content_type, _("File")))


ALLOWED_KINDS = _(
    "PDF, images (PNG, JPEG, GIF, WEBP), Word/Excel/PowerPoint documents (also older .doc/.xls), "
    "OpenDocument files and CSV or plain text"
)

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
)
_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


def sniff_content_type(path: str | Path) -> str | None:
    """The content type of the file at `path` judged from its bytes, or None when it is not an allowed kind."""
    with open(path, "rb") as fh:
        head = fh.read(CHUNK)
    if not head:
        return None
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return _sniff_text(path, head)


def extension_fits(name: str, content_type: str) -> bool:
    """True if `name` already ends in an extension that matches the sniffed content type."""
    return name.lower().endswith(EXTENSIONS.get(content_type, ()))


MIMETYPE_MAX_BYTES = 100  # an OpenDocument "mimetype" member is one short line
MAX_ZIP_MEMBERS = 10_000


def _sniff_zip(path: str | Path) -> str | None:
    """An office document is a zip with a known layout; any other zip archive is refused.

    Only the central directory is read, and of the members only OpenDocument's "mimetype", and only when it
    declares at most MIMETYPE_MAX_BYTES: a tiny zip whose member unpacks to gigabytes is refused before any read,
    and the read itself never takes more than that many bytes.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return None
            names = {member.filename: member for member in members}
            if "mimetype" in names:
                member = names["mimetype"]
                if member.file_size > MIMETYPE_MAX_BYTES:
                    return None
                with archive.open(member) as fh:
                    mimetype = fh.read(MIMETYPE_MAX_BYTES).decode("ascii", "replace").strip()
                return mimetype if mimetype.startswith("application/vnd.oasis.opendocument.") else None
            if "[Content_Types].xml" in names:
                return next((ct for prefix, ct in _OOXML_PARTS if any(n.startswith(prefix) for n in names)), None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, NotImplementedError, EOFError):
        return None
    return None


def _sniff_text(path: str | Path, head: bytes) -> str | None:
    """UTF-8 text without NUL bytes that is not a web page or SVG: CSV when its first line has separators."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<") or any(tag in head.lower() for tag in _MARKUP):
        return None
    if not _is_utf8_text(path):
        return None
    first_line = head.split(b"\n", 1)[0]
    return CSV if any(sep in first_line for sep in (b",", b";", b"\t")) else TEXT


def _is_utf8_text(path: str | Path) -> bool:
    """Reads the whole file in chunks: every byte must decode as UTF-8 and none may be NUL."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        try:
            while chunk := fh.read(CHUNK):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True
