"""What the facility register computes for the self-assessment (kla-2024 indicators 5, 11, 15, 19 and 20).

- `facilities.sra_percent_<level>` (19.2a-e): SRA with a decree in force at the end of the year against the
  schools of the level (the total typed with its source), offered as {"numerator", "denominator"} (the instrument
  computes the percentage) and only when the total is recorded;
- `facilities.sra_certified` (19.3), `facilities.prap_certified` (15.3), `facilities.pka_certified` (20.1),
  `facilities.rira_certified` (20.2): facilities of the kind with a certificate in force;
- `facilities.prap_percent` (15.1): certified PRAP against the Puskesmas total, as a pair;
- `facilities.pisa_certified_exists` (5.2), `facilities.rbra_certified_exists` (11.2): at least one certified;
- `facilities.ila_exists` (5.1), `facilities.rass_exists` (11.5): at least one registered and in service.

Three queries whatever the size of the register.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.evaluations.prefill import ComputedValue
from layak.regions.models import Region

from .choices import SchoolLevel
from .models import Facility
from .selectors import ENDED, certified_shares

COUNTED = {"sra": "sra_certified", "prap": "prap_certified", "pka": "pka_certified", "rira": "rira_certified"}
EXISTS_CERTIFIED = {"pisa": "pisa_certified_exists", "rbra": "rbra_certified_exists"}
EXISTS = {"ila": ("ila_exists", ("ila", "pisa")), "rass": ("rass_exists", ("rass",))}


def facility_values(region: Region, year: int) -> Iterator[ComputedValue]:
    url = reverse("facilities:region_counts", args=[region.code]) + f"?year={year}"
    as_of = min(datetime.date(year, 12, 31), timezone.localdate())
    shares = certified_shares(region=region, year=year)
    certified_by_kind: dict[str, int] = {}
    for share in shares:
        certified_by_kind[share.kind] = certified_by_kind.get(share.kind, 0) + share.certified
        if share.total and share.kind in ("sra", "prap"):
            key = f"facilities.sra_percent_{share.level}" if share.kind == "sra" else "facilities.prap_percent"
            source = _("%(n)s of %(total)s %(what)s certified on %(date)s (total from: %(source)s)") % {
                "n": share.certified,
                "total": share.total,
                "what": f"{share.kind_name} {share.level_label}".strip(),
                "date": as_of.strftime("%d/%m/%Y"),
                "source": share.source,
            }
            value = {"numerator": share.certified, "denominator": share.total}
            yield ComputedValue(key, value, source, as_of, url)
    for kind, suffix in COUNTED.items():
        n = certified_by_kind.get(kind, 0)
        source = _("%(n)s certified in the facility register on %(date)s") % {
            "n": n,
            "date": as_of.strftime("%d/%m/%Y"),
        }
        yield ComputedValue(f"facilities.{suffix}", n, source, as_of, url)
    for kind, suffix in EXISTS_CERTIFIED.items():
        n = certified_by_kind.get(kind, 0)
        source = _("%(n)s certified in the facility register on %(date)s") % {
            "n": n,
            "date": as_of.strftime("%d/%m/%Y"),
        }
        yield ComputedValue(f"facilities.{suffix}", n > 0, source, as_of, url)
    registered = dict(
        Facility.objects.filter(region=region)
        .exclude(status__in=ENDED)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for suffix, kinds in EXISTS.values():
        n = sum(registered.get(k, 0) for k in kinds)
        source = _("%(n)s in the facility register") % {"n": n}
        yield ComputedValue(f"facilities.{suffix}", n > 0, source, as_of, url)


LEVEL_KEYS = [f"facilities.sra_percent_{level}" for level in SchoolLevel.values]
