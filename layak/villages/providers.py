"""The Kelana/Dekela percentages offered to the kab/kota's self-assessment (kla-2024 indicators 25-26).

For each percentage question answered by kecamatan or desa, `villages.<indicator>.<question>` (e.g.
`villages.26.4`) is the share of the kab/kota's kecamatan or desa whose submitted checklist says yes, out of
all of them in the Kemendagri data, with the count, the date of the newest checklist and a link to the list.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from layak.evaluations.prefill import ComputedValue
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

from . import rollup, selectors


def village_values(region: Region, year: int) -> Iterator[ComputedValue]:
    """The roll-up of the kab/kota for the year's kla-2024 cycle (six queries); nothing before anyone answered."""
    cycle = selectors.village_cycle_for_year(year=year)
    if cycle is None:
        return
    demo = rollup.has_demo_data(cycle=cycle, region=region)
    for row in rollup.rollup_for_kabkota(cycle=cycle, region=region):
        if not row.answered or not row.total:
            continue
        what = _("districts") if row.level == RegionLevel.KECAMATAN else _("villages")
        source = _(
            "%(yes)s of the %(total)s %(what)s of the region answered yes in their checklists (%(answered)s sent; "
            "those not sent count as no)."
        ) % {"yes": row.yes, "total": row.total, "what": what, "answered": row.answered}
        if demo:
            source += " " + _("Includes example checklists (data contoh).")
        url = reverse("villages:rollup_detail", args=[region.code, cycle.pk, row.question.pk])
        yield ComputedValue(
            rollup.computed_key(row.question), row.percent, source, row.as_of.date() if row.as_of else None, url
        )
