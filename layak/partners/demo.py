"""Demo partners of Kota Banjarmasin (63.71): an APSAI business and a local NGO with their contributions.

Made through the services and marked as demo data ("data contoh"); a re-run adds nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from layak.accounts.models import User
from layak.regions.models import Region

from . import services
from .models import Partner

REGION = "63.71"
COORDINATOR = "dp3a_banjarmasin"


def seed_demo_data(*, stdout) -> None:
    """Creates two demo partners with contributions and a commitment, once."""
    region = Region.objects.filter(code=REGION).first()
    user = User.objects.filter(username=COORDINATOR).first()
    if region is None or user is None:
        stdout.write("Partner demo skipped: Kota Banjarmasin or its coordinator is missing.")
        return
    if Partner.objects.filter(region=region, is_demo=True).exists():
        stdout.write("Partner demo: already there.")
        return
    business = services.partner_create(
        user=user,
        region=region,
        name="PT Contoh Sahabat Anak (data contoh)",
        kind="business",
        apsai_member=True,
        apsai_since=datetime.date(2023, 7, 23),
        description="Anggota APSAI daerah.",
        is_demo=True,
    )
    services.contribution_create(
        user=user,
        partner=business,
        date=datetime.date(2025, 2, 14),
        type="lactation_room",
        description="Ruang laktasi di kantor dan pusat perbelanjaan",
        facility_count=2,
        value=Decimal("45000000"),
    )
    services.contribution_create(
        user=user,
        partner=business,
        date=datetime.date(2025, 6, 1),
        type="play_space",
        description="Ruang bermain ramah anak di area publik",
        facility_count=1,
        value=Decimal("120000000"),
    )
    ngo = services.partner_create(
        user=user, region=region, name="Yayasan Contoh Peduli Anak (data contoh)", kind="ngo", is_demo=True
    )
    services.contribution_create(
        user=user,
        partner=ngo,
        date=datetime.date(2025, 4, 20),
        type="reading_corner",
        description="Pojok baca di lima kelurahan tepian sungai",
        facility_count=5,
    )
    services.commitment_create(
        user=user,
        region=region,
        kind="declaration",
        date=datetime.date(2025, 7, 23),
        title="Deklarasi Dunia Usaha Peduli Anak (data contoh)",
        signatories="Wali Kota Banjarmasin\nKetua APSAI daerah",
    )
    stdout.write("Partner demo: 2 partners with 3 contributions and 1 commitment for Kota Banjarmasin.")
