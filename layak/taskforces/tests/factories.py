"""Sample Gugus Tugas data for tests, made through the services so every rule applies."""

from __future__ import annotations

import datetime

from layak.accounts.tests.factories import make_agency
from layak.regions.tests.factories import make_region
from layak.taskforces import services
from layak.taskforces.models import Decree

AGENCIES = [
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("Dinas Sosial", "Dinsos"),
]

# (name, position, agency short name or organisation, role, area, sector): a structure without gaps.
FULL_STRUCTURE = [
    ("Ahmad Fauzi", "Kepala Bappeda", "Bappeda", "ketua", "", "pemerintah"),
    ("Siti Rahmah", "Kepala DP3A", "DP3A", "sekretaris", "", "pemerintah"),
    ("Rudi Hartono", "Sekretaris Bappeda", "Bappeda", "koordinator", "kelembagaan", "pemerintah"),
    ("Nur Aini", "Kepala Disdukcapil", "Disdukcapil", "koordinator", "klaster_1", "pemerintah"),
    ("Hj. Mariani", "Kepala Dinsos", "Dinsos", "koordinator", "klaster_2", "pemerintah"),
    ("dr. Budi Santoso", "Kepala Dinkes", "Dinkes", "koordinator", "klaster_3", "pemerintah"),
    ("Agus Salim", "Kepala Disdik", "Disdik", "koordinator", "klaster_4", "pemerintah"),
    ("Rina Wati", "Kabid PPA", "DP3A", "koordinator", "klaster_5", "pemerintah"),
    ("Yusuf Hidayat", "Ketua", "LPA Kota", "anggota", "klaster_5", "lembaga_masyarakat"),
    ("Dewi Lestari", "Manajer CSR", "PT Contoh Sejahtera", "anggota", "klaster_3", "dunia_usaha"),
    ("Fajar Ramadhan", "Redaktur", "Radar Contoh", "anggota", "klaster_1", "media"),
]


def make_agencies(region_code: str) -> dict[str, object]:
    return {short: make_agency(region_code, name, short) for name, short in AGENCIES}


def make_decree(user, region_code: str, *, start: int = 2025, end: int = 2027, members=FULL_STRUCTURE) -> Decree:
    """A decree for the region with the given members (by default a structure without gaps)."""
    region = make_region(region_code)
    agencies = make_agencies(region_code)
    decree = services.decree_create(
        user=user,
        region=region,
        number=f"188.45/{start}/KUM",
        decree_date=datetime.date(start, 1, 15),
        period_start=start,
        period_end=end,
        signatory="Wali Kota",
    )
    for name, position, where, role, area, sector in members:
        agency = agencies.get(where)
        services.member_create(
            user=user,
            decree=decree,
            name=name,
            position=position,
            agency=agency,
            organisation="" if agency else where,
            role=role,
            area=area,
            sector=sector,
        )
    return decree
