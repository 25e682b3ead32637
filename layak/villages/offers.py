"""What the registers already know about one kecamatan or desa, offered on its checklist with the source.

The Forum Anak register (layak.participation) records forums at kecamatan and desa level: the kla-2024
questions 25.2 ("kecamatan that have a Forum Anak Kecamatan") and 26.4 ("desa/kelurahan that have a Forum Anak
Desa/Kelurahan") are offered "yes" when an active forum of the area is recorded, with the forum's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from layak.participation.models import Forum
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

#: The question (indicator.code) each level's Forum Anak answers.
FORUM_QUESTION = {RegionLevel.KECAMATAN: "25.2", RegionLevel.DESA: "26.4"}


@dataclass(frozen=True)
class RegisterOffer:
    """A value a register offers for one question of an area: yes/no, where it comes from, and its date."""

    value: bool
    source: str
    url: str
    as_of: date | None


def register_offers(*, region: Region, year: int) -> dict[str, RegisterOffer]:
    """{question full code: offer} for the area (one query)."""
    code = FORUM_QUESTION.get(region.level)
    if code is None:
        return {}
    end = date(year, 12, 31)
    forum = (
        Forum.objects.filter(region=region, active=True)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=end))
        .order_by("-updated_at")
        .first()
    )
    if forum is None:
        return {}
    url = reverse("participation:region_forums", args=[forum.kabkota_id])
    source = _("Forum Anak register: “%(name)s” is recorded as active.") % {"name": forum.name}
    return {code: RegisterOffer(True, source, url, forum.updated_at.date())}
