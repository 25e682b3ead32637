"""A small framework with a Gugus Tugas decree item, an open 2024 cycle, and generated decrees to attach."""

from __future__ import annotations

import random
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from layak.evaluations.tests.factories import make_framework
from layak.readiness import corpus

SPEC = [
    (
        "K2",
        "K",
        90,
        [
            (
                "gt_decree",
                "yes_no",
                {
                    "label": "SK Gugus Tugas KLA mencakup kelembagaan dan kelima klaster",
                    "evidence_hint": "SK Gugus Tugas KLA",
                },
            ),
            ("gt_meetings", "count", {"unit": "rapat", "min_value": 0, "max_value": 365, "label": "Jumlah rapat"}),
        ],
        [
            {"element": "gt_decree", "share": 0.2, "method": "yes_no"},
            {"element": "gt_meetings", "share": 0.1, "method": "bands_up", "bands": [[1, 0.5], [5, 1]]},
        ],
    ),
    (
        "I1",
        "I",
        300,
        [("children", "count", {"label": "Jumlah anak (Lampirkan MATRIKS)", "min_value": 0, "max_value": 100000})],
        [{"element": "children", "share": 1, "method": "bands_up", "bands": [[1, 1]]}],
    ),
]


def readiness_framework():
    return make_framework("readiness-fw", SPEC)


def decree_upload(region: str, start: int, end: int, name: str = "sk-gugus-tugas.docx") -> SimpleUploadedFile:
    paragraphs = corpus.decree_text(region, start, end, date(start, 2, 1), random.Random(start))
    return SimpleUploadedFile(name, corpus.docx_bytes(paragraphs))


def matriks_upload(region: str, counts: list[int], name: str = "matriks.xlsx") -> SimpleUploadedFile:
    rows = corpus._matriks_rows(region, [2024], [[c] for c in counts], ratio=False)
    return SimpleUploadedFile(name, corpus.xlsx_bytes(rows))
