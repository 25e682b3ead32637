"""Bounded text extraction from the evidence a region uploads: PDF, Word (.docx), Excel (.xlsx) and plain text.

Every reader is capped: pages of a PDF, characters of text, zip members and their unpacked size, rows and cells
of a workbook. A file that goes past a cap is read up to the cap and marked `truncated`; nothing reads a whole
large file into memory beyond the upload itself. The result says whether the document can be read at all
(`status`): empty, password-protected, an image-only scan with no text, or not a file these readers know.

Pure module: no Django models; spreadsheets go through `layak.common.spreadsheets` (its zip checks).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.core.exceptions import ValidationError

from layak.common import spreadsheets
from layak.evidence import sniff

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is reported as unreadable, not logged twice

MAX_PAGES = 60  # PDF pages read
MAX_CHARS = 200_000  # characters of text kept per document
MAX_PAGE_CHARS = 20_000  # characters kept per page
MAX_ZIP_MEMBERS = 300  # a .docx/.xlsx with more members is not read
MAX_MEMBER_BYTES = 8 * 1024 * 1024  # unpacked size of word/document.xml read
MAX_SHEETS = 10
MAX_ROWS = 500  # rows read per sheet
MAX_COLUMNS = 30
MAX_CELLS = 20_000  # cells read per workbook
MAX_TEXT_BYTES = 512 * 1024  # bytes of a text/CSV file read

OK = "ok"
EMPTY = "empty"
ENCRYPTED = "encrypted"
IMAGE_ONLY = "image_only"
UNREADABLE = "unreadable"
UNSUPPORTED = "unsupported"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACE = re.compile(r"[ \t\u00a0]+")
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass
class Extracted:
    """What could be read of one document.

    `tables` are the rows of a workbook's sheets or a Word document's tables (cells as text), capped.
    `pages` counts the PDF pages read (1 for other files), `blank_pages` the PDF pages with neither text nor
    images, `image_pages` those with images but no text.
    """

    status: str = OK
    text: str = ""
    pages: int = 0
    total_pages: int = 0
    blank_pages: int = 0
    image_pages: int = 0
    tables: list[list[list[str]]] = field(default_factory=list)
    truncated: bool = False

    @property
    def readable(self) -> bool:
        return self.status == OK


def _clip(parts: list[str], limit: int = MAX_CHARS) -> tuple[str, bool]:
    text = "\n".join(parts)
    return (text[:limit], True) if len(text) > limit else (text, False)


def extract(data: bytes, content_type: str = "") -> Extracted:
    """The text and tables of a document's bytes; `content_type` as sniffed (found from the bytes when blank)."""
    if not data or not data.strip():
        return Extracted(status=EMPTY)
    content_type = content_type or _sniff(data)
    try:
        if content_type == sniff.PDF:
            return _pdf(data)
        if content_type == sniff.DOCX:
            return _docx(data)
        if content_type == sniff.XLSX:
            return _xlsx(data)
        if content_type in (sniff.CSV, sniff.TEXT):
            return _text(data)
        if content_type == sniff.OLE:
            # An Office file protected with a password is an OLE container holding "EncryptedPackage".
            status = ENCRYPTED if _OLE_ENCRYPTED in data[: 256 * 1024] else UNSUPPORTED
            return Extracted(status=status, pages=1, total_pages=1)
        if content_type in (sniff.PNG, sniff.JPEG, sniff.GIF, sniff.WEBP):
            return Extracted(status=IMAGE_ONLY, pages=1, total_pages=1, image_pages=1)
    except Exception:
        log.info("readiness: could not read a %s document", content_type, exc_info=True)
        return Extracted(status=UNREADABLE)
    return Extracted(status=UNSUPPORTED)


def _sniff(data: bytes) -> str:
    """The kind of a document from its first bytes (uploads carry the type sniffed when they arrived)."""
    for signature, content_type in (
        (b"%PDF-", sniff.PDF),
        (b"\x89PNG", sniff.PNG),
        (b"\xff\xd8\xff", sniff.JPEG),
        (b"\xd0\xcf\x11\xe0", sniff.OLE),
    ):
        if data.startswith(signature):
            return content_type
    if data.startswith(b"PK\x03\x04"):
        archive = _open_zip(data)
        names = archive.namelist() if archive is not None else []
        if any(name.startswith("word/") for name in names):
            return sniff.DOCX
        if any(name.startswith("xl/") for name in names):
            return sniff.XLSX
        return ""
    return sniff.TEXT if b"\x00" not in data[:4096] else ""


# --- PDF -----------------------------------------------------------------------------------------------------


