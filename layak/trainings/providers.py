"""What the training register computes for the self-assessment (see layak.evaluations.prefill).

- `trainings.kha_trained_staff` (count): distinct government staff (participants with an OPD) who completed a
  KHA training (Bimtek, Diklat or TOT KHA) by the end of the year.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.evaluations.prefill import ComputedValue
from layak.regions.models import Region

from .selectors import kha_trained_staff


def training_values(region: Region, year: int) -> Iterator[ComputedValue]:
    """The number of KHA-trained government staff up to the end of `year`, with its source (2 queries)."""
    staff = kha_trained_staff(region=region, year=year)
    if staff.trainings:
        trainings = ngettext("from %(n)s training", "from %(n)s trainings", staff.trainings) % {"n": staff.trainings}
        people = ngettext("%(n)s person", "%(n)s people", staff.people) % {"n": staff.people}
        latest = _("latest %(date)s") % {"date": date_format(staff.latest, "j M Y")}
        source = f"{trainings}, {people}, {latest}"
    else:
        source = _("No KHA training completed by the end of %(year)s is recorded.") % {"year": year}
    url = reverse("trainings:training_summary", args=[region.code])
    yield ComputedValue("trainings.kha_trained_staff", staff.people, source, staff.latest, url)
