"""The demo cycle: opened once through the services, with assignments and labelled demo answers."""

from __future__ import annotations

import io
import time

from layak.accounts.services import DEMO_REGION_CODES, demo_seed
from layak.evaluations.demo import CYCLE_NAME, seed_demo_data
from layak.evaluations.models import Answer, AnswerEvidence, Cycle, IndicatorAssignment
from layak.evaluations.selectors import stage_is_open
from layak.regions.tests.factories import make_region


def test_demo_cycle_is_open_assigned_and_partly_filled_and_seeding_twice_adds_nothing(db, settings):
    settings.DEBUG = True
    for code in DEMO_REGION_CODES:
        make_region(code)
    demo_seed()
    out = io.StringIO()
    started = time.perf_counter()
    seed_demo_data(stdout=out)
    assert time.perf_counter() - started < 10
    cycle = Cycle.objects.get()
    assert cycle.name == CYCLE_NAME and stage_is_open(cycle, "self_assessment", "31.71")
    assert set(IndicatorAssignment.objects.values_list("assessment__region_id", flat=True)) == {"31.71", "63.71"}
    answers = Answer.objects.filter(assessment__region_id="31.71")
    assert answers.count() >= 8 and all(a.narrative_done.startswith("[Data contoh]") for a in answers)
    assert not Answer.objects.filter(assessment__region_id="63.71").exists()
    assert AnswerEvidence.objects.get().evidence.title.startswith("[Data contoh]")
    seed_demo_data(stdout=out)
    assert Cycle.objects.count() == 1 and "already exists" in out.getvalue()