def _has_images(page: object) -> bool:
    try:
        resources = page.get("/Resources") or {}
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        objects = resources.get("/XObject") or {}
        objects = objects.get_object() if hasattr(objects, "get_object") else objects
        for ref in objects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                return True
            if obj.get("/Subtype") == "/Form":
                return True
    except Exception:
        return False
    return False


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return Extracted(status=ENCRYPTED)
        total = len(reader.pages)
    except FileNotDecryptedError:
        return Extracted(status=ENCRYPTED)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return Extracted(status=UNREADABLE)
    except Exception as error:  # pypdf raises NotImplementedError for encryption it cannot open
        if "encrypt" in str(error).lower() or "crypt" in type(error).__name__.lower():
            return Extracted(status=ENCRYPTED)
        raise
    result = Extracted(total_pages=total, truncated=total > MAX_PAGES)
    parts: list[str] = []
    used = 0
    for page in reader.pages[:MAX_PAGES]:
        result.pages += 1
        text = ""
        if used < MAX_CHARS:
            try:
                text = (page.extract_text() or "")[:MAX_PAGE_CHARS]
            except Exception:
                text = ""
        if text.strip():
            parts.append(text)
            used += len(text)
        elif _has_images(page):
            result.image_pages += 1
        else:
            result.blank_pages += 1
    result.text, clipped = _clip(parts)
    result.truncated = result.truncated or clipped
    if not result.text.strip():
        result.status = IMAGE_ONLY if result.image_pages else EMPTY
    return result


# --- Word ----------------------------------------------------------------------------------------------------


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if len(archive.infolist()) > MAX_ZIP_MEMBERS:
        return None
    return archive


def _docx(data: bytes) -> Extracted:
    archive = _open_zip(data)
    if archive is None:
        return Extracted(status=UNREADABLE)
    try:
        info = archive.getinfo("word/document.xml")
    except KeyError:
        return Extracted(status=UNREADABLE)
    truncated = info.file_size > MAX_MEMBER_BYTES
    with archive.open(info) as member:
        xml = member.read(MAX_MEMBER_BYTES)
    if truncated:
        return Extracted(status=UNREADABLE, truncated=True)
    root = ElementTree.fromstring(xml)
    parts: list[str] = []
    tables: list[list[list[str]]] = []
    body = root.find(f"{_W}body")
    for block in list(body) if body is not None else []:
        if block.tag == f"{_W}p":
            parts.append(_paragraph_text(block))
        elif block.tag == f"{_W}tbl":
            rows = []
            for row in block.iter(f"{_W}tr"):
                cells = [
                    _SPACE.sub(" ", " ".join(_paragraph_text(p) for p in cell.iter(f"{_W}p"))).strip()
                    for cell in row.iter(f"{_W}tc")
                ]
                rows.append(cells[:MAX_COLUMNS])
                parts.append("\t".join(cells))
                if len(rows) >= MAX_ROWS:
                    break
            tables.append(rows)
    text, clipped = _clip(parts)
    status = OK if text.strip() else EMPTY
    return Extracted(status=status, text=text, pages=1, total_pages=1, tables=tables, truncated=clipped)


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    return "".join(node.text or "" for node in paragraph.iter(f"{_W}t"))


# --- Excel ---------------------------------------------------------------------------------------------------


def _xlsx(data: bytes) -> Extracted:
    upload = io.BytesIO(data)
    upload.name = "evidence.xlsx"
    try:
        book = spreadsheets.open_workbook(upload, max_bytes=max(len(data), 1))
    except ValidationError:
        return Extracted(status=UNREADABLE)
    result = Extracted(pages=1, total_pages=1)
    parts: list[str] = []
    cells = 0
    try:
        for number, sheet in enumerate(book.worksheets):
            if number >= MAX_SHEETS:
                result.truncated = True
                break
            rows: list[list[str]] = []
            for values in sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True):
                cells += len(values)
                row = [spreadsheets.cell_text(value) for value in values]
                while row and not row[-1]:
                    row.pop()
                rows.append(row)
                if any(row):
                    parts.append("\t".join(row))
                if cells >= MAX_CELLS:
                    result.truncated = True
                    break
            result.tables.append(rows)
            if (sheet.max_row or 0) > MAX_ROWS:
                result.truncated = True
            if cells >= MAX_CELLS:
                break
    finally:
        book.close()
    result.text, clipped = _clip(parts)
    result.truncated = result.truncated or clipped
    if not result.text.strip():
        result.status = EMPTY
    return result


# --- Plain text ----------------------------------------------------------------------------------------------


def _text(data: bytes) -> Extracted:
    chunk = data[:MAX_TEXT_BYTES]
    text = chunk.decode("utf-8", errors="replace")
    text, clipped = _clip([text])
    status = OK if text.strip() else EMPTY
    return Extracted(status=status, text=text, pages=1, total_pages=1, truncated=clipped or len(data) > len(chunk))
