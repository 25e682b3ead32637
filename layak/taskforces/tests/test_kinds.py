"""Task forces of every kind: existing decrees and meetings become the Gugus Tugas KLA's (data migration), the
KLA gap check stays for the KLA kind only, and a meeting can be joint with guests from outside."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from layak.accounts.choices import Role
from layak.accounts.services import DEMO_AGENCIES
from layak.accounts.tests.factories import make_agency, make_user_with_role
from layak.regions.tests.factories import make_region
from layak.taskforces import demo, selectors, services
from layak.taskforces.models import Meeting

REGION = "31.71"


@pytest.mark.django_db(transaction=True)
def test_existing_decrees_and_meetings_migrate_as_the_kla_task_force():
    executor = MigrationExecutor(connection)
    executor.migrate([("taskforces", "0002_alter_decree_decree_period")])
    old = executor.loader.project_state([("taskforces", "0002_alter_decree_decree_period")]).apps
    region = old.get_model("regions", "Region").objects.create(
        code="99", name="X", search_name="x", level=1, kind="provinsi"
    )
    decree = old.get_model("taskforces", "Decree").objects.create(
        region=region, number="1/2024", decree_date=datetime.date(2024, 1, 2), period_start=2024, period_end=2026
    )
    meeting = old.get_model("taskforces", "Meeting").objects.create(
        region=region, held_on=datetime.date(2024, 3, 1), agenda="Rakor"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    assert new.get_model("taskforces", "Decree").objects.get(pk=decree.pk).kind.code == "kla"
    assert [k.code for k in new.get_model("taskforces", "Meeting").objects.get(pk=meeting.pk).kinds.all()] == ["kla"]
    assert set(new.get_model("taskforces", "TaskforceKind").objects.values_list("code", flat=True)) >= {
        "kla",
        "tppo",
        "paud_hi",
    }


def test_the_kla_gap_check_applies_to_the_kla_task_force_only(region_coordinator):
    region = make_region(REGION)
    tppo = services.taskforce_kinds()["tppo"]  # not the migration's row: a transaction=True test flushes it
    decree = services.decree_create(
        user=region_coordinator, region=region, kind=tppo, number="5/2025", decree_date=datetime.date(2025, 1, 2),
        period_start=2025, period_end=2027,
    )  # fmt: skip
    assert selectors.gaps_for_decree(decree=decree, members=[], year=2025) == []
    assert selectors.decree_for_year(region=region, year=2025) is None  # the KLA decree is what the evaluation asks
    kla = services.decree_create(
        user=region_coordinator, region=region, number="6/2025", decree_date=datetime.date(2025, 1, 2),
        period_start=2025, period_end=2027,
    )  # fmt: skip
    assert kla.kind.code == "kla" and selectors.gaps_for_decree(decree=kla, members=[], year=2025)
    assert [d.pk for d in selectors.other_taskforces(region=region, year=2025)] == [decree.pk]


def test_a_joint_meeting_records_both_task_forces_and_its_guests(login, region_coordinator):
    region = make_region(REGION)
    response = login(region_coordinator).post(
        f"/taskforces/region/{REGION}/meetings/new",
        {
            "held_on": "2025-07-15", "agenda": "Penguatan Gugus Tugas KLA dan TPPO",
            "kinds": [k.pk for code, k in services.taskforce_kinds().items() if code in ("kla", "tppo")],
            "guests": "*Rina — IOM Indonesia\nBudi — Kanwil Kemenkumham DKI Jakarta",
        },
    )  # fmt: skip
    assert response.status_code == 302
    meeting = Meeting.objects.get(region=region)
    assert sorted(k.code for k in meeting.kinds.all()) == ["kla", "tppo"]
    assert [(g.name, g.organisation, g.is_speaker) for g in meeting.guests.all()] == [
        ("Rina", "IOM Indonesia", True), ("Budi", "Kanwil Kemenkumham DKI Jakarta", False),
    ]  # fmt: skip
    page = login(region_coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "Joint meeting" in page and "IOM Indonesia" in page


def test_demo_jakarta_timur_holds_a_joint_kla_and_tppo_meeting(db):
    make_user_with_role(demo.JAKTIM_COORDINATOR, Role.REGION_COORDINATOR, demo.JAKTIM)
    for name, short in DEMO_AGENCIES:
        make_agency(demo.JAKTIM, name, short)
    demo._seed_jaktim(io.StringIO())
    meeting = Meeting.objects.get(agenda=demo.JOINT_AGENDA)
    assert sorted(k.code for k in meeting.kinds.all()) == ["kla", "tppo"]
    assert {g.organisation for g in meeting.guests.all()} >= {"Kantor Wilayah Kemenkumham DKI Jakarta"}
