"""Values the child-protection figures can offer the self-assessment, with provenance (see
layak.evaluations.prefill). Registered in `apps.py`; kla-2024's question 21B.1 (do child victims get services?) names
`protection.victims_served`. The counts have no kla-2024 question of their kind yet: 24A asks diversion per stage
(investigation, prosecution, court), which the figures do not cross with diversion, and 21C/22/23 ask yes/no
about services, which a count of withdrawn children does not answer.

- `protection.violence_victims` (count): child victims of violence recorded in the year;
- `protection.victims_served` (yes/no): the UPTD PPA assisted child victims in the year (kla-2024 21B.1);
- `protection.uptd_assisted` / `protection.uptd_referred` (count): children's cases the UPTD PPA assisted/referred;
- `protection.child_labour_freed` (count): children withdrawn from child labour;
- `protection.child_marriage_dispensations` (count): dispensations granted;
- `protection.diversion_attempted_pct` / `protection.diversion_succeeded_pct` (percentage): of the children in
  conflict with the law, those for whom diversion was attempted; of those, the share where it succeeded.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from layak.evaluations.prefill import ComputedValue
from layak.regions.models import Region

from .models import Report

COUNTS = {
    "protection.violence_victims": ("violence", "victims"),
    "protection.uptd_assisted": ("uptd_services", "assisted"),
    "protection.uptd_referred": ("uptd_services", "referred"),
    "protection.child_labour_freed": ("child_labour", "freed"),
    "protection.child_marriage_dispensations": ("child_marriage", "dispensations"),
}


def _totals(region: Region, year: int) -> tuple[dict[tuple[str, str], int], dict[str, int], object]:
    reports = Report.objects.filter(region_id=region.code, year=year).values_list("topic", "months", "values")
    sums: dict[tuple[str, str], int] = {}
    months: dict[str, int] = {}
    for topic, length, values in reports:
        months[topic] = months.get(topic, 0) + length
        for key, value in values.items():
            sums[(topic, key)] = sums.get((topic, key), 0) + value
    as_of = Report.objects.filter(region_id=region.code, year=year).aggregate(at=Max("updated_at"))["at"]
    return sums, months, as_of


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def protection_values(region: Region, year: int) -> Iterator[ComputedValue]:
    """The year's counts and diversion shares of a kab/kota, each with the months it rests on (2 queries)."""
    sums, months, as_of = _totals(region, year)
    url = f"{reverse('protection:region_figures', args=[region.code])}?year={year}"
    day = as_of.date() if as_of else None
    for key, (topic, cell) in COUNTS.items():
        if topic in months:
            source = _("%(n)s children in %(year)s, from %(months)s months of recorded figures.") % {
                "n": sums.get((topic, cell), 0), "year": year, "months": months[topic],
            }  # fmt: skip
            yield ComputedValue(key, sums.get((topic, cell), 0), source, day, url)
    if "uptd_services" in months:
        assisted = sums.get(("uptd_services", "assisted"), 0)
        text = _(
            "The UPTD PPA assisted %(n)s children's cases in %(year)s, from %(months)s months of recorded figures."
        )
        source = text % {"n": assisted, "year": year, "months": months["uptd_services"]}
        yield ComputedValue("protection.victims_served", assisted > 0, source, day, url)
    perpetrators = sums.get(("abh", "perpetrator"), 0)
    attempted = sums.get(("abh", "diversion_attempted"), 0)
    if perpetrators:
        source = _("Diversion attempted for %(a)s of %(p)s children in conflict with the law in %(year)s.") % {
            "a": attempted, "p": perpetrators, "year": year,
        }  # fmt: skip
        yield ComputedValue("protection.diversion_attempted_pct", _pct(attempted, perpetrators), source, day, url)
    if attempted:
        done = sums.get(("abh", "diversion_succeeded"), 0)
        source = _("Diversion succeeded for %(s)s of %(a)s attempts in %(year)s.") % {
            "s": done,
            "a": attempted,
            "year": year,
        }
        yield ComputedValue("protection.diversion_succeeded_pct", _pct(done, attempted), source, day, url)
