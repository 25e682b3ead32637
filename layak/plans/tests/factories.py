"""RAD KLA test data for Jakarta Pusat (31.71), made through the services."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from layak.evaluations.tests.factories import make_framework
from layak.frameworks.models import FrameworkVersion
from layak.plans import services
from layak.plans.choices import PlanStatus
from layak.regions.tests.factories import make_region

REGION = "31.71"


def framework() -> FrameworkVersion:
    return FrameworkVersion.objects.filter(slug="test-fw").first() or make_framework()


def make_plan(user, *, status=PlanStatus.ADOPTED, integrated=True, start=2024, end=2026):
    return services.plan_create(
        user=user,
        region=make_region(REGION),
        title="RAD KLA Jakarta Pusat",
        start_year=start,
        end_year=end,
        framework=framework(),
        legal_basis="Perwali No. 1 Tahun 2024",
        status=status,
        integrated_in_rpjmd=integrated,
    )


def make_action(user, plan, *, title="Posyandu ramah anak", agency=None, budget=None, year=2025, draft=False):
    action = services.action_create(user=user, plan=plan, title=title, agency=agency, is_draft=draft)
    if budget is not None:
        services.action_year_save(user=user, action=action, year=year, target="10 posyandu", budget=Decimal(budget))
    return action


def xlsx(rows: list[list], sheet: str = "RAD") -> io.BytesIO:
    """A workbook with a header row and these rows on the named sheet."""
    book = Workbook()
    book.active.title = sheet
    book.active.append(["Activity", "Programme", "Indicators", "Rights", "OPD", "Status", "Year", "T", "TV", "Budget"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "rad.xlsx"
    return out
