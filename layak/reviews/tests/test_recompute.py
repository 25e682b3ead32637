"""recompute_scores: snapshots rebuilt in bulk, a fixed number of queries per batch, dry run writes nothing."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layak.evaluations.tests.factories import make_cycle
from layak.reviews import services
from layak.reviews.choices import ReviewAction, ReviewState, ScoreStage
from layak.reviews.models import FinalResult, ReviewProcess, ScoreSnapshot
from layak.reviews.recompute import scores_recompute

from .factories import finalise, submitted_assessment

REGIONS = ["31.71", "31.72", "31.73", "31.74", "31.75", "31.01"]


def test_stale_and_missing_snapshots_are_rebuilt(assessment):
    ScoreSnapshot.objects.filter(assessment=assessment).update(total=Decimal(1), band_code="")
    report = scores_recompute()
    assert (report.assessments, report.created, report.updated, report.changed) == (1, 0, 1, 1)
    assert ScoreSnapshot.objects.get(assessment=assessment, stage=ScoreStage.SELF).total == Decimal(1000)
    ScoreSnapshot.objects.all().delete()
    assert scores_recompute().created == 1


def test_a_dry_run_writes_nothing(assessment):
    ScoreSnapshot.objects.filter(assessment=assessment).update(total=Decimal(1))
    out = StringIO()
    call_command("recompute_scores", "--dry-run", stdout=out)
    assert "Dry run: would have 1 assessment(s)" in out.getvalue() and "1 with a different total" in out.getvalue()
    assert ScoreSnapshot.objects.get(assessment=assessment).total == Decimal(1)


def test_the_final_result_follows_but_the_ministry_predicate_stays(
    reviewers, indicators, national_admin, independent_evaluator
):
    ReviewProcess.objects.filter(assessment=reviewers).update(state=ReviewState.FIELD_VERIFICATION)
    services.review_transition(user=national_admin, assessment=reviewers, action=ReviewAction.APPROVE)
    finalise(reviewers, national_admin)
    services.final_predicate_set(user=national_admin, assessment=reviewers, band_code="utama", reason="Rapat pleno")
    FinalResult.objects.update(score=Decimal(5))
    scores_recompute(cycle=reviewers.cycle)
    result = FinalResult.objects.get()
    assert (result.score, result.computed_band_code, result.band_code) == (Decimal(1000), "kla", "utama")


def test_a_recompute_tells_the_dashboards(reviewers, indicators, national_admin, independent_evaluator):
    """Its bulk writes send no model signal: it bumps the results generation the dashboards are cached under."""
    from layak.common.generations import generation
    from layak.evaluations.publication import RESULTS_GENERATION

    ReviewProcess.objects.filter(assessment=reviewers).update(state=ReviewState.FIELD_VERIFICATION)
    services.review_transition(user=national_admin, assessment=reviewers, action=ReviewAction.APPROVE)
    finalise(reviewers, national_admin)
    FinalResult.objects.update(score=Decimal(5))
    before = generation(RESULTS_GENERATION)
    scores_recompute(cycle=reviewers.cycle)
    assert generation(RESULTS_GENERATION) != before


def _queries(count: int, framework) -> int:
    cycle = make_cycle(framework, year=2000 + count)
    for code in REGIONS[:count]:
        submitted_assessment(framework, region_code=code, cycle=cycle)
    with CaptureQueriesContext(connection) as captured:
        scores_recompute(cycle=cycle)
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_assessments(framework):
    assert _queries(2, framework) == _queries(6, framework)


def test_the_command_refuses_an_unknown_cycle(db):
    with pytest.raises(CommandError, match="No cycle has the id 999"):
        call_command("recompute_scores", "--cycle", "999")
