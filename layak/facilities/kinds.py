"""The facility kinds the KLA evaluation counts, read from the versioned data file `data/facilities/kinds.json`.

Each kind names its sources (numbers of the KLA domain reference or the 2024 instrument) and a certainty label;
whether it has a certificate (SRA's decree, PRAP's decree, RBRA's standard...) decides the lifecycle a facility
of that kind goes through. Adding a kind is an edit of the file, no migration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

KINDS_FILE = Path(settings.BASE_DIR) / "data" / "facilities" / "kinds.json"

SERVICES = {
    "education": _("Education"),
    "health": _("Health"),
    "play": _("Play"),
    "information": _("Information"),
    "family": _("Family"),
    "creativity": _("Culture and creativity"),
    "protection": _("Protection"),
}
CERTAINTY = {"sure": _("sure"), "likely": _("likely"), "product": _("product choice")}


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    service: str
    certifiable: bool
    certificate: str
    school_levels: bool
    gap_unit: str
    walking_distance_m: int
    instrument: str
    certainty: str
    sources: tuple[str, ...]

    @property
    def service_label(self) -> str:
        return str(SERVICES.get(self.service, self.service))

    @property
    def certainty_label(self) -> str:
        return str(CERTAINTY.get(self.certainty, self.certainty))


@dataclass(frozen=True)
class Catalogue:
    version: str
    kinds: dict[str, Kind]
    sources: dict[str, str]

    def choices(self) -> list[tuple[str, str]]:
        return [(k.code, k.name) for k in self.kinds.values()]

    def name(self, code: str) -> str:
        kind = self.kinds.get(code)
        return kind.name if kind else code


@cache
def catalogue() -> Catalogue:
    """The kinds as the data file lists them (read once per process)."""
    data = json.loads(KINDS_FILE.read_text(encoding="utf-8"))
    kinds = {}
    for item in data["kinds"]:
        kind = Kind(
            code=item["code"],
            name=item["name"],
            service=item["service"],
            certifiable=bool(item["certifiable"]),
            certificate=item.get("certificate", ""),
            school_levels=bool(item.get("school_levels")),
            gap_unit=item.get("gap_unit", ""),
            walking_distance_m=int(item["walking_distance_m"]),
            instrument=item.get("instrument", ""),
            certainty=item["certainty"],
            sources=tuple(item["sources"]),
        )
        kinds[kind.code] = kind
    return Catalogue(version=data["version"], kinds=kinds, sources=data["sources"])


def kind_choices() -> list[tuple[str, str]]:
    return catalogue().choices()
