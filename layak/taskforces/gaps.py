"""What evaluators flag about a Gugus Tugas decree, as a pure function of its period and its members.

Real evaluation reports say things such as "the GT decree does not include lembaga masyarakat, media, dunia
usaha" or "no coordinator for Klaster III"; `decree_gaps` lists the same findings so the region can fix them
before the evaluation. It touches no database: callers pass the facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import AREA_SHORT, REQUIRED_NON_GOVERNMENT_SECTORS, MemberArea, MemberRole


@dataclass(frozen=True)
class MemberFacts:
    """What the gap check needs to know of one member who is still in the Gugus Tugas."""

    role: str
    area: str
    sector: str


@dataclass(frozen=True)
class Gap:
    """One finding: a stable `code` for programs and a translated `message` for people."""

    code: str
    message: str


def _names(labels: Iterable) -> str:
    return ", ".join(str(label) for label in labels)


def _period_gaps(period_start: int, period_end: int, year: int) -> list[Gap]:
    period = f"{period_start}\N{EN DASH}{period_end}"
    if period_end < year:
        message = _("The decree's period (%(period)s) ended before %(year)s: a new decree is needed.")
        return [Gap("expired", str(message % {"period": period, "year": year}))]
    if period_start > year:
        message = _("The decree's period (%(period)s) has not started in %(year)s.")
        return [Gap("not_started", str(message % {"period": period, "year": year}))]
    return []


def _structure_gaps(members: list[MemberFacts]) -> list[Gap]:
    gaps = []
    roles = {m.role for m in members}
    if MemberRole.KETUA not in roles:
        gaps.append(Gap("no_ketua", str(_("No ketua (chair) is named."))))
    if MemberRole.SEKRETARIS not in roles:
        gaps.append(Gap("no_sekretaris", str(_("No sekretaris (secretary) is named."))))
    covered = {m.area for m in members if m.role == MemberRole.KOORDINATOR}
    missing_areas = [AREA_SHORT[area] for area in MemberArea if area not in covered]
    if missing_areas:
        text = _("No coordinator for: %(areas)s.") % {"areas": ", ".join(missing_areas)}
        gaps.append(Gap("no_coordinator", str(text)))
    sectors = {m.sector for m in members}
    missing_sectors = [sector.label for sector in REQUIRED_NON_GOVERNMENT_SECTORS if sector not in sectors]
    if missing_sectors:
        text = _("No member from: %(sectors)s.") % {"sectors": _names(missing_sectors)}
        gaps.append(Gap("no_sector", str(text)))
    return gaps


def decree_gaps(*, period_start: int, period_end: int, year: int, members: Iterable[MemberFacts]) -> list[Gap]:
    """The findings for a decree in a year: period expired or not started, missing ketua/sekretaris,
    sub-groups (kelembagaan, klaster I to V) without a coordinator, and missing sectors (lembaga masyarakat,
    dunia usaha, media). `members` are those still in the Gugus Tugas. An empty list means no gaps.
    """
    return _period_gaps(period_start, period_end, year) + _structure_gaps(list(members))
