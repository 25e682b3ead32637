"""The demo Gugus Tugas and training of Kota Banjarmasin: realistic, complete, idempotent."""

from __future__ import annotations

import io

from layak.accounts.choices import Role
from layak.accounts.services import DEMO_AGENCIES
from layak.accounts.tests.factories import make_agency, make_user_with_role
from layak.regions.tests.factories import make_region
from layak.taskforces import demo as taskforce_demo
from layak.taskforces.models import Decision, Decree, Meeting
from layak.taskforces.selectors import gaps_for_region
from layak.trainings import demo as training_demo
from layak.trainings.models import Participant


def test_the_demo_makes_a_gap_free_taskforce_and_a_bimtek_once(db):
    make_user_with_role("dp3a_banjarmasin", Role.REGION_COORDINATOR, "63.71")
    for name, short in DEMO_AGENCIES:
        make_agency("63.71", name, short)
    for _ in range(2):
        taskforce_demo.seed_demo_data(stdout=io.StringIO())
        training_demo.seed_demo_data(stdout=io.StringIO())
    decree = Decree.objects.get()
    assert "(data contoh)" in decree.number and decree.members.count() == 11
    assert gaps_for_region(region=make_region("63.71"), year=2026)[1] == []
    assert Meeting.objects.count() == 3 and Decision.objects.filter(status="done").count() == 2
    participants = Participant.objects.all()
    assert participants.count() == 7
    assert participants.filter(taskforce_member__isnull=False).count() == 4


def test_the_demo_is_skipped_without_its_coordinator(db):
    out = io.StringIO()
    taskforce_demo.seed_demo_data(stdout=out)
    assert "skipped" in out.getvalue() and not Decree.objects.exists()
