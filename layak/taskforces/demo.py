"""Demo Gugus Tugas KLA of Kota Banjarmasin (63.71): a decree 2025 to 2027 with its members, and a few meetings
with decisions followed up. Every record is made through the services and marked as demo data ("data contoh");
a re-run adds nothing.
"""

from __future__ import annotations

import datetime

from layak.accounts.models import Agency, User
from layak.regions.models import Region

from . import services
from .models import Decree

REGION = "63.71"
COORDINATOR = "dp3a_banjarmasin"
DEMO_NOTE = "Data contoh (demo): bukan SK yang sebenarnya."
# name, position, OPD short name or organisation, role, sub-group, sector. Names are invented.
MEMBERS = [
    ("Drs. Ahmad Rizani (contoh)", "Kepala Bappeda", "Bappeda", "ketua", "", "pemerintah"),
    ("Hj. Siti Norhayati (contoh)", "Kepala DP3A", "DP3A", "sekretaris", "", "pemerintah"),
    (
        "Muhammad Fadli (contoh)",
        "Kabid Pemerintahan dan Pembangunan Manusia",
        "Bappeda",
        "koordinator",
        "kelembagaan",
        "pemerintah",
    ),
    ("Rahmadi (contoh)", "Kepala Disdukcapil", "Disdukcapil", "koordinator", "klaster_1", "pemerintah"),
    ("Hj. Nurul Hidayah (contoh)", "Kepala Dinsos", "Dinsos", "koordinator", "klaster_2", "pemerintah"),
    ("dr. Hendra Wijaya (contoh)", "Kepala Dinkes", "Dinkes", "koordinator", "klaster_3", "pemerintah"),
    ("Yuliana (contoh)", "Kepala Disdik", "Disdik", "koordinator", "klaster_4", "pemerintah"),
    ("Rina Apriani (contoh)", "Kabid Perlindungan Anak", "DP3A", "koordinator", "klaster_5", "pemerintah"),
    (
        "Abdul Gani (contoh)",
        "Ketua",
        "Lembaga Perlindungan Anak Kota (contoh)",
        "anggota",
        "klaster_5",
        "lembaga_masyarakat",
    ),
    ("Maya Sari (contoh)", "Manajer CSR", "PT Sungai Sejahtera (contoh)", "anggota", "klaster_3", "dunia_usaha"),
    ("Fajar Ramadhan (contoh)", "Redaktur", "Radio Kota (contoh)", "anggota", "klaster_1", "media"),
]
# date, agenda, place, attendee count, [(decision, owner OPD, due, [(status, note, date)])]
MEETINGS = [
    (
        datetime.date(2025, 2, 12),
        "Rakor pembentukan sub-klaster dan rencana kerja 2025 (data contoh)",
        "Aula Bappeda",
        34,
        [
            (
                "Susun rencana kerja tiap klaster",
                "Bappeda",
                datetime.date(2025, 3, 31),
                [("done", "Rencana kerja lima klaster disahkan ketua.", datetime.date(2025, 3, 28))],
            )
        ],
    ),
    (
        datetime.date(2026, 3, 18),
        "Rakor persiapan evaluasi KLA 2026 (data contoh)",
        "Ruang Rapat DP3A",
        28,
        [
            (
                "Perbarui Profil Anak terpilah per kecamatan",
                "DP3A",
                datetime.date(2026, 5, 31),
                [
                    ("in_progress", "Data Disdukcapil dan Dinkes sudah masuk.", datetime.date(2026, 4, 20)),
                    ("done", "Profil Anak 2026 terbit.", datetime.date(2026, 5, 27)),
                ],
            ),
            (
                "Lengkapi bukti akta kelahiran anak per kelurahan",
                "Disdukcapil",
                datetime.date(2026, 6, 30),
                [("in_progress", "Rekap 40 dari 52 kelurahan.", datetime.date(2026, 6, 10))],
            ),
        ],
    ),
    (
        datetime.date(2026, 8, 6),
        "Rakor tindak lanjut verifikasi lapangan (data contoh)",
        "Aula Bappeda",
        31,
        [("Usulkan Puskesmas ramah anak tambahan", "Dinkes", datetime.date(2026, 10, 31), [])],
    ),
]


def _agencies(region: Region) -> dict[str, Agency]:
    return {a.short_name: a for a in Agency.objects.filter(region=region)}


def _members(user, decree: Decree, agencies: dict[str, Agency]) -> list:
    members = []
    for name, position, where, role, area, sector in MEMBERS:
        agency = agencies.get(where)
        members.append(
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
        )
    return members


