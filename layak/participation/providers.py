"""What the Forum Anak register computes for the self-assessment (kla-2021 I, child participation).

- `participation.forum_kabkota`: an active forum at kab/kota level established by the end of the year;
- `participation.forum_district_pct` / `forum_village_pct`: the share of the kab/kota's kecamatan /
  desa-kelurahan (counted from the region tree) with an active forum;
- `participation.musrenbang`: children's inputs to a Musrenbang recorded in the year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.evaluations.prefill import ComputedValue
from layak.regions.models import Region

from .choices import MUSRENBANG_CHANNELS, ForumLevel
from .models import ChildInput, Forum

CENTS = Decimal("0.01")


def _forum_counts(region: Region, year: int) -> dict:
    """Per level, the distinct regions with an active forum established by the year's end (one query)."""
    end = datetime.date(year, 12, 31)
    active = Forum.objects.filter(kabkota=region, active=True).filter(
        Q(established_on__isnull=True) | Q(established_on__lte=end)
    )
    return active.aggregate(
        kabkota=Count("region", distinct=True, filter=Q(level=ForumLevel.KABKOTA)),
        kecamatan=Count("region", distinct=True, filter=Q(level=ForumLevel.KECAMATAN)),
        desa=Count("region", distinct=True, filter=Q(level=ForumLevel.DESA)),
        newest=Max("updated_at"),
    )


def _region_counts(region: Region) -> dict:
    """The number of kecamatan and of desa/kelurahan of the kab/kota in the region tree (one query)."""
    return Region.objects.in_subtree(region.code).aggregate(
        kecamatan=Count("pk", filter=Q(level=3)), desa=Count("pk", filter=Q(level=4))
    )


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(CENTS, rounding=ROUND_HALF_UP)


def _shares(forums: dict, regions: dict, as_of, url: str) -> Iterator[ComputedValue]:
    for key, level_key, label in (
        ("participation.forum_district_pct", "kecamatan", _("kecamatan")),
        ("participation.forum_village_pct", "desa", _("desa/kelurahan")),
    ):
        whole = regions[level_key]
        if not whole:
            continue  # the region tree below the kab/kota is not loaded: no share to offer
        source = _("%(n)s of %(total)s %(what)s have an active Forum Anak.") % {
            "n": forums[level_key],
            "total": whole,
            "what": label,
        }
        yield ComputedValue(key, _pct(forums[level_key], whole), source, as_of, url)


def _musrenbang(region: Region, year: int, url: str) -> ComputedValue:
    rows = ChildInput.objects.filter(forum__kabkota=region, channel__in=MUSRENBANG_CHANNELS, date__year=year).aggregate(
        n=Count("pk"), newest=Max("date")
    )
    source = ngettext(
        "%(n)s children's input to Musrenbang recorded in %(year)s.",
        "%(n)s children's inputs to Musrenbang recorded in %(year)s.",
        rows["n"],
    ) % {"n": rows["n"], "year": year}
    return ComputedValue("participation.musrenbang", rows["n"] > 0, source, rows["newest"], url)


def participation_values(region: Region, year: int) -> Iterator[ComputedValue]:
    """The Forum Anak values of a kab/kota for a year (3 queries)."""
    url = reverse("participation:region_forums", args=[region.code])
    forums = _forum_counts(region, year)
    as_of = forums["newest"].date() if forums["newest"] else None
    has_forum = forums["kabkota"] > 0
    source = (
        _("An active regency/city Forum Anak is recorded.")
        if has_forum
        else _("No active regency/city Forum Anak is recorded for %(year)s.") % {"year": year}
    )
    yield ComputedValue("participation.forum_kabkota", has_forum, source, as_of, url)
    yield from _shares(forums, _region_counts(region), as_of, url)
    yield _musrenbang(region, year, url)
