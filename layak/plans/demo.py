"""Demo RAD KLA of Kota Banjarmasin (63.71): a plan with a few activities, budgets and realisations.

Every record is made through the services and marked as demo data ("data contoh"); a re-run adds nothing.
"""

from __future__ import annotations

from decimal import Decimal

from layak.accounts.models import Agency, User
from layak.frameworks.models import FrameworkVersion, Indicator
from layak.regions.models import Region

from . import services
from .choices import ActionStatus, PlanStatus, RightsGroup
from .models import ActionPlan

REGION = "63.71"
COORDINATOR = "dp3a_banjarmasin"
# title, programme, indicator codes, rights group, OPD, status, {year: (target, budget)}, [(year, q, %, Rp)]
ACTIONS = [
    (
        "Pelatihan Konvensi Hak Anak bagi Gugus Tugas",
        "Penguatan kelembagaan KLA",
        ["K1", "K2"],
        RightsGroup.PARTICIPATION,
        "DP3A",
        ActionStatus.EXISTING,
        {2025: ("40 anggota GT terlatih", "85000000")},
        [(2025, 1, "30", "20000000")],
    ),
    (
        "Posyandu dan Puskesmas ramah anak",
        "Kesehatan dasar dan kesejahteraan",
        ["III14"],
        RightsGroup.SURVIVAL,
        "Dinkes",
        ActionStatus.EXISTING,
        {2025: ("26 puskesmas", "420000000")},
        [(2025, 1, "25", "90000000"), (2025, 2, "55", "210000000")],
    ),
    (
        "Sekolah Ramah Anak di SD/SMP negeri",
        "Pendidikan dan pemanfaatan waktu luang",
        ["IV19"],
        RightsGroup.DEVELOPMENT,
        "Disdik",
        ActionStatus.PLANNED,
        {2025: ("30 sekolah", "150000000"), 2026: ("60 sekolah", "200000000")},
        [],
    ),
    (
        "Akta kelahiran gratis di kelurahan",
        "Hak sipil dan kebebasan",
        ["I4"],
        RightsGroup.PARTICIPATION,
        "Disdukcapil",
        ActionStatus.EXISTING,
        {2025: ("95% anak memiliki akta", "60000000")},
        [(2025, 1, "40", "15000000")],
    ),
]


def seed_demo_data(*, stdout) -> None:
    """Creates the demo RAD of Kota Banjarmasin once (needs regions, frameworks and the demo users)."""
    region = Region.objects.filter(code=REGION).first()
    user = User.objects.filter(username=COORDINATOR).first()
    framework = FrameworkVersion.objects.filter(slug="kla-2021").first() or FrameworkVersion.objects.first()
    if region is None or user is None or framework is None:
        stdout.write("RAD KLA demo skipped: Kota Banjarmasin, its coordinator or a framework is missing.")
        return
    if ActionPlan.objects.filter(region=region, is_demo=True).exists():
        stdout.write("RAD KLA demo: already there.")
        return
    plan = services.plan_create(
        user=user,
        region=region,
        title="RAD KLA Kota Banjarmasin (data contoh)",
        start_year=2021,
        end_year=2026,
        framework=framework,
        legal_basis="Perwali Banjarmasin (data contoh)",
        status=PlanStatus.ADOPTED,
        integrated_in_rpjmd=True,
        is_demo=True,
    )
    agencies = {a.short_name: a for a in Agency.objects.filter(region=region)}
    indicators = {i.code: i for i in Indicator.objects.filter(version=framework)}
    for title, programme, codes, rights, opd, status, years, realisations in ACTIONS:
        action = services.action_create(
            user=user,
            plan=plan,
            title=title,
            programme=programme,
            rights_group=rights,
            agency=agencies.get(opd),
            status=status,
            indicators=[indicators[c] for c in codes if c in indicators],
        )
        for year, (target, budget) in years.items():
            services.action_year_save(user=user, action=action, year=year, target=target, budget=Decimal(budget))
        for year, quarter, pct, rupiah in realisations:
            services.realisation_save(
                user=user,
                action=action,
                year=year,
                quarter=quarter,
                physical_pct=Decimal(pct),
                financial=Decimal(rupiah),
            )
    services.region_budget_save(user=user, region=region, year=2025, apbd_total=Decimal("2150000000000"))
    services.report_create(
        user=user,
        plan=plan,
        year=2025,
        quarter=1,
        summary="Triwulan I berjalan sesuai rencana (data contoh).",
        issues="Pencairan anggaran Disdik tertunda; dibahas pada rakor Gugus Tugas.",
    )
    stdout.write(f"RAD KLA demo: 1 plan with {len(ACTIONS)} activities for Kota Banjarmasin.")
