"""Demo data of the readiness checks (run by seed_demo after the evaluations demo): in the current demo cycle
(kla-2024, question by question) Kota Mojokerto has answered the Gugus Tugas question 2.1 "yes" without its SK yet,
and question 5.3 (children reaching the ILA services, two years) with a data sheet whose total disagrees with
the count typed. The checks run once so the readiness page has content. In the walk-through (and the browser
test) the DP3A attaches an SK of the 2018-2020 period to 2.1, sees it flagged, and replaces it with the SK in
force.

Every document is generated and says "data contoh"; every figure in it is invented.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from layak.accounts.models import User
from layak.evaluations import question_services
from layak.evaluations.models import Assessment, Cycle, QuestionAnswer
from layak.frameworks.models import Question

from . import corpus, services

REGION = "35.76"  # Kota Mojokerto
REGION_NAME = "Kota Mojokerto"
DEMO_LABEL = "[Data contoh] "
GUGUS_TUGAS = ("2", "1")  # "Apakah telah terbentuk Gugus Tugas KLA? (Lampirkan SK ...)"
ILA_ACCESS = ("5", "3")  # "Berapa jumlah anak yang mengakses lembaga layanan ILA pertahun selama 2 tahun terakhir?"


def data_sheet(region: str, title: str, counts: list[int]) -> bytes:
    """A sheet of counts per kecamatan with its "Jumlah" row (a workbook; data contoh)."""
    rows: list[list[object]] = [[f"{title.upper()} {region.upper()} (DATA CONTOH)"], [], ["No", "Kecamatan", "Jumlah"]]
    for number, count in enumerate(counts, 1):
        rows.append([number, f"Kecamatan {number}", count])
    rows.append(["Jumlah", "", sum(counts)])
    return corpus.xlsx_bytes(rows, "Data")


def _question(cycle: Cycle, codes: tuple[str, str]) -> Question | None:
    indicator, code = codes
    return (
        Question.objects.select_related("indicator")
        .filter(indicator__version=cycle.framework, indicator__code=indicator, code=code)
        .first()
    )


@transaction.atomic
def seed_demo_data(*, stdout) -> None:
    """Answers two kla-2024 questions for Kota Mojokerto in the demo cycle and runs the checks."""
    cycle = Cycle.objects.filter(framework__slug="kla-2024", name__contains="data contoh").order_by("-year").first()
    coordinator = User.objects.filter(username="dp3a_mojokerto").first()
    if cycle is None or coordinator is None:
        stdout.write("Readiness: no kla-2024 demo cycle or Mojokerto coordinator; nothing added.")
        return
    assessment = Assessment.objects.select_related("cycle__framework", "region").filter(cycle=cycle, region_id=REGION)
    assessment = assessment.first()
    gugus, ila = _question(cycle, GUGUS_TUGAS), _question(cycle, ILA_ACCESS)
    if assessment is None or gugus is None or ila is None:
        stdout.write("Readiness: no Mojokerto assessment with questions 2.1 and 5.3; nothing added.")
        return
    if QuestionAnswer.objects.filter(assessment=assessment, question__in=[gugus, ila]).exists():
        stdout.write("Readiness: Mojokerto's questions 2.1 and 5.3 are already answered; nothing added.")
        return
    question_services.question_answer_save(
        user=coordinator, assessment=assessment, question=gugus, yes=True, expected_revision=0
    )
    years = question_services.question_years(assessment, ila)
    question_services.question_answer_save(
        user=coordinator,
        assessment=assessment,
        question=ila,
        years={str(year): {"count": str(120 + 20 * n)} for n, year in enumerate(years)},
        note=DEMO_LABEL + "Rekap kunjungan layanan ILA.",
        expected_revision=0,
    )
    question_services.question_evidence_upload(
        user=coordinator,
        assessment=assessment,
        question=ila,
        upload=SimpleUploadedFile(
            "pengakses-ila.xlsx", data_sheet(REGION_NAME, "Anak pengakses ILA", [40, 35, 30, 25])
        ),
        title=DEMO_LABEL + "Data anak pengakses layanan ILA",
    )
    result = services.run_readiness(assessment.pk)
    stdout.write(f"Readiness: Kota Mojokerto's questions 2.1 and 5.3 answered (data contoh); {result.flags} flagged.")
