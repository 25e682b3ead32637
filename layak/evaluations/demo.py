"""Demo data of the evaluations app: an open demo cycle with assignments and some answers (run by seed_demo).

Runs only when no cycle exists yet, so a re-run (or a site with real cycles) is left untouched. Everything goes
through the services and is labelled as demo data.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from layak.accounts.models import Agency, User
from layak.frameworks.models import FrameworkVersion, Indicator
from layak.frameworks.selectors import framework_indicators
from layak.frameworks.services import frameworks_load_all

from . import services
from .choices import Stage
from .models import Assessment, Cycle
from .validation import choice_options

CYCLE_NAME = "Siklus demo 2026 (data contoh)"
FRAMEWORK = "kla-2021"
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


@transaction.atomic
def seed_demo_data(*, stdout) -> None:
    """Opens the demo cycle on kla-2021 with an open self-assessment, assigns indicators and fills some answers."""
    if Cycle.objects.exists():
        stdout.write("Evaluations: a cycle already exists; no demo cycle added.")
        return
    if not FrameworkVersion.objects.filter(slug=FRAMEWORK).exists():
        frameworks_load_all()
    framework = FrameworkVersion.objects.get(slug=FRAMEWORK)
    admin = User.objects.get(username="admin_kemenpppa")
    cycle = services.cycle_open(user=admin, year=2026, name=CYCLE_NAME, framework=framework, windows=_windows())
    indicators = framework_indicators(framework)
    filled = 0
    for code, username in REGIONS.items():
        assessment = Assessment.objects.select_related("cycle__framework", "region").get(cycle=cycle, region_id=code)
        coordinator = User.objects.get(username=username)
        _assign(assessment, coordinator, indicators)
        if code == "31.71":
            filled = _fill(assessment, coordinator, indicators)
    stdout.write(
        f"Evaluations: demo cycle “{CYCLE_NAME}” opened; indicators assigned in 63.71 and 31.71, "
        f"{filled} answers filled for 31.71."
    )
