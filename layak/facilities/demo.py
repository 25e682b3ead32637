"""Demo facilities of Kota Administrasi Jakarta Timur (31.75) in its real kelurahan: schools, Puskesmas,
playgrounds and others, some certified, one Kaltara zone in Kramatjati lacking PATBM, and a cluster in Cakung that
the zone suggestions find. Names, points, decrees and totals are invented and labelled "data contoh"; made through
the services; a re-run adds nothing.

Jakarta Timur's Kaltara (Kawasan Layanan Terintegrasi Ramah Anak) is real (KLA reference [111][112], Kramat Jati);
the facilities here are not its facilities.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from layak.accounts.models import User
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

from . import services
from .choices import Status
from .models import Facility

REGION = "31.75"
COORDINATOR = "dp3a_jaktim"
SOURCE = "data contoh (angka rekaan untuk demo)"

# (kind, name, kelurahan code, school level, latitude, longitude, certified on) -- points are invented.
FACILITIES = [
    ("rbra", "RBRA Taman Kramatjati", "31.75.04.1001", "", "-6.270100", "106.866500", datetime.date(2024, 7, 1)),
    ("sra", "SDN Kramatjati 01", "31.75.04.1001", "sd", "-6.271000", "106.867900", datetime.date(2024, 8, 15)),
    ("sra", "SMPN Kramatjati 02", "31.75.04.1001", "smp", "-6.268900", "106.868300", None),
    (
        "prap",
        "Puskesmas Kecamatan Kramatjati",
        "31.75.04.1001",
        "",
        "-6.272300",
        "106.865100",
        datetime.date(2024, 3, 4),
    ),
    (
        "pisa",
        "PISA Perpustakaan Kramatjati",
        "31.75.04.1003",
        "",
        "-6.269400",
        "106.864800",
        datetime.date(2025, 1, 20),
    ),
    ("rptra", "RPTRA Cakung Barat", "31.75.06.1007", "", "-6.178800", "106.937400", None),
    ("sra", "SDN Cakung Barat 03", "31.75.06.1007", "sd", "-6.179700", "106.938600", datetime.date(2025, 2, 10)),
    ("patbm", "PATBM Kelurahan Cakung Barat", "31.75.06.1007", "", "-6.177900", "106.936800", None),
    ("sra", "TK Negeri Pulogadung", "31.75.02.1001", "tk", "", "", None),
    ("sra", "SMAN Rawamangun", "31.75.02.1005", "sma", "-6.196200", "106.888500", datetime.date(2023, 9, 1)),
    ("prap", "Puskesmas Kecamatan Duren Sawit", "31.75.07.1001", "", "-6.231900", "106.915400", None),
    ("pka", "Pusat Kreativitas Anak Jatinegara", "31.75.03.1001", "", "", "", datetime.date(2025, 5, 2)),
    ("rira", "Masjid Ramah Anak Cipayung", "31.75.10.1001", "", "", "", None),
    ("ruang_asi", "Ruang ASI Kantor Wali Kota", "31.75.02.1004", "", "", "", None),
    ("uptd_ppa", "UPTD PPA Jakarta Timur", "31.75.02.1004", "", "", "", None),
]
TOTALS = [
    ("sra", "tk", 800),
    ("sra", "sd", 640),
    ("sra", "smp", 240),
    ("sra", "sma", 190),
    ("sra", "slb", 20),
    ("prap", "", 10),
]


@transaction.atomic
def seed_demo_data(*, stdout) -> None:
    """Creates Jakarta Timur's demo facilities, certificates, totals and one zone, once."""
    region = Region.objects.filter(code=REGION).first()
    user = User.objects.filter(username=COORDINATOR).first()
    if region is None or user is None:
        stdout.write("Facility demo skipped: Jakarta Timur or its coordinator is missing.")
        return
    if Facility.objects.filter(region=region, is_demo=True).exists():
        stdout.write("Facility demo: already there.")
        return
    if not Region.objects.filter(level=RegionLevel.DESA, code__startswith=f"{REGION}.").exists():
        stdout.write("Facility demo skipped: Jakarta Timur's kelurahan are not loaded (run load_regions).")
        return
    made = {}
    for kind, name, desa, level, lat, lon, certified in FACILITIES:
        facility = services.facility_create(
            user=user,
            region=region,
            kind=kind,
            name=f"{name} (data contoh)",
            desa=desa,
            school_level=level,
            latitude=Decimal(lat) if lat else None,
            longitude=Decimal(lon) if lon else None,
            proposed_on=certified - datetime.timedelta(days=60) if certified else datetime.date(2025, 6, 2),
            is_demo=True,
        )
        if certified:
            assessed = certified - datetime.timedelta(days=30)
            services.facility_transition(
                user=user, facility=facility, to=Status.ASSESSED, date=assessed, note="Penilaian (data contoh)"
            )
            services.facility_transition(
                user=user,
                facility=facility,
                to=Status.CERTIFIED,
                date=certified,
                decree_number=f"e-0{len(made) + 1}/SK/{certified.year} (data contoh)",
                decree_issuer="Wali Kota Jakarta Timur (data contoh)",
                valid_until=certified.replace(year=certified.year + 3),
            )
        made[name] = facility
    for kind, level, total in TOTALS:
        services.total_save(
            user=user, region=region, year=2025, kind=kind, school_level=level, total=total, source=SOURCE
        )
    services.zone_create(
        user=user,
        region=region,
        name="Kaltara Kramatjati (data contoh)",
        walking_distance_m=1000,
        required_kinds=["sra", "prap", "rbra", "pisa", "patbm"],
        members=[
            made[n]
            for n in (
                "RBRA Taman Kramatjati",
                "SDN Kramatjati 01",
                "Puskesmas Kecamatan Kramatjati",
                "PISA Perpustakaan Kramatjati",
            )
        ],
        is_demo=True,
    )
    stdout.write(f"Facility demo: {len(made)} facilities, 1 zone and school totals for Jakarta Timur (data contoh).")
