"""Demo data of the evaluations app (run by seed_demo): the current demo cycle on the ministry's 2024
instrument (kla-2024, question by question) and a demo cycle of the same year on the older kla-2021 reconstruction
(indicator level), both open, with assignments and some answers.

Runs only when no cycle exists yet, so a re-run (or a site with real cycles) is left untouched. Everything goes
through the services and is labelled as demo data ("data contoh"): the figures are invented examples.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from layak.accounts.models import Agency, User
from layak.common.generations import bump_on_commit
from layak.evidence import services as evidence_services
from layak.frameworks.models import FrameworkVersion, Indicator, Question
from layak.frameworks.selectors import framework_indicators
from layak.frameworks.services import frameworks_load_all

from . import question_services, services
from .choices import Stage
from .models import Assessment, Cycle
from .publication import RESULTS_GENERATION
from .scoring_input import instrument_rules_load
from .stamps import cycles_changed
from .validation import choice_options

CYCLE_NAME = "Siklus demo 2026 (data contoh)"
FRAMEWORK = "kla-2024"
# The same year: the registers' demo records are of the current year, and kla-2021's indicator-level pages
# (register prefill, the verification demo) keep showing them.
PAST_CYCLE_NAME = "Siklus demo 2026 \N{EN DASH} instrumen lama kla-2021 (data contoh)"
PAST_FRAMEWORK = "kla-2021"
# The instrument's data-source names mapped to the demo OPDs (accounts.services.DEMO_AGENCIES).
SOURCE_AGENCY = {
    "DPPPAPPKB": "DP3A",
    "UPTD PPA": "DP3A",
    "Forum Anak Daerah (FAD)": "DP3A",
    "BAPPEDA": "Bappeda",
    "Dinkes": "Dinkes",
    "Disdikbud": "Disdik",
    "Disdukcapil": "Disdukcapil",
    "Dinsos": "Dinsos",
}
FILLED_GROUPS = {"I", "III"}  # Jakarta Pusat has answered these groups of kla-2024 so far
# Which demo OPD usually answers each cluster (see accounts.services.DEMO_AGENCIES).
CLUSTER_AGENCY = {"K": "Bappeda", "I": "Disdukcapil", "II": "Dinsos", "III": "Dinkes", "IV": "Disdik", "V": "DP3A"}
REGIONS = {"63.71": "dp3a_banjarmasin", "31.71": "dp3a_jakpus"}
FILLED_CLUSTERS = {"K", "I", "III"}  # Jakarta Pusat has answered these so far
DEMO_LABEL = "[Data contoh] "


def _windows() -> dict[str, tuple]:
    start = timezone.now() - timedelta(days=1)
    end = start + timedelta(days=45)
    windows = {Stage.SELF_ASSESSMENT.value: (start, end)}
    for i, stage in enumerate(list(Stage)[1:], start=1):
        windows[stage.value] = (end + timedelta(days=30 * (i - 1)), end + timedelta(days=30 * i))
    return windows


def _demo_values(indicator: Indicator) -> dict[str, object]:
    """Plausible values: percentages in the 80s to 90s, counts within bounds, parts below their totals."""
    values: dict[str, object] = {}
    elements = list(indicator.elements.all())
    for n, element in enumerate(elements):
        if element.type == "percentage":
            values[element.code] = str(Decimal(82) + n * Decimal("3.5") % 15)
        elif element.type == "count":
            values[element.code] = str(int(min(element.max_value or 120, 120)))
        elif element.type == "rate":
            values[element.code] = "1.5"
        elif element.type == "yes_no":
            values[element.code] = n % 3 != 2
        elif element.type == "choice":
            values[element.code] = choice_options(element)[min(1, len(choice_options(element)) - 1)][0]
    for element in elements:
        if element.denominator and element.code in values and element.denominator in values:
            values[element.code] = str(int(Decimal(str(values[element.denominator])) * Decimal("0.9")))
    return values


def _assign(assessment: Assessment, coordinator: User, indicators: list[Indicator]) -> None:
    agencies = {a.short_name: a for a in Agency.objects.filter(region=assessment.region)}
    for indicator in indicators:
        agency = agencies.get(CLUSTER_AGENCY.get(indicator.group.code, ""))
        if agency is not None:
            services.indicator_assign(user=coordinator, assessment=assessment, indicator=indicator, agency=agency)


def _fill(assessment: Assessment, coordinator: User, indicators: list[Indicator]) -> int:
    filled = 0
    for indicator in indicators:
        if indicator.group.code not in FILLED_CLUSTERS:
            continue
        services.answer_save(
            user=coordinator,
            assessment=assessment,
            indicator=indicator,
            values=_demo_values(indicator),
            narrative_done=DEMO_LABEL + "Kegiatan berjalan sesuai rencana aksi daerah KLA.",
            narrative_todo=DEMO_LABEL + "Pendataan di dua kecamatan belum lengkap.",
            expected_revision=0,
        )
        filled += 1
    first = indicators[0]
    services.answer_evidence_add_url(
        user=coordinator,
        assessment=assessment,
        indicator=first,
        url="https://example.org/contoh/perda-kla.pdf",
        title=DEMO_LABEL + "Contoh Perda KLA",
    )
    return filled


def _instrument_figures(question: Question, years: list[int], n: int) -> dict:
    """Invented example figures for a kla-2024 question ("data contoh"): mostly yes, percentages in the 80s
    and 90s from plausible counts, counts in the tens."""
    from layak.frameworks.choices import AnswerType

    if question.answer_type == AnswerType.YES_NO:
        return {"yes": (n % 4 != 3) is not question.lower_is_better}
    if question.answer_type == AnswerType.PERCENTAGE:
        base = 2000 + 37 * n
        return {
            "years": {
                year: {"numerator": str(int(base * (Decimal("0.80") + Decimal("0.04") * i))), "denominator": str(base)}
                for i, year in enumerate(years)
            }
        }
    if question.answer_type == AnswerType.COUNT:
        return {"years": {year: {"count": str(12 + n % 9 + i)} for i, year in enumerate(years)}}
    if question.answer_type == AnswerType.LIST:
        return {"text": DEMO_LABEL + "Dinas Sosial, Dinas Kesehatan, Forum Anak Daerah"}
    return {}


def _instrument_demo(cycle: Cycle, *, stdout) -> int:
    """Maps data sources to the demo OPDs, assigns questions by them, and fills part of Jakarta Pusat's answers
    with example figures and one example document linked to the questions that ask for documents."""
    rules = instrument_rules_load(cycle.framework)
    filled = 0
    for code, username in REGIONS.items():
        assessment = Assessment.objects.select_related("cycle__framework", "region").get(cycle=cycle, region_id=code)
        coordinator = User.objects.get(username=username)
        agencies = {a.short_name: a for a in Agency.objects.filter(region=assessment.region)}
        mapping = {source: agencies.get(short) for source, short in SOURCE_AGENCY.items() if agencies.get(short)}
        question_services.data_sources_map(user=coordinator, assessment=assessment, mapping=mapping)
        question_services.questions_assign_by_sources(
            user=coordinator, assessment=assessment, questions=rules.questions
        )
        if code != "31.71":
            continue
        document = evidence_services.evidence_create_link(
            user=coordinator,
            region=assessment.region,
            url="https://example.org/contoh/dokumen-pendukung-kla.pdf",
            title=DEMO_LABEL + "Contoh dokumen pendukung",
        )
        for n, question in enumerate(rules.questions):
            if question.indicator.group.code not in FILLED_GROUPS or question.answer_type == "matriks":
                continue
            years = question_services.question_years(assessment, question)
            question_services.question_answer_save(
                user=coordinator,
                assessment=assessment,
                question=question,
                note=DEMO_LABEL + "Angka contoh, bukan data resmi.",
                expected_revision=0,
                **_instrument_figures(question, years, n),
            )
            if question.asks_evidence and n % 5 != 4:
                question_services.question_evidence_link(
                    user=coordinator, assessment=assessment, question=question, evidence=document
                )
            filled += 1
    return filled


def _open(admin: User, framework_slug: str, year: int, name: str) -> tuple[Cycle, FrameworkVersion]:
    framework = FrameworkVersion.objects.get(slug=framework_slug)
    cycle = services.cycle_open(user=admin, year=year, name=name, framework=framework, windows=_windows())
    Cycle.objects.filter(pk=cycle.pk).update(is_demo=True)  # its figures are invented: pages say "data contoh"
    bump_on_commit(RESULTS_GENERATION)  # the dashboards label it (a queryset update sends no model signal)
    cycles_changed([cycle.pk])
    cycle.is_demo = True
    return cycle, framework


@transaction.atomic
def seed_demo_data(*, stdout) -> None:
    """Opens the current demo cycle on kla-2024 (questions assigned by data source, part of Jakarta Pusat's
    answered with example figures) and the earlier one on kla-2021 (indicators assigned, some answers)."""
    if Cycle.objects.exists():
        stdout.write("Evaluations: a cycle already exists; no demo cycle added.")
        return
    if FrameworkVersion.objects.filter(slug__in=[FRAMEWORK, PAST_FRAMEWORK]).count() != 2:
        frameworks_load_all()
    admin = User.objects.get(username="admin_kemenpppa")
    past, framework = _open(admin, PAST_FRAMEWORK, 2026, PAST_CYCLE_NAME)
    indicators = framework_indicators(framework)
    filled = 0
    for code, username in REGIONS.items():
        assessment = Assessment.objects.select_related("cycle__framework", "region").get(cycle=past, region_id=code)
        coordinator = User.objects.get(username=username)
        _assign(assessment, coordinator, indicators)
        if code == "31.71":
            filled = _fill(assessment, coordinator, indicators)
    current, _framework = _open(admin, FRAMEWORK, 2026, CYCLE_NAME)
    answered = _instrument_demo(current, stdout=stdout)
    stdout.write(
        f"Evaluations: demo cycle “{CYCLE_NAME}” opened on kla-2024 (questions assigned by data source in 63.71 "
        f"and 31.71, {answered} questions answered for 31.71 with example figures); earlier cycle "
        f"“{PAST_CYCLE_NAME}” on kla-2021 with {filled} answers for 31.71."
    )
