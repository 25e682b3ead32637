"""Points and distances: reading a typed coordinate, the distance between two points, and a grid that finds the
points near each other without comparing every pair."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARTH_RADIUS_M = 6_371_000.0
COORDINATE = re.compile(r"^[+-]?\d{1,3}([.,]\d{1,9})?$")


def parse_coordinate(text: object, field: str) -> Decimal | None:
    """A latitude or longitude typed with a dot or a comma for decimals (coordinates are never grouped: "106,845"
    is 106.845); None when empty. ValidationError with the field's name otherwise."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        return Decimal(str(text)).quantize(Decimal("0.000001"))
    raw = str(text).strip().replace("\u2212", "-")
    if not COORDINATE.match(raw):
        raise ValidationError(
            {
                field: _("“%(text)s” is not a coordinate; write it in decimal degrees, like -6.2251.")
                % {"text": raw[:30]}
            }
        )
    try:
        return Decimal(raw.replace(",", ".")).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValidationError({field: _("“%(text)s” is not a coordinate.") % {"text": raw[:30]}}) from None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class Grid:
    """Points bucketed in cells about `cell_m` wide, so the neighbours of a point are found in its 9 cells."""

    def __init__(self, points: Iterable[tuple[int, float, float]], cell_m: float) -> None:
        self.cell_deg = max(cell_m, 1.0) / 111_320.0
        # A degree of longitude is shorter away from the equator: at Indonesia's widest latitude (11.5°) 0.98 of one.
        self.lon_deg = self.cell_deg / 0.97
        self.cells: dict[tuple[int, int], list[tuple[int, float, float]]] = defaultdict(list)
        for key, lat, lon in points:
            self.cells[self._cell(lat, lon)].append((key, lat, lon))

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self.cell_deg), math.floor(lon / self.lon_deg))

    def near(self, lat: float, lon: float, radius_m: float) -> Iterator[tuple[int, float]]:
        """(key, distance) of every point within `radius_m` of the point (radius at most the cell width)."""
        row, col = self._cell(lat, lon)
        # A box around the point first (cheap comparisons), the great-circle distance only inside it.
        dlat, dlon = radius_m / 111_320.0, radius_m / 111_320.0 / 0.97
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for key, plat, plon in self.cells.get((row + dr, col + dc), ()):
                    if abs(plat - lat) > dlat or abs(plon - lon) > dlon:
                        continue
                    d = distance_m(lat, lon, plat, plon)
                    if d <= radius_m:
                        yield key, d

    def nearest(self, lat: float, lon: float, radius_m: float) -> float | None:
        """The distance to the nearest point within `radius_m` (at most the cell width), None when there is none."""
        return min((d for _key, d in self.near(lat, lon, radius_m)), default=None)
