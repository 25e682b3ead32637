"""Child-protection figures API at /api/v1/protection: the public figures of a place (no login, suppressed
exactly as on the public page) and a region's exact figures for the people of that region."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth
from layak.common.api import ErrorOut
from layak.regions.choices import RegionLevel
from layak.regions.models import Region
from layak.registers.access import kabkota_get_for_user

from . import publication

router = Router(tags=["protection"])


class FigureOut(Schema):
    key: str
    label: str
    value: int | None
    shown: str
    hidden: str
    rate_per_10000: Decimal | None


class TopicOut(Schema):
    topic: str
    label: str
    source: str
    confidence: str
    children: int | None
    figures: list[FigureOut]
    quarters: list[FigureOut]


class FiguresOut(Schema):
    place: str
    year: int
    threshold: int
    exact: bool
    topics: list[TopicOut]


def _figure(f, prefix: str = "") -> dict:
    return {
        "key": f.key,
        "label": f"{prefix}{f.label}",
        "value": f.value,
        "shown": f.display,
        "hidden": f.hidden,
        "rate_per_10000": f.rate,
    }


def _out(place: str, year: int, exact: bool) -> dict:
    version = publication.stamp()
    topics = []
    for block in publication.figures_for(place, year, exact=exact, version=version):
        quarters = [_figure(f, f"{m} ") for m, fs in block.quarters for f in fs]
        topics.append(
            {
                "topic": block.topic.key,
                "label": block.topic.label,
                "source": block.topic.source,
                "confidence": block.topic.confidence,
                "children": block.population,
                "figures": [_figure(f) for f in block.figures],
                "quarters": quarters,
            }
        )
    return {"place": place, "year": year, "threshold": publication.threshold(), "exact": exact, "topics": topics}


@router.get("/public/{code}", auth=None, response={200: FiguresOut, 404: ErrorOut}, url_name="protection_public")
def public_figures(request: HttpRequest, code: str, year: int | None = None):
    """The public figures of the nation (`ID`), a province or a kab/kota in a year: small counts (zero
    included) as "<5" and the cells that would give them away as a cross, with `value` null for both."""
    if (
        code != publication.NATION
        and not Region.objects.filter(code=code, level__in=[RegionLevel.PROVINCE, RegionLevel.KABKOTA]).exists()
    ):
        raise Http404
    return Status(200, _out(code, year or timezone.localdate().year, exact=False))


@router.get(
    "/regions/{region_code}",
    auth=[TokenAuth(), django_auth],
    response={200: FiguresOut, 404: ErrorOut},
    url_name="protection_region",
)
def region_figures(request: HttpRequest, region_code: str, year: int | None = None):
    """A kab/kota's exact figures, for the people whose grants cover it (404 for anyone else)."""
    region = kabkota_get_for_user(user=request.auth, code=region_code)
    return Status(200, _out(region.code, year or timezone.localdate().year, exact=True))
