"""Demo data of the readiness checks (run by seed_demo after the evaluations demo): Kota Mojokerto's answers to
the Gugus Tugas indicator (K2) with a staff-training list whose total disagrees with the number typed, checked
once so the readiness page has content. The decree itself is attached in the demo walk-through (and the browser
test): an SK of the 2018-2020 period, which does not cover the evaluation year, then the current one.

Every document is generated and says "data contoh"; every figure in it is invented.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from layak.accounts.models import User
from layak.evaluations import services as evaluation_services
from layak.evaluations.models import Answer, Assessment, Cycle
from layak.frameworks.models import Indicator

from . import corpus, services

REGION = "35.76"  # Kota Mojokerto
REGION_NAME = "Kota Mojokerto"
DEMO_LABEL = "[Data contoh] "
INDICATOR = "K2"
ANSWER = {"gt_decree": True, "gt_meetings": "6", "kha_trained_staff": "25", "rad_kla": "exists", "profil_anak": True}


def training_list(region: str, counts: list[int]) -> bytes:
    """A list of KHA-trained staff per agency with its "Jumlah" row (a workbook; data contoh)."""
    rows: list[list[object]] = [
        [f"DAFTAR SDM TERLATIH KHA {region.upper()} (DATA CONTOH)"],
        [],
        ["No", "Perangkat Daerah", "Jumlah peserta"],
    ]
    agencies = ["Bappeda", "DP3A", "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Sosial"]
    for number, (agency, count) in enumerate(zip(agencies, counts, strict=False), 1):
        rows.append([number, agency, count])
    rows.append(["Jumlah", "", sum(counts)])
    return corpus.xlsx_bytes(rows, "Daftar peserta")


@transaction.atomic
def seed_demo_data(*, stdout) -> None:
    """Answers K2 for Kota Mojokerto in the demo cycle with a mismatched training list, and runs the checks."""
    cycle = Cycle.objects.filter(name__contains="data contoh").order_by("-year").first() or Cycle.objects.first()
    coordinator = User.objects.filter(username="dp3a_mojokerto").first()
    if cycle is None or coordinator is None:
        stdout.write("Readiness: no demo cycle or Mojokerto coordinator; nothing added.")
        return
    assessment = (
        Assessment.objects.select_related("cycle__framework", "region").filter(cycle=cycle, region_id=REGION).first()
    )
    indicator = Indicator.objects.filter(version=cycle.framework, code=INDICATOR).first()
    if assessment is None or indicator is None:
        stdout.write("Readiness: no Mojokerto assessment with a K2 indicator; nothing added.")
        return
    if Answer.objects.filter(assessment=assessment, indicator=indicator).exists():
        stdout.write("Readiness: Mojokerto's K2 is already answered; nothing added.")
        return
    evaluation_services.answer_save(
        user=coordinator,
        assessment=assessment,
        indicator=indicator,
        values=ANSWER,
        narrative_done=DEMO_LABEL + "Gugus Tugas KLA rapat enam kali dalam setahun.",
        expected_revision=0,
    )
    evaluation_services.answer_evidence_upload(
        user=coordinator,
        assessment=assessment,
        indicator=indicator,
        upload=SimpleUploadedFile("daftar-sdm-terlatih-kha.xlsx", training_list(REGION_NAME, [6, 5, 4, 3, 2])),
        title=DEMO_LABEL + "Daftar SDM terlatih KHA",
        element_code="kha_trained_staff",
    )
    result = services.run_readiness(assessment.pk)
    stdout.write(f"Readiness: Kota Mojokerto's K2 answered with demo evidence; {result.flags} problem(s) flagged.")
