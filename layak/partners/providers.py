"""What the partner register computes for the self-assessment (kla-2021 K3, and K/II's lactation rooms).

- `partners.apsai_member`: a business partner is an APSAI member since the year or earlier;
- `partners.ngo_count` / `partners.business_count`: NGO / business partners with a contribution in the year;
- `partners.media_publications`: publication contributions in the year;
- `partners.lactation_rooms`: lactation rooms contributed up to the end of the year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.evaluations.prefill import ComputedValue
from layak.regions.models import Region

from .choices import ContributionType, PartnerKind
from .models import Contribution, Partner


def _apsai(region: Region, year: int, url: str) -> ComputedValue:
    end = datetime.date(year, 12, 31)
    members = list(
        Partner.objects.filter(region=region, kind=PartnerKind.BUSINESS, apsai_member=True)
        .filter(Q(apsai_since__isnull=True) | Q(apsai_since__lte=end))
        .values_list("name", "updated_at")
    )
    if not members:
        return ComputedValue("partners.apsai_member", False, _("No business partner is an APSAI member."), None, url)
    names = ", ".join(name for name, _updated in members[:3])
    source = ngettext(
        "%(n)s business partner in APSAI: %(names)s.", "%(n)s business partners in APSAI: %(names)s.", len(members)
    ) % {"n": len(members), "names": names}
    return ComputedValue("partners.apsai_member", True, source, max(u for _n, u in members).date(), url)


def _counts_in_year(region: Region, year: int) -> dict:
    """Partners with a contribution in the year, per kind; publications in the year; latest date (one query)."""
    rows = Contribution.objects.filter(partner__region=region, date__year=year).aggregate(
        ngo=Count("partner", distinct=True, filter=Q(partner__kind=PartnerKind.NGO)),
        business=Count("partner", distinct=True, filter=Q(partner__kind=PartnerKind.BUSINESS)),
        publications=Count("pk", filter=Q(type=ContributionType.PUBLICATION)),
        newest=Max("date"),
    )
    return rows


def _lactation_rooms(region: Region, year: int, url: str) -> ComputedValue:
    rows = Contribution.objects.filter(
        partner__region=region, type=ContributionType.LACTATION_ROOM, date__year__lte=year
    ).aggregate(rooms=Sum("facility_count"), newest=Max("date"), n=Count("pk"))
    source = _("%(rooms)s lactation room(s) from %(n)s partner contribution(s) up to %(year)s.") % {
        "rooms": rows["rooms"] or 0,
        "n": rows["n"],
        "year": year,
    }
    return ComputedValue("partners.lactation_rooms", rows["rooms"] or 0, source, rows["newest"], url)


def partner_values(region: Region, year: int) -> Iterator[ComputedValue]:
    """The partner values of a kab/kota for a year (3 queries)."""
    url = reverse("partners:region_partners", args=[region.code])
    yield _apsai(region, year, url)
    counts = _counts_in_year(region, year)
    facts = {"year": year}
    yield ComputedValue(
        "partners.ngo_count",
        counts["ngo"],
        ngettext(
            "%(n)s NGO partner with a contribution recorded in %(year)s.",
            "%(n)s NGO partners with a contribution recorded in %(year)s.",
            counts["ngo"],
        )
        % {"n": counts["ngo"], **facts},
        counts["newest"],
        url,
    )
    yield ComputedValue(
        "partners.business_count",
        counts["business"],
        ngettext(
            "%(n)s business partner with a contribution recorded in %(year)s.",
            "%(n)s business partners with a contribution recorded in %(year)s.",
            counts["business"],
        )
        % {"n": counts["business"], **facts},
        counts["newest"],
        url,
    )
    yield ComputedValue(
        "partners.media_publications",
        counts["publications"],
        ngettext(
            "%(n)s media publication recorded in %(year)s.",
            "%(n)s media publications recorded in %(year)s.",
            counts["publications"],
        )
        % {"n": counts["publications"], **facts},
        counts["newest"],
        url,
    )
    yield _lactation_rooms(region, year, url)
