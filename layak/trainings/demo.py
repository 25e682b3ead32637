"""Demo KHA training of Kota Banjarmasin (63.71): one Bimtek KHA with participants from the OPDs, some of
them Gugus Tugas members. Made through the services, marked as demo data ("data contoh"); a re-run adds nothing.
"""

from __future__ import annotations

import datetime

from layak.accounts.models import Agency, User
from layak.regions.models import Region

from . import services
from .models import Training

REGION = "63.71"
COORDINATOR = "dp3a_banjarmasin"
DEMO_NOTE = "Data contoh (demo)."
# name, OPD short name or organisation, position, Gugus Tugas member, certificate number. Names are invented.
PARTICIPANTS = [
    ("Muhammad Fadli (contoh)", "Bappeda", "Kabid Pemerintahan dan Pembangunan Manusia", True, "001/BIMTEK-KHA/2026"),
    ("Rina Apriani (contoh)", "DP3A", "Kabid Perlindungan Anak", True, "002/BIMTEK-KHA/2026"),
    ("Rahmadi (contoh)", "Disdukcapil", "Kepala Disdukcapil", True, "003/BIMTEK-KHA/2026"),
    ("Nor Aida (contoh)", "Dinkes", "Pengelola Program Kesehatan Anak", False, "004/BIMTEK-KHA/2026"),
    ("Siti Aminah (contoh)", "Disdik", "Pengawas Sekolah", False, "005/BIMTEK-KHA/2026"),
    ("Budi Kurniawan (contoh)", "Dinsos", "Pekerja Sosial", False, ""),
    ("Abdul Gani (contoh)", "Lembaga Perlindungan Anak Kota (contoh)", "Ketua", True, ""),
]


def seed_demo_data(*, stdout) -> None:
    """Creates the demo Bimtek KHA of Kota Banjarmasin once; skipped when it exists or its users are missing."""
    region = Region.objects.filter(code=REGION).first()
    user = User.objects.filter(username=COORDINATOR).first()
    if region is None or user is None:
        stdout.write("Training demo skipped: Kota Banjarmasin or its demo coordinator is missing.")
        return
    if Training.objects.filter(region=region, notes=DEMO_NOTE).exists():
        stdout.write("Training demo: already there.")
        return
    agencies = {a.short_name: a for a in Agency.objects.filter(region=region)}
    training = services.training_create(
        user=user,
        region=region,
        kind="bimtek_kha",
        title="Bimtek Konvensi Hak Anak bagi Gugus Tugas KLA (data contoh)",
        starts_on=datetime.date(2026, 3, 10),
        ends_on=datetime.date(2026, 3, 12),
        organiser="DP3A Kota Banjarmasin",
        trainers="Fasilitator KLA Provinsi Kalimantan Selatan (contoh)",
        materials="Prinsip dan klaster KHA; indikator KLA; peran Gugus Tugas.",
        notes=DEMO_NOTE,
    )
    for name, where, position, member, certificate in PARTICIPANTS:
        agency = agencies.get(where)
        services.participant_create(
            user=user,
            training=training,
            name=name,
            agency=agency,
            organisation="" if agency else where,
            position=position,
            is_taskforce_member=member,
            certificate_number=certificate,
        )
    stdout.write(f"Training demo: one Bimtek KHA with {len(PARTICIPANTS)} participants.")
