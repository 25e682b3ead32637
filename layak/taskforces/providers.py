"""What the Gugus Tugas register computes for the self-assessment (see layak.evaluations.prefill).

- `taskforces.decree_complete` (yes/no): a decree covers the year and has no structural gap (ketua,
  sekretaris, a coordinator for kelembagaan and each klaster, members from lembaga masyarakat, dunia usaha
  and media);
- `taskforces.meetings_per_year` (count): coordination meetings held in the year;
- `taskforces.decisions_done_pct` (percentage): of the meeting decisions due in the year, the share done.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.evaluations.prefill import ComputedValue
from layak.regions.models import Region

from .selectors import gaps_for_region, meeting_summary


def _decree_complete(region: Region, year: int) -> ComputedValue | None:
    decree, gaps = gaps_for_region(region=region, year=year)
    if decree is None:
        return None
    url = reverse("taskforces:decree_detail", args=[decree.pk])
    if not gaps:
        source = _("Decree %(decree)s covers %(year)s and names every role, sub-group and sector.") % {
            "decree": decree,
            "year": year,
        }
    else:
        source = _("Decree %(decree)s: %(gaps)s") % {"decree": decree, "gaps": " ".join(g.message for g in gaps)}
    return ComputedValue("taskforces.decree_complete", not gaps, source, decree.decree_date, url)


def _meetings(region: Region, year: int, summary) -> ComputedValue:
    url = f"{reverse('taskforces:meeting_list', args=[region.code])}?year={year}"
    source = ngettext(
        "From %(n)s meeting recorded in %(year)s.", "From %(n)s meetings recorded in %(year)s.", summary.meetings
    ) % {"n": summary.meetings, "year": year}
    return ComputedValue("taskforces.meetings_per_year", summary.meetings, source, summary.latest, url)


def _decisions_done(region: Region, year: int, summary) -> ComputedValue | None:
    if not summary.decisions_due:
        return None
    pct = (Decimal(100) * summary.decisions_due_done / summary.decisions_due).quantize(Decimal("0.1"))
    source = ngettext(
        "%(done)s of %(due)s decision due in %(year)s done.",
        "%(done)s of %(due)s decisions due in %(year)s done.",
        summary.decisions_due,
    ) % {"done": summary.decisions_due_done, "due": summary.decisions_due, "year": year}
    url = f"{reverse('taskforces:meeting_list', args=[region.code])}?year={year}"
    return ComputedValue("taskforces.decisions_done_pct", pct, source, summary.latest, url)


def taskforce_values(region: Region, year: int) -> Iterator[ComputedValue]:
    """The decree's completeness, the meetings of the year and the share of decisions done (4 queries)."""
    decree = _decree_complete(region, year)
    if decree is not None:
        yield decree
    summary = meeting_summary(region=region, year=year)
    yield _meetings(region, year, summary)
    done = _decisions_done(region, year, summary)
    if done is not None:
        yield done
