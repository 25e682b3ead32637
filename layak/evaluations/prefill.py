"""Values the region's own registers can compute for the self-assessment, with where they came from.

The Gugus Tugas register knows how many coordination meetings were held, the training register how many
staff are trained in the KHA, and so on. Each register app registers a provider; a data element of a framework
names the value it can take with its `computed_key` (for example `taskforces.meetings_per_year`). The answer
form offers the computed value with its source and date; the user accepts or overrides it, and reviewers see
the provenance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from layak.regions.models import Region


@dataclass(frozen=True)
class ComputedValue:
    """One value a register computed: `key` as named in the framework, the value, and its provenance.

    `source` is a translated sentence a person can check ("from 14 meetings recorded in 2025"); `as_of` is
    the date of the newest record it counts; `url` points at the register page that shows the records.
    """

    key: str
    value: Any
    source: str
    as_of: date | None = None
    url: str = ""


Provider = Callable[[Region, int], Iterable[ComputedValue]]
_providers: list[Provider] = []


def register_provider(provider: Provider) -> Provider:
    """Registers a provider (usable as a decorator). Call it from the register app's AppConfig.ready()."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def computed_values(region: Region, year: int) -> dict[str, ComputedValue]:
    """Every value the registered providers compute for a kab/kota and a year, by key.

    Each provider must run a fixed number of queries, whatever the size of its register.
    """
    values: dict[str, ComputedValue] = {}
    for provider in _providers:
        for value in provider(region, year):
            values[value.key] = value
    return values
