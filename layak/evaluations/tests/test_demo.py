"""The demo cycles: opened once through the services, with assignments and labelled demo answers; the current one
on kla-2024 (question by question), the earlier one on kla-2021."""

from __future__ import annotations

import io

from layak.accounts.services import DEMO_REGION_CODES, demo_seed
from layak.evaluations.demo import CYCLE_NAME, PAST_CYCLE_NAME, seed_demo_data
from layak.evaluations.models import (
    Answer,
    AnswerEvidence,
    Cycle,
    IndicatorAssignment,
    QuestionAnswer,
    QuestionAssignment,
    QuestionEvidence,
)
from layak.evaluations.scoring_input import instrument_score
from layak.evaluations.selectors import stage_is_open
from layak.regions.tests.factories import make_region


def test_demo_cycle_is_open_assigned_and_partly_filled_and_seeding_twice_adds_nothing(db, settings):
    settings.DEBUG = True
    for code in DEMO_REGION_CODES:
        make_region(code)
    demo_seed()
    out = io.StringIO()
    seed_demo_data(stdout=out)
    current = Cycle.objects.get(framework__slug="kla-2024")
    cycle = Cycle.objects.get(framework__slug="kla-2021")
    assert current.name == CYCLE_NAME and current.framework.slug == "kla-2024"
    assert stage_is_open(current, "self_assessment", "31.71")
    assigned = QuestionAssignment.objects.filter(assessment__cycle=current)
    assert set(assigned.values_list("assessment__region_id", flat=True)) == {"31.71", "63.71"}
    assert assigned.filter(assessment__region_id="31.71").count() > 200
    answers_24 = QuestionAnswer.objects.filter(assessment__region_id="31.71", assessment__cycle=current)
    assert answers_24.count() > 40 and all(a.note.startswith("[Data contoh]") for a in answers_24)
    assert not QuestionAnswer.objects.filter(assessment__region_id="63.71").exists()
    assert QuestionEvidence.objects.filter(assessment__cycle=current).exists()
    jakpus = answers_24.first().assessment
    assert 0 < instrument_score(jakpus).total < 1000
    assert cycle.name == PAST_CYCLE_NAME and stage_is_open(cycle, "self_assessment", "31.71")
    assert set(IndicatorAssignment.objects.values_list("assessment__region_id", flat=True)) == {"31.71", "63.71"}
    answers = Answer.objects.filter(assessment__region_id="31.71")
    assert answers.count() >= 8 and all(a.narrative_done.startswith("[Data contoh]") for a in answers)
    assert not Answer.objects.filter(assessment__region_id="63.71").exists()
    assert AnswerEvidence.objects.get().evidence.title.startswith("[Data contoh]")
    seed_demo_data(stdout=out)
    assert Cycle.objects.count() == 2 and "already exists" in out.getvalue()