def _meetings(user, region: Region, agencies: dict[str, Agency], members: list) -> None:
    for held_on, agenda, place, count, decisions in MEETINGS:
        meeting = services.meeting_create(
            user=user,
            region=region,
            held_on=held_on,
            agenda=agenda,
            place=place,
            attendee_count=count,
            attendees=members[:8],
            minutes="Notulen ringkas (data contoh).",
        )
        for text, owner, due_on, follow_ups in decisions:
            decision = services.decision_create(
                user=user, meeting=meeting, text=text, owner_agency=agencies[owner], due_on=due_on
            )
            for status, note, noted_on in follow_ups:
                services.decision_follow_up(user=user, decision=decision, status=status, note=note, noted_on=noted_on)


JAKTIM, JAKTIM_COORDINATOR = "31.75", "dp3a_jaktim"
JOINT_AGENDA = "Penguatan Gugus Tugas KLA dan TPPO (data contoh)"
# The two task forces of Jakarta Timur: kind, number, members (name, position, OPD or organisation, role, sector).
JAKTIM_DECREES = [
    (
        "kla", "1234/2025 (data contoh)",
        [("Sekretaris Kota (contoh)", "Sekretaris Kota", "Bappeda", "ketua", "pemerintah"),
         ("Kepala Sudin PPAPP (contoh)", "Kepala Suku Dinas PPAPP", "DP3A", "sekretaris", "pemerintah")],
    ),
    (
        "tppo", "1250/2025 (data contoh)",
        [("Asisten Pemerintahan (contoh)", "Asisten Pemerintahan", "Bappeda", "ketua", "pemerintah"),
         ("Kanit PPA Polres Jakarta Timur (contoh)", "Kanit PPA", "Polres Metro Jakarta Timur", "anggota", "lainnya")],
    ),
]  # fmt: skip
JOINT_GUESTS = [
    ("Narasumber IOM (contoh)", "International Organization for Migration (IOM) Indonesia", True),
    ("Narasumber Kanwil (contoh)", "Kantor Wilayah Kemenkumham DKI Jakarta", True),
]


def _seed_jaktim(stdout) -> None:
    """Jakarta Timur's Gugus Tugas KLA and Gugus Tugas PP-TPPO, and their joint meeting with outside speakers."""
    region = Region.objects.filter(code=JAKTIM).first()
    user = User.objects.filter(username=JAKTIM_COORDINATOR).first()
    if region is None or user is None or Decree.objects.filter(region=region, notes=DEMO_NOTE).exists():
        return
    agencies = _agencies(region)
    kinds = services.taskforce_kinds()
    present = []
    for kind, number, people in JAKTIM_DECREES:
        decree = services.decree_create(
            user=user, region=region, kind=kinds[kind], number=number, decree_date=datetime.date(2025, 2, 3),
            period_start=2025, period_end=2027, signatory="Wali Kota Administrasi Jakarta Timur", notes=DEMO_NOTE,
        )  # fmt: skip
        for name, position, where, role, sector in people:
            agency = agencies.get(where)
            present.append(
                services.member_create(
                    user=user, decree=decree, name=name, position=position, agency=agency,
                    organisation="" if agency else where, role=role, sector=sector,
                )
            )  # fmt: skip
    meeting = services.meeting_create(
        user=user, region=region, held_on=datetime.date(2025, 7, 15), agenda=JOINT_AGENDA, place="Kantor Wali Kota",
        attendee_count=40, attendees=present, kinds=[kinds["kla"], kinds["tppo"]], guests=JOINT_GUESTS,
        minutes="Notulen ringkas (data contoh).",
    )  # fmt: skip
    if "DP3A" in agencies:
        services.decision_create(
            user=user, meeting=meeting, text="Susun SOP rujukan korban TPPO anak bersama UPTD PPA (data contoh)",
            owner_agency=agencies["DP3A"], due_on=datetime.date(2025, 10, 31),
        )  # fmt: skip
    stdout.write("Gugus Tugas demo: Jakarta Timur's KLA and TPPO task forces with a joint meeting.")


def seed_demo_data(*, stdout) -> None:
    """Creates the demo Gugus Tugas of Kota Banjarmasin once; skipped when it exists or its users are missing.
    Also Jakarta Timur's KLA and TPPO task forces with their joint meeting."""
    _seed_jaktim(stdout)
    region = Region.objects.filter(code=REGION).first()
    user = User.objects.filter(username=COORDINATOR).first()
    if region is None or user is None:
        stdout.write("Gugus Tugas demo skipped: Kota Banjarmasin or its demo coordinator is missing.")
        return
    if Decree.objects.filter(region=region, notes=DEMO_NOTE).exists():
        stdout.write("Gugus Tugas demo: already there.")
        return
    agencies = _agencies(region)
    decree = services.decree_create(
        user=user,
        region=region,
        number="188.45/021/KUM/2025 (data contoh)",
        decree_date=datetime.date(2025, 1, 20),
        period_start=2025,
        period_end=2027,
        signatory="Wali Kota Banjarmasin",
        notes=DEMO_NOTE,
    )
    members = _members(user, decree, agencies)
    _meetings(user, region, agencies, members)
    stdout.write(f"Gugus Tugas demo: decree with {len(members)} members and {len(MEETINGS)} meetings.")
