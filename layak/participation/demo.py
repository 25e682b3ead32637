"""Demo Forum Anak of Kota Banjarmasin (63.71): the city forum, its activities and a Musrenbang input.

Made through the services and marked as demo data ("data contoh"); a re-run adds nothing. Numbers of children
only, never names.
"""

from __future__ import annotations

import datetime

from layak.accounts.models import User
from layak.regions.models import Region

from . import services
from .models import Forum

REGION = "63.71"
COORDINATOR = "dp3a_banjarmasin"


def seed_demo_data(*, stdout) -> None:
    """Creates the demo city forum (and one kecamatan forum when the kecamatan is loaded), once."""
    region = Region.objects.filter(code=REGION).first()
    user = User.objects.filter(username=COORDINATOR).first()
    if region is None or user is None:
        stdout.write("Forum Anak demo skipped: Kota Banjarmasin or its coordinator is missing.")
        return
    if Forum.objects.filter(kabkota=region, is_demo=True).exists():
        stdout.write("Forum Anak demo: already there.")
        return
    forum = services.forum_create(
        user=user,
        kabkota=region,
        region=region,
        name="Forum Anak Kota Banjarmasin (data contoh)",
        established_on=datetime.date(2016, 7, 23),
        sk_number="SK contoh",
        member_count=45,
        is_demo=True,
    )
    services.forum_activity_create(
        user=user,
        forum=forum,
        date=datetime.date(2025, 3, 8),
        title="Kampanye stop perkawinan anak",
        kind="campaign",
        summary="Kampanye di sekolah dan media sosial.",
        children_count=60,
    )
    services.forum_activity_create(
        user=user,
        forum=forum,
        date=datetime.date(2025, 1, 25),
        title="Pra-Musrenbang anak",
        kind="consultation",
        children_count=35,
    )
    child_input = services.child_input_create(
        user=user,
        forum=forum,
        date=datetime.date(2025, 2, 12),
        channel="musrenbang_kabkota",
        text="Penerangan dan jalur aman menuju sekolah di tepian sungai.",
    )
    services.child_input_follow_up(
        user=user, child_input=child_input, status="partly", follow_up="Masuk RKPD 2026 untuk dua kelurahan."
    )
    kecamatan = Region.objects.filter(parent=region).order_by("code").first()
    if kecamatan is not None:
        services.forum_create(
            user=user,
            kabkota=region,
            region=kecamatan,
            name=f"Forum Anak Kecamatan {kecamatan.name} (data contoh)",
            member_count=20,
            is_demo=True,
        )
    stdout.write("Forum Anak demo: the city forum with 2 activities and a Musrenbang input for Kota Banjarmasin.")
